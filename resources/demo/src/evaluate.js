// Runs in: a stage's child process (Node, no dependencies).
// Stage `evaluate`: accuracy and per-class recall of train.js's model on the held-out rows,
// written to metrics.json. The JavaScript twin of evaluate.py (which scores train.py's model).
'use strict';

const fs = require('fs');
const { benchtop, featuresOf, loadParams, readTable, requireParam } = require('./common');

const params = loadParams();
const target = requireParam(params, 'target');
const model = JSON.parse(fs.readFileSync('build/model.json', 'utf8'));
if (model.kind !== 'softmax-regression') {
  throw new Error(`build/model.json is a ${model.kind ?? 'unknown'} model; evaluate.js scores the softmax model that train.js writes.`);
}
const file = 'build/test.csv';
const rows = readTable(file);
if (rows.length === 0) throw new Error(`${file} has no rows: run the prepare stage first.`);

function predict(row) {
  const x = featuresOf(row, model.features, file).map((v, j) => (v - model.means[j]) / model.stds[j]);
  let best = 0;
  let bestScore = -Infinity;
  model.weights.forEach((w, c) => {
    const score = model.biases[c] + w.reduce((s, wj, j) => s + wj * x[j], 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  });
  return model.classes[best];
}

let correct = 0;
const perClass = new Map(); // label -> [seen, right]
for (const row of rows) {
  const hit = predict(row) === row[target] ? 1 : 0;
  correct += hit;
  const [seen, right] = perClass.get(row[target]) ?? [0, 0];
  perClass.set(row[target], [seen + 1, right + hit]);
}

const recall = {};
for (const label of [...perClass.keys()].sort()) {
  const [seen, right] = perClass.get(label);
  recall[label] = right / seen;
}
const metrics = { accuracy: correct / rows.length, recall, test_rows: rows.length };
fs.writeFileSync('metrics.json', JSON.stringify(metrics, null, 2) + '\n');
benchtop.logMetric('accuracy', metrics.accuracy);
console.log(`evaluate: accuracy ${metrics.accuracy.toFixed(3)} on ${rows.length} rows`);
