// Runs in: renderer. The drift tests the core offers by name, as the column settings list them: the
// renderer cannot import the core's TEST_SPECS, so this mirrors their titles and whether a test needs
// numbers (a unit test keeps the two equal).
import { driftTestName } from '../../../../shared/contract';
import type { DriftRequest } from '../../../../shared/contract';

export type DriftTest = (typeof driftTestName.options)[number];
export type ColumnType = NonNullable<DriftRequest['columns'][string]['type']>;
export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'categorical', 'text', 'datetime'];

export const DRIFT_TEST_CHOICES: Record<DriftTest, { title: string; numericOnly: boolean }> = {
  ks: { title: 'Kolmogorov–Smirnov', numericOnly: true },
  wasserstein: { title: 'Wasserstein distance (normed)', numericOnly: true },
  chisquare: { title: 'Chi-square', numericOnly: false },
  z: { title: 'Z-test for two proportions', numericOnly: false },
  jensenshannon: { title: 'Jensen–Shannon distance', numericOnly: false },
  psi: { title: 'PSI', numericOnly: false },
  kl_div: { title: 'Kullback–Leibler divergence', numericOnly: false },
  hellinger: { title: 'Hellinger distance', numericOnly: false },
  anderson: { title: 'Anderson–Darling', numericOnly: true },
  cramer_von_mises: { title: 'Cramér–von Mises', numericOnly: true },
  t_test: { title: "Welch's t-test", numericOnly: true },
  energy_distance: { title: 'Energy distance', numericOnly: true },
};

/** The tests that can run on a column of this type: none on text (summarised only), numeric ones on numbers and dates. */
export function testsFor(type: ColumnType): DriftTest[] {
  if (type === 'text') return [];
  return driftTestName.options.filter(
    (t) => type === 'numeric' || type === 'datetime' || !DRIFT_TEST_CHOICES[t].numericOnly,
  );
}
