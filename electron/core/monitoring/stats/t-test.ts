// Runs in: main (core). Two-sample t-test (scipy.stats.ttest_ind), Student's pooled form or Welch's.
import { studentTwoSided } from './special';
import { mean, variance, type SortedSample } from './sample';

export interface TTestResult {
  statistic: number;
  pvalue: number;
  df: number;
}

/** t = (mean_ref − mean_cur)/se, two-sided. `equalVar` false gives Welch's test with Satterthwaite's df. */
export function tTest(
  ref: Float64Array | SortedSample,
  cur: Float64Array | SortedSample,
  equalVar = false,
): TTestResult {
  const n1 = ref.length;
  const n2 = cur.length;
  if (n1 < 2 || n2 < 2) throw new RangeError('the t-test needs at least two values in each sample');
  const v1 = variance(ref, 1);
  const v2 = variance(cur, 1);
  let df: number;
  let se: number;
  if (equalVar) {
    df = n1 + n2 - 2;
    const pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    se = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  } else {
    const a = v1 / n1;
    const b = v2 / n2;
    df = ((a + b) * (a + b)) / ((a * a) / (n1 - 1) + (b * b) / (n2 - 1));
    se = Math.sqrt(a + b);
  }
  const t = (mean(ref) - mean(cur)) / se;
  return { statistic: t, pvalue: studentTwoSided(t, df), df };
}
