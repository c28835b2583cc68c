// The diff's own reading of numeric cells against Number(): the fast path for plain decimals must
// give the very same double (sign of zero included), and every other text must fall through to it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numericValue } from '../../../electron/core/data/diff/column-stats';

/** What the diff read numeric cells with before it had a fast path. */
function viaNumber(cell: string): number {
  const n = Number(cell);
  if (!Number.isNaN(n)) return n;
  const inf = /^([+-]?)inf(inity)?$/i.exec(cell.trim());
  return inf ? (inf[1] === '-' ? -Infinity : Infinity) : NaN;
}

describe('numeric cells', () => {
  it('read as Number() reads them: decimals of any length, exponents, signs, junk', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 0, maxLength: 19 });
    const decimal = fc
      .tuple(fc.constantFrom('', '-', '+'), digits, fc.constantFrom('', '.'), digits)
      .map(([s, a, p, b]) => s + a + p + b);
    const soup = fc.string({
      unit: fc.constantFrom('0', '7', '-', '+', '.', 'e', 'E', ' ', 'x', 'i', 'n', 'f'),
      maxLength: 10,
    });
    const printed = fc.double({ noNaN: true }).map(String);
    const fixed = fc
      .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 12 }))
      .map(([v, d]) => v.toFixed(d));
    fc.assert(
      fc.property(
        fc.oneof(
          decimal,
          soup,
          printed,
          fixed,
          fc.constantFrom(
            '-0',
            '0.0',
            '-.5',
            '.5',
            '5.',
            '000123',
            '999999999999999',
            '9007199254740993',
            'Infinity',
            '-inf',
            'NaN',
          ),
        ),
        (cell) => {
          expect(Object.is(numericValue(cell), viaNumber(cell)), cell).toBe(true);
        },
      ),
      { numRuns: 20_000, seed: 21 },
    );
  });
});
