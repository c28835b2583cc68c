// Runs in: main (core). The drift statistics' public surface, for the drift report, monitors and the CLI.
export { andersonKsamp, type AndersonResult } from './anderson';
export {
  categoryShares,
  histogramShares,
  MAX_VALUES_AS_BINS,
  numericShares,
  smoothEmpty,
  sturgesEdges,
  type BinnedShares,
} from './binning';
export { categoryUnion, countCategories, countSorted, totalCount, type CategoryCounts } from './categories';
export { energyDistance, wassersteinDistance, wassersteinNormed } from './cdf-distance';
export { chiSquare, type ChiSquareResult } from './chi-square';
export {
  choiceInput,
  columnDrift,
  datasetDrift,
  DATASET_DRIFT_SHARE,
  defaultTest,
  isDrift,
  NUMERIC_MIN_DISTINCT,
  SMALL_REFERENCE_ROWS,
  type ChoiceInput,
  type ColumnDrift,
  type ColumnOptions,
  type DatasetDrift,
} from './choice';
export { cramerVonMises2samp, type CvmResult } from './cramer-von-mises';
export { hellinger, jensenShannon, klDivergence, psi } from './divergences';
export { ks2samp, ksStatistic, type KsResult } from './ks';
export { kolmogorovSf } from './kolmogorov';
export { distinctCount, sortedSample, type SortedSample } from './sample';
export { tTest, type TTestResult } from './t-test';
export {
  DRIFT_TESTS,
  runTest,
  TEST_SPECS,
  type ColumnSample,
  type DriftTestName,
  type TestOutcome,
  type TestSpec,
} from './tests';
export { zTest, type ZTestResult } from './z-test';
