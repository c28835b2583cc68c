import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsampleSeries, lttbIndices } from '../../../shared/charts/downsample';

describe('largest-triangle-three-buckets downsampling', () => {
  it('keeps the first and last points, in order, exactly `threshold` of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 400 }),
        fc.integer({ min: 3, max: 100 }),
        (ys, threshold) => {
          const xs = ys.map((_, i) => i);
          const idx = lttbIndices(xs, ys, threshold);
          if (ys.length <= threshold) {
            expect(idx).toEqual(xs);
            return;
          }
          expect(idx.length).toBe(threshold);
          expect(idx[0]).toBe(0);
          expect(idx[idx.length - 1]).toBe(ys.length - 1);
          for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
        },
      ),
    );
  });

  it('keeps a lone spike that a stride would skip', () => {
    const ys = Array.from({ length: 10_000 }, (_, i) => (i === 4321 ? 100 : Math.sin(i / 500)));
    const idx = lttbIndices(
      ys.map((_, i) => i),
      ys,
      200,
    );
    expect(idx).toContain(4321);
  });

  it('drops NaN and infinite values, which cannot be drawn', () => {
    const pts = [0, Number.NaN, 2, Infinity, 4].map((value, step) => ({ step, time: step, value }));
    expect(downsampleSeries(pts, 10).map((p) => p.value)).toEqual([0, 2, 4]);
  });
});
