// Runs in: main (core). The drift report module's public surface.
export { computeDriftReport, type DriftOptions, type DriftProgress } from './drift-report';
export { MAX_CATEGORIES, OTHER } from './categories';
export { TEXT_MIN_DISTINCT_SHARE, TEXT_MIN_MEAN_LENGTH } from './column-types';
export { rocAuc } from './performance';
