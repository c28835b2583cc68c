// Runs in: main (core). Two-proportion z-test (two-sided, pooled variance) for binary columns.
import { categoryUnion, totalCount, type CategoryCounts } from './categories';
import { normalTwoSided } from './special';

export interface ZTestResult {
  statistic: number;
  pvalue: number;
}

/**
 * Compares the share of the first category (in sorted order) between the samples:
 * z = (p_ref − p_cur) / √(P(1−P)(1/n_ref + 1/n_cur)) with the pooled share P; p = 2·(1 − Φ(|z|)) computed
 * as erfc(|z|/√2). When both samples hold the same single value there is nothing to compare: z = 0, p = 1.
 */
export function zTest(ref: CategoryCounts, cur: CategoryCounts): ZTestResult {
  const n1 = totalCount(ref);
  const n2 = totalCount(cur);
  if (n1 === 0 || n2 === 0) throw new RangeError('the z-test needs at least one value in each sample');
  const keys = categoryUnion(ref, cur);
  if (keys.length > 2)
    throw new RangeError(`the two-proportion z-test needs a binary column; this one has ${keys.length} values`);
  if (keys.length === 1) return { statistic: 0, pvalue: 1 };
  const key = keys[0]!;
  const x1 = ref.get(key) ?? 0;
  const x2 = cur.get(key) ?? 0;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pvalue: normalTwoSided(z) };
}
