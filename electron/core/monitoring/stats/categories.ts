// Runs in: main (core). Category counts for the categorical tests: value → count, and their union.
import type { SortedSample } from './sample';

/** Count of each category (missing values already left out). */
export type CategoryCounts = Map<string, number>;

export function countCategories(values: Iterable<string | null | undefined>): CategoryCounts {
  const counts: CategoryCounts = new Map();
  for (const v of values) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Counts of a numeric column treated as categorical (few distinct values), keyed by the number's text. */
export function countSorted(sorted: SortedSample): CategoryCounts {
  const counts: CategoryCounts = new Map();
  let i = 0;
  while (i < sorted.length) {
    const v = sorted[i]!;
    let j = i;
    while (j < sorted.length && sorted[j] === v) j++;
    counts.set(String(v), j - i);
    i = j;
  }
  return counts;
}

export function totalCount(counts: CategoryCounts): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/** Categories present in either sample, sorted so results do not depend on the order rows arrived in. */
export function categoryUnion(a: CategoryCounts, b: CategoryCounts): string[] {
  const keys = new Set<string>(a.keys());
  for (const k of b.keys()) keys.add(k);
  return [...keys].sort();
}
