// Runs in: a stage's child process (Node, no dependencies).
// Stage `train`: fits the family that params.yaml's model.family names on build/train.csv and
// writes build/model.json. logistic: train.lr, train.epochs, train.l2 (loss logged every 10 epochs);
// boosted: boost.n_estimators, boost.depth, boost.learning_rate (loss logged after every tree).
'use strict';

const fs = require('fs');
const { benchtop, loadParams, param, readTable, requireParam } = require('./common');
const { featureNames, fitEncoding, encode, trainBoosted, trainLogistic } = require('./models');

const params = loadParams();
const target = requireParam(params, 'target');
const family = requireParam(params, 'model.family');
const file = 'build/train.csv';
const rows = readTable(file);
if (rows.length === 0) throw new Error(`${file} has no rows: run the prepare stage first.`);

const encoding = fitEncoding(rows);
const X = rows.map((r) => encode(encoding, r));
const y = rows.map((r) => (r[target] === '1' ? 1 : 0));
const features = featureNames(encoding);
let model;

if (family === 'logistic') {
  const epochs = Number(param(params, 'train.epochs', 300));
  const lr = Number(param(params, 'train.lr', 0.5));
  const l2 = Number(param(params, 'train.l2', 0));
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`train.epochs must be a whole number >= 1, got ${epochs}`);
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`train.lr must be a number > 0, got ${lr}`);
  if (!(Number.isFinite(l2) && l2 >= 0)) throw new Error(`train.l2 must be a number >= 0, got ${l2}`);
  benchtop.logParams({ model: { family }, train: { epochs, lr, l2 } });
  const fit = trainLogistic(X, y, { epochs, lr, l2 }, (epoch, loss) => {
    if (epoch % 10 === 0 || epoch === epochs) benchtop.logMetric('loss', loss, epoch);
  });
  model = { kind: 'logistic-regression', encoding, features, ...fit };
} else if (family === 'boosted') {
  const nEstimators = Number(param(params, 'boost.n_estimators', 150));
  const depth = Number(param(params, 'boost.depth', 1));
  const learningRate = Number(param(params, 'boost.learning_rate', 0.1));
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new Error(`boost.n_estimators must be a whole number >= 1, got ${nEstimators}`);
  if (!Number.isInteger(depth) || depth < 1 || depth > 6) throw new Error(`boost.depth must be a whole number from 1 to 6, got ${depth}`);
  if (!(learningRate > 0 && learningRate <= 1)) throw new Error(`boost.learning_rate must be in (0, 1], got ${learningRate}`);
  benchtop.logParams({ model: { family }, boost: { n_estimators: nEstimators, depth, learning_rate: learningRate } });
  const fit = trainBoosted(X, y, { nEstimators, depth, learningRate }, (tree, loss) => benchtop.logMetric('loss', loss, tree));
  model = { kind: 'boosted-trees', encoding, features, ...fit };
} else {
  throw new Error(`model.family must be logistic or boosted, got ${JSON.stringify(family)}`);
}

fs.mkdirSync('build', { recursive: true });
fs.writeFileSync('build/model.json', JSON.stringify(model) + '\n');
console.log(`train: ${model.kind} on ${rows.length} applications (${features.length} features)`);
