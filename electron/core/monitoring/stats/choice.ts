// Runs in: main (core). Which test a column gets by default, whether it drifted, and whether the dataset did.
import { categoryUnion, countSorted, totalCount } from './categories';
import { pooledDistinctCount } from './sample';
import { runTest, TEST_SPECS, type ColumnSample, type DriftTestName, type TestOutcome } from './tests';

/** The reference size up to which the statistical tests (KS, chi-square, z) are the default. */
export const SMALL_REFERENCE_ROWS = 1000;
/** Numeric columns with more distinct values than this are tested as numbers, else as categories. */
export const NUMERIC_MIN_DISTINCT = 5;
/** The dataset drifts when at least this share of its columns drift. */
export const DATASET_DRIFT_SHARE = 0.5;

export interface ChoiceInput {
  kind: 'numeric' | 'categorical';
  /** Non-missing values in the reference. */
  referenceRows: number;
  /** Distinct non-missing values over reference and current together. */
  distinctValues: number;
}

/**
 * The widely used default (Evidently's): numeric with > 5 distinct values → KS when the reference has
 * ≤ 1,000 rows, else the normed Wasserstein distance; categorical or low-cardinality numeric → chi-square
 * (≤ 1,000 rows, > 2 values) or the z-test (≤ 1,000 rows, ≤ 2 values), else Jensen–Shannon.
 */
export function defaultTest({ kind, referenceRows, distinctValues }: ChoiceInput): DriftTestName {
  const small = referenceRows <= SMALL_REFERENCE_ROWS;
  if (kind === 'numeric' && distinctValues > NUMERIC_MIN_DISTINCT) return small ? 'ks' : 'wasserstein';
  if (small) return distinctValues > 2 ? 'chisquare' : 'z';
  return 'jensenshannon';
}

export function choiceInput(ref: ColumnSample, cur: ColumnSample): ChoiceInput {
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    return {
      kind: 'numeric',
      referenceRows: ref.values.length,
      distinctValues: pooledDistinctCount(ref.values, cur.values),
    };
  }
  const rc = ref.kind === 'categorical' ? ref.counts : countSorted(ref.values);
  const cc = cur.kind === 'categorical' ? cur.counts : countSorted(cur.values);
  return { kind: 'categorical', referenceRows: totalCount(rc), distinctValues: categoryUnion(rc, cc).length };
}

export interface ColumnOptions {
  /** Use this test instead of the default. */
  test?: DriftTestName;
  /** Use this threshold instead of the test's default (0.05 for p-values, 0.1 for distances). */
  threshold?: number;
}

export interface ColumnDrift extends TestOutcome {
  scoreKind: 'p_value' | 'distance';
  threshold: number;
  drifted: boolean;
}

/** p-value tests drift when p < threshold; distances when distance ≥ threshold. */
export function isDrift(scoreKind: 'p_value' | 'distance', score: number, threshold: number): boolean {
  return scoreKind === 'p_value' ? score < threshold : score >= threshold;
}

export function columnDrift(ref: ColumnSample, cur: ColumnSample, options: ColumnOptions = {}): ColumnDrift {
  const test = options.test ?? defaultTest(choiceInput(ref, cur));
  const spec = TEST_SPECS[test];
  const threshold = options.threshold ?? spec.defaultThreshold;
  const outcome = runTest(test, ref, cur);
  return { ...outcome, scoreKind: spec.score, threshold, drifted: isDrift(spec.score, outcome.score, threshold) };
}

export interface DatasetDrift {
  columns: number;
  driftedColumns: number;
  share: number;
  datasetDrift: boolean;
}

export function datasetDrift(drifted: readonly boolean[], shareThreshold = DATASET_DRIFT_SHARE): DatasetDrift {
  const columns = drifted.length;
  const driftedColumns = drifted.filter(Boolean).length;
  const share = columns === 0 ? 0 : driftedColumns / columns;
  return { columns, driftedColumns, share, datasetDrift: columns > 0 && share >= shareThreshold };
}
