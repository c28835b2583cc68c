// Runs in: renderer (and unit tests). The windowing math of VirtualGrid: which rows and
// columns intersect the viewport, plus an overscan margin so fast scrolling shows no blank edge.

/** A half-open index range [start, end). */
export interface IndexRange {
  start: number;
  end: number;
}

export const EMPTY_RANGE: IndexRange = { start: 0, end: 0 };

/** Rows of a fixed height that intersect [scrollTop, scrollTop + viewport), widened by `overscan` rows each side. */
export function rowRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan: number,
): IndexRange {
  if (count <= 0 || rowHeight <= 0 || viewport <= 0) return EMPTY_RANGE;
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const last = Math.min(count, Math.ceil((top + viewport) / rowHeight));
  return { start: Math.max(0, first - overscan), end: Math.min(count, Math.max(last, first + 1) + overscan) };
}

/** Left edge of each column, plus the total width as the last entry (length = widths + 1). */
export function columnOffsets(widths: readonly number[]): number[] {
  const out = new Array<number>(widths.length + 1);
  out[0] = 0;
  for (let i = 0; i < widths.length; i++) out[i + 1] = out[i]! + Math.max(0, widths[i]!);
  return out;
}

/** The index of the last offset <= x (binary search over ascending offsets). */
function lastAtOrBefore(offsets: readonly number[], x: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Columns of varying widths (given by `columnOffsets`) that intersect [scrollLeft, scrollLeft + viewport),
 * widened by `overscan` columns each side.
 */
export function columnRange(
  offsets: readonly number[],
  scrollLeft: number,
  viewport: number,
  overscan: number,
): IndexRange {
  const count = offsets.length - 1;
  if (count <= 0 || viewport <= 0) return EMPTY_RANGE;
  const left = Math.max(0, scrollLeft);
  const first = Math.min(count - 1, lastAtOrBefore(offsets, left));
  let last = first;
  while (last < count && offsets[last]! < left + viewport) last++;
  return { start: Math.max(0, first - overscan), end: Math.min(count, Math.max(last, first + 1) + overscan) };
}

/** The scrollTop that brings row `index` fully into view, or the current one when it already is. */
export function scrollToRow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}
