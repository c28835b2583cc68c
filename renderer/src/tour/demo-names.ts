// Runs in: renderer. The names the guided tour uses from the demo project, in one place: when the
// demo's story changes (its dataset, model, monitor, sweep), only this file changes.

export const DEMO = {
  /** The training data the demo versions. */
  dataset: 'data/loans.csv',
  /** The registered model its pipeline trains, and the alias that marks the version in use. */
  model: 'loan-default',
  alias: 'champion',
  /** The metric that decides which model is best (higher is better). */
  metric: 'auc',
  /** The grid a sweep runs: `key=v1,v2` per param (as `benchtop demo` sweeps). */
  sweep: ['model.family=boosted', 'boost.depth=1,2,3'],
  /** How the sweep is described to the user. */
  sweepLabel: 'boosted trees at depths 1, 2 and 3',
  /** The monitor that watches production. */
  monitor: 'loan-weekly',
  /** Where production weeks wait, where they land once the endpoint answered them, and what they are compared with. */
  production: 'data/production/',
  batches: 'data/batches/',
  reference: 'data/reference.csv',
  /** The script that answers predictions. */
  predict: 'src/predict.js',
} as const;
