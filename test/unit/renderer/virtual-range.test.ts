// The virtual grid's windowing math: the rows and columns rendered always cover the viewport.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnOffsets, columnRange, rowRange, scrollToRow } from '../../../renderer/src/components/virtual-range';

describe('rowRange', () => {
  it('renders the rows in view plus the overscan', () => {
    expect(rowRange(0, 340, 34, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(rowRange(34 * 100, 340, 34, 10_000, 5)).toEqual({ start: 95, end: 115 });
    expect(rowRange(34 * 100 + 17, 340, 34, 10_000, 0)).toEqual({ start: 100, end: 111 });
  });

  it('stops at the last row when scrolled to the bottom', () => {
    expect(rowRange(34 * 10_000 - 340, 340, 34, 10_000, 8)).toEqual({ start: 9982, end: 10_000 });
    expect(rowRange(10 ** 9, 340, 34, 10_000, 8)).toEqual({ start: 9991, end: 10_000 });
  });

  it('is empty without rows or without a viewport', () => {
    expect(rowRange(0, 340, 34, 0, 8)).toEqual({ start: 0, end: 0 });
    expect(rowRange(0, 0, 34, 100, 8)).toEqual({ start: 0, end: 0 });
  });

  it('always covers every row that intersects the viewport, and stays small', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (count, h, viewport, overscan, at) => {
          const scrollTop = at * Math.max(0, count * h - viewport);
          const r = rowRange(scrollTop, viewport, h, count, overscan);
          expect(r.start).toBeGreaterThanOrEqual(0);
          expect(r.end).toBeLessThanOrEqual(count);
          for (let i = Math.floor(scrollTop / h); i * h < scrollTop + viewport && i < count; i++) {
            expect(i >= r.start && i < r.end).toBe(true);
          }
          expect(r.end - r.start).toBeLessThanOrEqual(Math.ceil(viewport / h) + 1 + 2 * overscan);
        },
      ),
    );
  });
});

describe('columnRange', () => {
  it('finds the columns of varying widths in view', () => {
    const offsets = columnOffsets([100, 50, 200, 80, 120]);
    expect(offsets).toEqual([0, 100, 150, 350, 430, 550]);
    expect(columnRange(offsets, 0, 120, 0)).toEqual({ start: 0, end: 2 });
    expect(columnRange(offsets, 140, 100, 0)).toEqual({ start: 1, end: 3 });
    expect(columnRange(offsets, 350, 80, 0)).toEqual({ start: 3, end: 4 });
    expect(columnRange(offsets, 500, 300, 1)).toEqual({ start: 3, end: 5 });
    expect(columnRange(columnOffsets([]), 0, 500, 2)).toEqual({ start: 0, end: 0 });
  });

  it('always covers every column that intersects the viewport', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (widths, viewport, overscan, at) => {
          const offsets = columnOffsets(widths);
          const total = offsets[offsets.length - 1]!;
          const left = at * Math.max(0, total - viewport);
          const r = columnRange(offsets, left, viewport, overscan);
          for (let i = 0; i < widths.length; i++) {
            const intersects = offsets[i]! < left + viewport && offsets[i + 1]! > left;
            if (intersects) expect(i >= r.start && i < r.end).toBe(true);
          }
          expect(r.start).toBeGreaterThanOrEqual(0);
          expect(r.end).toBeLessThanOrEqual(widths.length);
        },
      ),
    );
  });
});

describe('scrollToRow', () => {
  it('scrolls only as far as needed to show the row', () => {
    expect(scrollToRow(5, 0, 340, 34)).toBe(0);
    expect(scrollToRow(10, 0, 340, 34)).toBe(34);
    expect(scrollToRow(2, 340, 340, 34)).toBe(68);
  });
});
