// Runs in: main (core). Chi-square goodness of fit of current counts against reference frequencies
// (scipy.stats.chisquare, as Evidently calls it).
import { categoryUnion, totalCount, type CategoryCounts } from './categories';
import { chi2Sf } from './special';

export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  df: number;
}

/**
 * Over the union of categories: observed = current count, expected = reference count × n_cur/n_ref.
 * A category the reference never saw has expected 0, so the statistic is +∞ and p = 0 (SciPy gives the
 * same, with a division warning): a brand-new category is drift. One category in all gives p = 1.
 */
export function chiSquare(ref: CategoryCounts, cur: CategoryCounts): ChiSquareResult {
  const nRef = totalCount(ref);
  const nCur = totalCount(cur);
  if (nRef === 0 || nCur === 0) throw new RangeError('chi-square needs at least one value in each sample');
  const keys = categoryUnion(ref, cur);
  const scale = nCur / nRef;
  let stat = 0;
  for (const key of keys) {
    const expected = (ref.get(key) ?? 0) * scale;
    const observed = cur.get(key) ?? 0;
    const d = observed - expected;
    stat += (d * d) / expected;
  }
  const df = keys.length - 1;
  if (df === 0) return { statistic: 0, pvalue: 1, df };
  return { statistic: stat, pvalue: chi2Sf(stat, df), df };
}
