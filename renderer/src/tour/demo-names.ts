// Runs in: renderer. The names the guided tour uses from the demo project, in one place: when the
// demo's story changes (its dataset, model, monitor, sweep), only this file changes.

export const DEMO = {
  /** The training data the demo versions. */
  dataset: 'data/iris.csv',
  /** The registered model its pipeline trains, and the alias that marks the version in use. */
  model: 'iris-softmax',
  alias: 'champion',
  /** The metric that decides which model is best (higher is better). */
  metric: 'accuracy',
  /** The grid a sweep runs: `key=v1,v2` per param (see `benchtop run --sweep`). */
  sweep: ['train.lr=0.05,0.2', 'train.epochs=60'],
  /** How the sweep is described to the user. */
  sweepLabel: 'two learning rates at 60 epochs',
  /** The monitor that watches production. */
  monitor: 'iris-weekly',
  /** Where production batches arrive, and what they are compared with. */
  batches: 'data/batches/',
  reference: 'data/iris-scored.csv',
  /** The records "Send traffic" posts to the endpoint: what a client would send. */
  traffic: [
    { sepal_length_cm: 5.1, sepal_width_cm: 3.5, petal_length_cm: 1.4, petal_width_cm: 0.2 },
    { sepal_length_cm: 6.1, sepal_width_cm: 2.8, petal_length_cm: 4.7, petal_width_cm: 1.2 },
    { sepal_length_cm: 7.7, sepal_width_cm: 3.0, petal_length_cm: 6.1, petal_width_cm: 2.3 },
  ] as Record<string, number | string>[],
  /** The script that answers predictions. */
  predict: 'src/predict.js',
} as const;
