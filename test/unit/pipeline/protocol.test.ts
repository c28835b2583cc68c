import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProtocolLine, PROTOCOL_PREFIX } from '../../../electron/core/pipeline/protocol';

describe('the ::benchtop:: line protocol', () => {
  it('leaves ordinary log lines alone', () => {
    expect(parseProtocolLine('epoch 3: loss 0.2')).toBeNull();
  });

  it('reads metrics, params, tags and artifacts', () => {
    expect(parseProtocolLine(`${PROTOCOL_PREFIX}{"type":"metric","key":"loss","value":0.5,"step":3}`)).toEqual({
      ok: true,
      message: { type: 'metric', key: 'loss', value: 0.5, step: 3 },
    });
    expect(parseProtocolLine(`${PROTOCOL_PREFIX}{"type":"param","key":"lr","value":0.1}`)).toEqual({
      ok: true,
      message: { type: 'param', key: 'lr', value: 0.1 },
    });
    expect(parseProtocolLine(`${PROTOCOL_PREFIX}{"type":"tag","key":"team","value":"a"}`)).toEqual({
      ok: true,
      message: { type: 'tag', key: 'team', value: 'a' },
    });
    expect(parseProtocolLine(`${PROTOCOL_PREFIX}{"type":"artifact","path":"out/model.pkl"}`)).toEqual({
      ok: true,
      message: { type: 'artifact', path: 'out/model.pkl' },
    });
  });

  it('carries NaN and ±Infinity as strings, since JSON has neither', () => {
    const value = (v: string) => {
      const r = parseProtocolLine(`${PROTOCOL_PREFIX}{"type":"metric","key":"k","value":${JSON.stringify(v)}}`);
      return r?.ok && r.message.type === 'metric' ? r.message.value : 'error';
    };
    expect(value('NaN')).toBeNaN();
    expect(value('Infinity')).toBe(Infinity);
    expect(value('-inf')).toBe(-Infinity);
    expect(value('1.5')).toBe('error');
  });

  it('names what is wrong in a malformed line', () => {
    expect(parseProtocolLine(`${PROTOCOL_PREFIX}{oops`)).toEqual({
      ok: false,
      error: 'the text after ::benchtop:: is not JSON',
    });
    const bad = parseProtocolLine(`${PROTOCOL_PREFIX}{"type":"metric","key":"k","value":1,"step":-1}`);
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: string }).error).toContain('step');
  });

  it('the fast path for metric lines agrees with the schema on any object', () => {
    // Whatever the shape, a line is accepted exactly when it is a valid message, and then read alike.
    const field = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -2, max: 5 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 3 }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.constantFrom('metric', 'param', 'x'),
            key: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
            value: field,
            step: field,
            extra: field,
          },
          { requiredKeys: ['type'] },
        ),
        (msg) => {
          const r = parseProtocolLine(PROTOCOL_PREFIX + JSON.stringify(msg));
          expect(r).not.toBeNull();
          if (r?.ok && r.message.type === 'metric') {
            expect(typeof r.message.value).toBe('number');
            expect(r.message.key.length).toBeGreaterThan(0);
            if (r.message.step !== undefined)
              expect(Number.isInteger(r.message.step) && r.message.step >= 0).toBe(true);
          }
        },
      ),
    );
  });
});
