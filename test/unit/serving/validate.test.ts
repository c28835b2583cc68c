// The /predict body rules: one record or {"inputs": [...]}, and the signature check that keeps a
// malformed record from ever reaching the model (property-based over signatures and records).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFor, checkRecords, recordsOf, RequestError } from '../../../electron/core/serving/validate';

const TYPES = ['integer', 'number', 'boolean', 'string', 'datetime'] as const;
type Known = (typeof TYPES)[number];

const arbitraryOf: Record<Known, fc.Arbitrary<unknown>> = {
  integer: fc.integer(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  boolean: fc.boolean(),
  string: fc.string(),
  datetime: fc
    .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
};

const wrongFor: Record<Known, fc.Arbitrary<unknown>> = {
  integer: fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v)),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
  ),
  number: fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer())),
  boolean: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
  string: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.integer())),
  datetime: fc.oneof(fc.integer(), fc.constant('yesterday'), fc.constant(null)),
};

const signatureArb = fc.uniqueArray(
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 12 }).filter((n) => n !== '__proto__'),
    type: fc.constantFrom(...TYPES),
  }),
  { minLength: 1, maxLength: 6, selector: (c) => c.name },
);

function refusal(fn: () => void): RequestError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RequestError) return err;
    throw err;
  }
  throw new Error('expected a RequestError');
}

describe('the /predict body', () => {
  it('is one record, or {"inputs": [records]} with at least one record', () => {
    expect(recordsOf({ a: 1 })).toEqual({ records: [{ a: 1 }], batch: false });
    expect(recordsOf({ inputs: [{ a: 1 }, { a: 2 }] })).toEqual({ records: [{ a: 1 }, { a: 2 }], batch: true });
    // A record with an `inputs` field among others is one record.
    expect(recordsOf({ inputs: 3, b: 1 })).toEqual({ records: [{ inputs: 3, b: 1 }], batch: false });
    for (const [body, index] of [
      [null, null],
      [[{ a: 1 }], null],
      ['text', null],
      [{ inputs: [] }, null],
      [{ inputs: {} }, null],
      [{ inputs: [{}, 2] }, 1],
      [{ inputs: [{}, {}, []] }, 2],
    ] as const) {
      const e = refusal(() => recordsOf(body));
      expect(e.status).toBe(400);
      expect(e.index).toBe(index);
    }
  });
});

describe('the signature check', () => {
  it('passes every record whose signature fields have their types, whatever else they hold', () => {
    fc.assert(
      fc.property(
        signatureArb.chain((sig) =>
          fc.tuple(
            fc.constant(sig),
            fc.array(fc.record(Object.fromEntries(sig.map((c) => [c.name, arbitraryOf[c.type]]))), {
              minLength: 1,
              maxLength: 5,
            }),
            fc.dictionary(
              fc.string({ minLength: 1 }).map((k) => `extra_${k}`),
              fc.jsonValue(),
            ),
          ),
        ),
        ([sig, records, extra]) => {
          const withExtra = records.map((r) => ({ ...extra, ...r }));
          expect(() => checkRecords(withExtra, { inputs: sig, source: 'given' }, true)).not.toThrow();
        },
      ),
    );
  });

  it('refuses the first record with a missing or mistyped field, naming the field and the record', () => {
    fc.assert(
      fc.property(
        signatureArb
          .chain((sig) =>
            fc.tuple(
              fc.constant(sig),
              fc.array(fc.record(Object.fromEntries(sig.map((c) => [c.name, arbitraryOf[c.type]]))), {
                minLength: 1,
                maxLength: 5,
              }),
              fc.nat(),
              fc.nat(),
              fc.boolean(),
            ),
          )
          .chain(([sig, records, r, c, drop]) => {
            const at = r % records.length;
            const col = sig[c % sig.length]!;
            return fc.tuple(
              fc.constant(sig),
              fc.constant(records),
              fc.constant(at),
              fc.constant(col),
              fc.constant(drop),
              wrongFor[col.type],
            );
          }),
        ([sig, records, at, col, drop, wrong]) => {
          const bad = records.map((rec, i) => {
            if (i !== at) return rec;
            const copy: Record<string, unknown> = { ...rec };
            if (drop) delete copy[col.name];
            else copy[col.name] = wrong;
            return copy;
          });
          const e = refusal(() => checkRecords(bad, { inputs: sig, source: 'given' }, true));
          expect(e.status).toBe(400);
          expect(e.index).toBe(at);
          expect(e.field).toBe(col.name);
          expect(e.message).toContain(`inputs[${at}]`);
          expect(e.message).toContain(JSON.stringify(col.name));
        },
      ),
    );
  });

  it('knows the usual type names, and lets any value through for a type it does not know or an empty column', () => {
    expect(checkFor('float64')!.test(1.5)).toBe(true);
    expect(checkFor('INT')!.test(1.5)).toBe(false);
    expect(checkFor('bool')!.test(false)).toBe(true);
    expect(checkFor('category')!.test('a')).toBe(true);
    expect(checkFor('timestamp')!.test('2026-11-30T10:00:00Z')).toBe(true);
    expect(checkFor('empty')).toBeNull();
    expect(checkFor('tensor<float32>[4]')).toBeNull();
    expect(() =>
      checkRecords([{ x: [1, 2] }], { inputs: [{ name: 'x', type: 'tensor' }], source: 'given' }, false),
    ).not.toThrow();
    expect(
      refusal(() => checkRecords([{}], { inputs: [{ name: 'x', type: 'tensor' }], source: 'given' }, false)),
    ).toMatchObject({ field: 'x', index: null });
    expect(() => checkRecords([{}], null, false)).not.toThrow();
  });
});
