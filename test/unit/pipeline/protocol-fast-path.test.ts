import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProtocolJson, parseProtocolLine } from '../../../electron/core/pipeline/protocol';

const key = fc.oneof(
  fc.constantFrom('loss', 'val/acc', 'a b', 'k"q', 'tab\there', 'é', ''),
  fc.string({ maxLength: 260 }),
);
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e-7, 1e21, 'NaN', 'inf', 1.5),
);
const step = fc.oneof(fc.constant(undefined), fc.nat(), fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 60));

describe('the ::benchtop:: protocol', () => {
  it('reads every metric line exactly as the JSON path does (fast path or not)', () => {
    fc.assert(
      fc.property(key, value, step, fc.constantFrom('', ' '), fc.nat(), (k, v, s, space, cut) => {
        const fields: [string, unknown][] = [
          ['type', 'metric'],
          ['key', k],
          ['value', v],
        ];
        if (s !== undefined) fields.push(['step', s]);
        const sep = space ? ', ' : ',';
        const json = `{${fields.map(([f, x]) => `${JSON.stringify(f)}:${space}${JSON.stringify(x)}`).join(sep)}}`;
        const line = `::benchtop:: ${json}`;
        expect(parseProtocolLine(line)).toEqual(parseProtocolJson(line));
        // Damaged lines too: a cut anywhere, or a stray character.
        const damaged = line.slice(0, line.length - (cut % (json.length + 1)));
        expect(parseProtocolLine(damaged)).toEqual(parseProtocolJson(damaged));
        expect(parseProtocolLine(`${line}x`)).toEqual(parseProtocolJson(`${line}x`));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the fast path to plain numbers and plain keys', () => {
    expect(parseProtocolLine('::benchtop:: {"type":"metric","key":"loss","value":0.25,"step":3}')).toEqual({
      ok: true,
      message: { type: 'metric', key: 'loss', value: 0.25, step: 3 },
    });
    expect(parseProtocolLine('::benchtop:: {"type": "metric", "key": "loss", "value": -1e-7}')).toEqual({
      ok: true,
      message: { type: 'metric', key: 'loss', value: -1e-7 },
    });
    expect(parseProtocolLine('::benchtop:: {"type":"metric","key":"loss","value":"nan","step":1}')).toMatchObject({
      ok: true,
      message: { value: Number.NaN },
    });
    expect(parseProtocolLine('::benchtop:: {"type":"metric","key":"loss","value":01}')).toMatchObject({ ok: false });
    expect(parseProtocolLine('::benchtop:: {"type":"metric","key":"loss","value":1}\u00a0')).toMatchObject({
      ok: false,
    });
    expect(parseProtocolLine('plain log line')).toBeNull();
  });
});
