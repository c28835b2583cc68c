// Runs in: main (core). Category counts of a column side, and the grouping of rare categories so a
// column with thousands of values still gets a readable histogram and a chi-square with sane bins.
import type { CategoryCounts } from '../stats';
import type { ColumnData } from './column-builder';

/** Above this many categories over both sides, the rarest are grouped into one bucket. */
export const MAX_CATEGORIES = 100;
export const OTHER = '(other)';

export function dictionaryCounts(col: Extract<ColumnData, { kind: 'dictionary' }>): CategoryCounts {
  const counts: CategoryCounts = new Map();
  col.labels.forEach((label, code) => {
    const n = col.counts[code]!;
    if (n > 0) counts.set(label, n);
  });
  return counts;
}

/**
 * Keeps the MAX_CATEGORIES − 1 categories most frequent over both sides together (ties by name) and
 * sums the rest into "(other)", the same for both sides so their bins line up. Columns with at most
 * MAX_CATEGORIES categories are returned as they are.
 */
export function groupRare(
  ref: CategoryCounts,
  cur: CategoryCounts,
): { ref: CategoryCounts; cur: CategoryCounts; grouped: number } {
  const pooled = new Map(ref);
  for (const [k, n] of cur) pooled.set(k, (pooled.get(k) ?? 0) + n);
  if (pooled.size <= MAX_CATEGORIES) return { ref, cur, grouped: 0 };
  const keep = new Set(
    [...pooled]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, MAX_CATEGORIES - 1)
      .map(([k]) => k),
  );
  const group = (counts: CategoryCounts): CategoryCounts => {
    const out: CategoryCounts = new Map();
    let other = 0;
    for (const [k, n] of counts) {
      if (keep.has(k)) out.set(k, n);
      else other += n;
    }
    if (other > 0) out.set(OTHER, (out.get(OTHER) ?? 0) + other);
    return out;
  };
  return { ref: group(ref), cur: group(cur), grouped: pooled.size - keep.size };
}

/** The most frequent values, at most `limit`, ties by name. */
export function topValues(counts: CategoryCounts, limit = 10): { value: string; count: number }[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}
