// Runs in: `node src/make-data.js` (Node, no dependencies); not a stage.
// Writes the demo's data from the seeded generator in loans.js: data/loans.csv (the history the
// first models learn from), data/production/week-01.csv ... week-08.csv (the applications that
// arrive in production, with their true outcome), and data/reference.csv (the history with the
// predictions of the model that params.yaml's defaults train, which the monitor compares each week
// with). The same seed gives the same bytes.
'use strict';

const { writeTable, readParams, seedOf } = require('./common');
const { COLUMNS, history, placement, week } = require('./loans');
const { encode, fitEncoding, probability, trainLogistic } = require('./models');

const SEED = 20261130;
const HISTORY_ROWS = 3000;
const WEEKS = 8;
const WEEK_ROWS = 400;

const past = history(HISTORY_ROWS, SEED);
writeTable('data/loans.csv', past, COLUMNS);
for (let n = 1; n <= WEEKS; n++) writeTable(`data/production/week-${String(n).padStart(2, '0')}.csv`, week(n, WEEK_ROWS, SEED), COLUMNS);

// The reference: what the first model saw, as prepare and train see it with the default params.
const params = readParams('params.yaml');
const seed = seedOf(params.split.seed);
const rows = past.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, String(r[c])])));
const train = rows.filter((r) => placement(seed, r.id) >= params.split.test_fraction);
const encoding = fitEncoding(train);
const fit = trainLogistic(
  train.map((r) => encode(encoding, r)),
  train.map((r) => (r.default === '1' ? 1 : 0)),
  { epochs: params.train.epochs, lr: params.train.lr, l2: params.train.l2 },
  () => undefined,
);
const model = { kind: 'logistic-regression', encoding, ...fit };
const scored = rows.map((r) => {
  const p = probability(model, r);
  return { ...r, prediction: p >= 0.5 ? 1 : 0, probability: Math.round(p * 1e6) / 1e6 };
});
writeTable('data/reference.csv', scored, [...COLUMNS.filter((c) => c !== 'default'), 'prediction', 'probability', 'default']);
console.log(`make-data: ${HISTORY_ROWS} historical applications (and the reference), ${WEEKS} weeks of ${WEEK_ROWS}`);
