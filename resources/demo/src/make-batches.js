// Runs in: Node, by hand (not a pipeline stage; no dependencies).
// Simulated production for the demo's monitor: six weekly batches of iris measurements, each row
// scored by the trained model (build/model.json, from `train`), written to data/batches/week-0N.csv,
// and the reference (every iris row with the model's prediction) to data/iris-scored.csv.
// From week 4 a new supplier sends larger flowers (petals longer and wider) and mostly virginica,
// so the monitor sees drift there. Seeded: running it again with the same model gives the same bytes.
//
//   node src/prepare.js && node src/train.js && node src/make-batches.js
'use strict';

const fs = require('fs');
const { columnsOf, featuresOf, mulberry32, readTable, writeTable } = require('./common');

const SEED = 2026;
const WEEKS = 6;
const ROWS_PER_WEEK = 120;
/** The first week with drift (1-based). */
const DRIFT_FROM = 4;

const model = readModel('build/model.json');
const source = 'data/iris.csv';
const rows = readTable(source);
const columns = columnsOf(source);
const target = model.target;
if (!columns.includes(target)) throw new Error(`${source} has no column ${target}, the model's target.`);

function readModel(file) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run the pipeline (or node src/prepare.js && node src/train.js) first.`);
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (m.kind !== 'softmax-regression') throw new Error(`${file} is a ${m.kind ?? 'unknown'} model; this script scores the softmax model that train.js writes.`);
  return m;
}

/** The model's class for one row (as evaluate.js computes it). */
function predict(values) {
  const x = values.map((v, j) => (v - model.means[j]) / model.stds[j]);
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

const byClass = new Map();
for (const row of rows) {
  const group = byClass.get(row[target]) ?? [];
  group.push(row);
  byClass.set(row[target], group);
}
const classes = [...byClass.keys()].sort();

/** Per class and feature, the standard deviation: the measurement noise is a share of it. */
const spread = new Map(
  classes.map((label) => {
    const values = byClass.get(label).map((r) => featuresOf(r, model.features, source));
    return [label, model.features.map((_, j) => std(values.map((v) => v[j])))];
  }),
);

function std(xs) {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
}

/** A standard normal draw (Box-Muller) from the seeded generator. */
function gaussian(random) {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function pick(random, weights) {
  let r = random() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** How a drifted week differs: extra cm on the petals, and the class mix (setosa, versicolor, virginica). */
function shapeOf(week) {
  if (week < DRIFT_FROM) return { petalLength: 0, petalWidth: 0, mix: [1, 1, 1] };
  const grow = 1 + 0.25 * (week - DRIFT_FROM);
  return { petalLength: 0.8 * grow, petalWidth: 0.3 * grow, mix: [1, 2, 5] };
}

function week(n) {
  const random = mulberry32(SEED * 100 + n);
  const shape = shapeOf(n);
  const out = [];
  for (let i = 0; i < ROWS_PER_WEEK; i++) {
    const label = classes[pick(random, shape.mix)];
    const group = byClass.get(label);
    const base = featuresOf(group[Math.floor(random() * group.length)], model.features, source);
    const sd = spread.get(label);
    const values = base.map((v, j) => {
      const feature = model.features[j];
      const shift = feature.startsWith('petal_length') ? shape.petalLength : feature.startsWith('petal_width') ? shape.petalWidth : 0;
      // Calipers read to a millimetre, and nothing measures below one.
      return Math.max(0.1, Math.round((v + shift + 0.5 * sd[j] * gaussian(random)) * 10) / 10);
    });
    const row = {};
    model.features.forEach((f, j) => (row[f] = values[j].toFixed(1)));
    row[target] = label;
    row.prediction = predict(values);
    out.push(row);
  }
  return out;
}

const outColumns = [...model.features, target, 'prediction'];
const reference = rows.map((r) => ({ ...r, prediction: predict(featuresOf(r, model.features, source)) }));
writeTable('data/iris-scored.csv', reference, outColumns);
for (let n = 1; n <= WEEKS; n++) {
  const file = `data/batches/week-${String(n).padStart(2, '0')}.csv`;
  const batch = week(n);
  writeTable(file, batch, outColumns);
  const right = batch.filter((r) => r.prediction === r[target]).length;
  console.log(`${file}: ${batch.length} rows, model accuracy ${(right / batch.length).toFixed(3)}${n >= DRIFT_FROM ? ' (drifted)' : ''}`);
}
