// Runs in: a stage's child process (Node, no dependencies).
// Stage `train`: multinomial logistic regression (softmax), fitted by batch gradient descent on
// standardized features, with optional L2 regularization. Params: train.epochs (default 200),
// train.lr (default 0.5), train.l2 (default 0.0). Logs `loss` (mean cross-entropy plus the L2
// penalty) and `train_accuracy` every 10 epochs, with step = epoch (0 is before any update).
'use strict';

const fs = require('fs');
const { benchtop, featuresOf, loadParams, param, readTable, requireParam } = require('./common');

const params = loadParams();
const target = requireParam(params, 'target');
const epochs = Number(param(params, 'train.epochs', 200));
const lr = Number(param(params, 'train.lr', 0.5));
const l2 = Number(param(params, 'train.l2', 0.0));
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`train.epochs must be a whole number >= 1, got ${epochs}`);
if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`train.lr must be a number > 0, got ${lr}`);
if (!(Number.isFinite(l2) && l2 >= 0)) throw new Error(`train.l2 must be a number >= 0, got ${l2}`);
benchtop.logParams({ train: { epochs, lr, l2 } });

const file = 'build/train.csv';
const rows = readTable(file);
if (rows.length === 0) throw new Error(`${file} has no rows: run the prepare stage first.`);
const features = Object.keys(rows[0]).filter((c) => c !== target);
const classes = [...new Set(rows.map((r) => r[target]))].sort();
const raw = rows.map((r) => featuresOf(r, features, file));
const labels = rows.map((r) => classes.indexOf(r[target]));
const n = rows.length;
const d = features.length;
const k = classes.length;

// Standardize with the training set's means and (population) standard deviations.
const means = features.map((_, j) => raw.reduce((s, x) => s + x[j], 0) / n);
const stds = features.map((_, j) => {
  const sd = Math.sqrt(raw.reduce((s, x) => s + (x[j] - means[j]) ** 2, 0) / n);
  return sd > 0 ? sd : 1; // a constant column: leave it centred at 0
});
const X = raw.map((x) => x.map((v, j) => (v - means[j]) / stds[j]));

const weights = classes.map(() => new Array(d).fill(0)); // k x d
const biases = new Array(k).fill(0);

/** Class probabilities for one standardized row. */
function softmax(x) {
  const logits = weights.map((w, c) => biases[c] + w.reduce((s, wj, j) => s + wj * x[j], 0));
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / total);
}

for (let epoch = 0; ; epoch++) {
  // Forward pass at the current weights: loss, accuracy and the gradient.
  const gradW = classes.map(() => new Array(d).fill(0));
  const gradB = new Array(k).fill(0);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const p = softmax(X[i]);
    const y = labels[i];
    loss -= Math.log(Math.max(p[y], 1e-15));
    if (p.indexOf(Math.max(...p)) === y) correct++;
    for (let c = 0; c < k; c++) {
      const err = p[c] - (c === y ? 1 : 0);
      gradB[c] += err;
      for (let j = 0; j < d; j++) gradW[c][j] += err * X[i][j];
    }
  }
  const penalty = (l2 / 2) * weights.reduce((s, w) => s + w.reduce((t, v) => t + v * v, 0), 0);
  loss = loss / n + penalty;
  if (!Number.isFinite(loss)) throw new Error(`train: the loss diverged at epoch ${epoch}; try a smaller train.lr (now ${lr}).`);
  if (epoch % 10 === 0 || epoch === epochs) {
    benchtop.logMetric('loss', loss, epoch);
    benchtop.logMetric('train_accuracy', correct / n, epoch);
  }
  if (epoch === epochs) {
    console.log(`train: epoch ${epoch}, loss ${loss.toFixed(4)}, train accuracy ${(correct / n).toFixed(3)}`);
    break;
  }
  // One step of batch gradient descent (the bias is not regularized).
  for (let c = 0; c < k; c++) {
    biases[c] -= (lr * gradB[c]) / n;
    for (let j = 0; j < d; j++) weights[c][j] -= lr * (gradW[c][j] / n + l2 * weights[c][j]);
  }
}

const model = { kind: 'softmax-regression', features, classes, means, stds, weights, biases, target };
fs.mkdirSync('build', { recursive: true });
fs.writeFileSync('build/model.json', JSON.stringify(model, null, 2) + '\n');
benchtop.logArtifact('build/model.json');
console.log(`train: softmax regression over ${d} features and ${k} classes from ${n} rows`);
