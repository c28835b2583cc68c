// Runs in: main (core). Shares per bin for the distance measures (PSI, KL, Jensen–Shannon, Hellinger),
// binned the way Evidently does so scores carry the same meaning as in that widely used tool.
import { categoryUnion, countSorted, totalCount, type CategoryCounts } from './categories';
import { distinctCount, lowerBound, upperBound, type SortedSample } from './sample';

export interface BinnedShares {
  /** Histogram edges (numeric columns with many values) or null when each value is its own bin. */
  edges: Float64Array | null;
  /** Bin labels when each category/value is a bin. */
  keys: string[] | null;
  ref: Float64Array;
  cur: Float64Array;
}

/** A numeric column gets histogram bins when its reference has more than this many distinct values. */
export const MAX_VALUES_AS_BINS = 20;

/**
 * Equal-width edges over reference ∪ current with Sturges' bin count, exactly as
 * numpy.histogram_bin_edges(pooled, bins='sturges'): width = range/(log2(N) + 1), count = ⌈range/width⌉,
 * edges = min + i·(range/count) with the last edge set to max; a constant sample gets [v − 0.5, v + 0.5].
 */
export function sturgesEdges(ref: SortedSample, cur: SortedSample): Float64Array {
  const n = ref.length + cur.length;
  let lo = Math.min(ref[0] ?? Infinity, cur[0] ?? Infinity);
  let hi = Math.max(ref[ref.length - 1] ?? -Infinity, cur[cur.length - 1] ?? -Infinity);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('binning needs at least one value');
  const range = hi - lo;
  const width = range / (Math.log2(n) + 1);
  const count = width > 0 ? Math.ceil(range / width) : 1;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(count + 1);
  const step = (hi - lo) / count;
  for (let i = 0; i < count; i++) edges[i] = i * step + lo;
  edges[count] = hi;
  return edges;
}

/** Share of a sorted sample in each bin [e_i, e_{i+1}), the last bin closed, like numpy.histogram. */
export function histogramShares(sorted: SortedSample, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const out = new Float64Array(bins);
  let start = lowerBound(sorted, edges[0]!);
  for (let b = 0; b < bins; b++) {
    const end = b === bins - 1 ? upperBound(sorted, edges[b + 1]!, start) : lowerBound(sorted, edges[b + 1]!, start);
    out[b] = (end - start) / sorted.length;
    start = end;
  }
  return out;
}

/** Share of each category over the union of both samples' categories (sorted keys). */
export function categoryShares(ref: CategoryCounts, cur: CategoryCounts): BinnedShares {
  const keys = categoryUnion(ref, cur);
  const nRef = totalCount(ref);
  const nCur = totalCount(cur);
  const r = new Float64Array(keys.length);
  const c = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    r[i] = (ref.get(k) ?? 0) / nRef;
    c[i] = (cur.get(k) ?? 0) / nCur;
  });
  return { edges: null, keys, ref: r, cur: c };
}

/**
 * Numeric column: Sturges histogram over both samples when the reference has more than 20 distinct
 * values, otherwise one bin per distinct value of either sample. `refDistinct`: the reference's distinct
 * count when the caller has it already.
 */
export function numericShares(ref: SortedSample, cur: SortedSample, refDistinct?: number): BinnedShares {
  if (ref.length === 0 || cur.length === 0) throw new RangeError('binning needs at least one value in each sample');
  if ((refDistinct ?? distinctCount(ref)) > MAX_VALUES_AS_BINS) {
    const edges = sturgesEdges(ref, cur);
    return { edges, keys: null, ref: histogramShares(ref, edges), cur: histogramShares(cur, edges) };
  }
  return categoryShares(countSorted(ref), countSorted(cur));
}

/**
 * Empty bins would make PSI and KL infinite, so a share of 0 becomes 0.0001 (Evidently's convention);
 * when some non-empty bin is itself at most 0.0001 (very large samples), zeros become that smallest
 * share / 10⁶ instead, so a filled bin never weighs less than an empty one.
 */
export function smoothEmpty(shares: Float64Array): Float64Array {
  let minPositive = Infinity;
  for (const s of shares) if (s > 0 && s < minPositive) minPositive = s;
  const fill = minPositive <= 0.0001 ? minPositive / 1e6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}
