// The content diff's fingerprint multiset against a Map of counts: any sequence of adds and takes,
// with colliding slots and growth, leaves the same answers and the same total.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintCounts } from '../../../electron/core/data/diff/fingerprint-counts';

describe('fingerprint multiset', () => {
  it('answers adds and takes as a Map of counts does', () => {
    // Few distinct halves so that pairs share a half and slots collide; thousands of ops to grow.
    const half = fc.oneof(
      fc.constantFrom(0, 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1),
      fc.integer({ min: 0, max: 2 ** 53 - 1 }).map((v) => v - (v % 4096)),
    );
    const op = fc.tuple(fc.boolean(), half, half);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 6000 }), (ops) => {
        const table = new FingerprintCounts();
        const ref = new Map<string, number>();
        for (const [isAdd, hi, lo] of ops) {
          const k = `${hi}:${lo}`;
          if (isAdd) {
            table.add(hi, lo);
            ref.set(k, (ref.get(k) ?? 0) + 1);
          } else {
            const c = ref.get(k) ?? 0;
            expect(table.take(hi, lo)).toBe(c > 0);
            if (c > 0) ref.set(k, c - 1);
          }
        }
        expect(table.total()).toBe([...ref.values()].reduce((s, c) => s + c, 0));
      }),
      { numRuns: 60, seed: 31 },
    );
  });
});
