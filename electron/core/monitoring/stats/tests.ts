// Runs in: main (core). The drift tests by name: what each needs, how its score reads, and running one on a column.
import { driftTestName } from '../../../../shared/contract/drift';
import { andersonKsamp } from './anderson';
import { numericShares, categoryShares, smoothEmpty, type BinnedShares } from './binning';
import { countSorted, type CategoryCounts } from './categories';
import { energyDistance, wassersteinNormed } from './cdf-distance';
import { chiSquare } from './chi-square';
import { cramerVonMises2samp } from './cramer-von-mises';
import { hellinger, jensenShannon, klDivergence, psi } from './divergences';
import { ks2samp } from './ks';
import type { SortedSample } from './sample';
import { tTest } from './t-test';
import { zTest } from './z-test';

/** The tests by name, as the contract lists them (`--test COL=NAME`). */
export const DRIFT_TESTS = driftTestName.options;
export type DriftTestName = (typeof DRIFT_TESTS)[number];

/** A column's non-missing values: numbers sorted once, or category counts. */
export type ColumnSample = { kind: 'numeric'; values: SortedSample } | { kind: 'categorical'; counts: CategoryCounts };

export interface TestSpec {
  /** 'p_value': drift when p < threshold; 'distance': drift when distance ≥ threshold. */
  score: 'p_value' | 'distance';
  defaultThreshold: number;
  numericOnly: boolean;
  title: string;
}

export const TEST_SPECS: Record<DriftTestName, TestSpec> = {
  ks: { score: 'p_value', defaultThreshold: 0.05, numericOnly: true, title: 'Kolmogorov–Smirnov' },
  wasserstein: { score: 'distance', defaultThreshold: 0.1, numericOnly: true, title: 'Wasserstein distance (normed)' },
  chisquare: { score: 'p_value', defaultThreshold: 0.05, numericOnly: false, title: 'Chi-square' },
  z: { score: 'p_value', defaultThreshold: 0.05, numericOnly: false, title: 'Z-test for two proportions' },
  jensenshannon: { score: 'distance', defaultThreshold: 0.1, numericOnly: false, title: 'Jensen–Shannon distance' },
  psi: { score: 'distance', defaultThreshold: 0.1, numericOnly: false, title: 'PSI' },
  kl_div: { score: 'distance', defaultThreshold: 0.1, numericOnly: false, title: 'Kullback–Leibler divergence' },
  hellinger: { score: 'distance', defaultThreshold: 0.1, numericOnly: false, title: 'Hellinger distance' },
  anderson: { score: 'p_value', defaultThreshold: 0.05, numericOnly: true, title: 'Anderson–Darling' },
  cramer_von_mises: { score: 'p_value', defaultThreshold: 0.05, numericOnly: true, title: 'Cramér–von Mises' },
  t_test: { score: 'p_value', defaultThreshold: 0.05, numericOnly: true, title: "Welch's t-test" },
  energy_distance: { score: 'distance', defaultThreshold: 0.1, numericOnly: true, title: 'Energy distance' },
};

export interface TestOutcome {
  test: DriftTestName;
  /** The p-value or the distance, whichever the test is judged by. */
  score: number;
  /** The test's own statistic (equal to score for distances). */
  statistic: number;
  pvalue: number | null;
  /** 'exact' or 'asymptotic' for KS and Cramér–von Mises. */
  method: string | null;
  /** The shares the binned distances used, for histograms in the report. */
  bins: BinnedShares | null;
}

function counts(sample: ColumnSample): CategoryCounts {
  return sample.kind === 'categorical' ? sample.counts : countSorted(sample.values);
}

function shares(ref: ColumnSample, cur: ColumnSample): BinnedShares {
  if (ref.kind === 'numeric' && cur.kind === 'numeric') return numericShares(ref.values, cur.values);
  return categoryShares(counts(ref), counts(cur));
}

function numeric(test: DriftTestName, sample: ColumnSample): SortedSample {
  if (sample.kind !== 'numeric') throw new RangeError(`${TEST_SPECS[test].title} needs a numeric column`);
  return sample.values;
}

/** Runs one test by name; throws RangeError when the test cannot apply (wrong kind, too few values). */
export function runTest(test: DriftTestName, ref: ColumnSample, cur: ColumnSample): TestOutcome {
  const p = (statistic: number, pvalue: number, method: string | null = null): TestOutcome => ({
    test,
    score: pvalue,
    statistic,
    pvalue,
    method,
    bins: null,
  });
  const dist = (value: number, bins: BinnedShares | null = null): TestOutcome => ({
    test,
    score: value,
    statistic: value,
    pvalue: null,
    method: null,
    bins,
  });
  switch (test) {
    case 'ks': {
      const r = ks2samp(numeric(test, ref), numeric(test, cur));
      return p(r.statistic, r.pvalue, r.method);
    }
    case 'wasserstein':
      return dist(wassersteinNormed(numeric(test, ref), numeric(test, cur)));
    case 'energy_distance':
      return dist(energyDistance(numeric(test, ref), numeric(test, cur)));
    case 'anderson': {
      const r = andersonKsamp([numeric(test, ref), numeric(test, cur)]);
      return p(r.statistic, r.pvalue);
    }
    case 'cramer_von_mises': {
      const r = cramerVonMises2samp(numeric(test, ref), numeric(test, cur));
      return p(r.statistic, r.pvalue, r.method);
    }
    case 't_test': {
      const r = tTest(numeric(test, ref), numeric(test, cur), false);
      return p(r.statistic, r.pvalue);
    }
    case 'chisquare': {
      const r = chiSquare(counts(ref), counts(cur));
      return p(r.statistic, r.pvalue);
    }
    case 'z': {
      const r = zTest(counts(ref), counts(cur));
      return p(r.statistic, r.pvalue);
    }
    case 'jensenshannon': {
      const b = shares(ref, cur);
      return dist(jensenShannon(smoothEmpty(b.ref), smoothEmpty(b.cur)), b);
    }
    case 'psi': {
      const b = shares(ref, cur);
      return dist(psi(smoothEmpty(b.ref), smoothEmpty(b.cur)), b);
    }
    case 'kl_div': {
      const b = shares(ref, cur);
      return dist(klDivergence(smoothEmpty(b.ref), smoothEmpty(b.cur)), b);
    }
    case 'hellinger': {
      const b = shares(ref, cur);
      return dist(hellinger(b.ref, b.cur), b);
    }
  }
}
