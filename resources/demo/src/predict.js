// Runs in: a predict process of `benchtop serve` (Node, no dependencies).
// The predictor of the demo's softmax model (build/model.json, written by train.js): each input
// record holds the four measurements, each answer the predicted species and the class
// probabilities. Benchtop hands over a verified copy of the registered model in
// BENCHTOP_MODEL_PATH; by hand: BENCHTOP_MODEL_PATH=build/model.json node src/predict.js
'use strict';

const fs = require('fs');
const { benchtop } = require('./common');

const model = JSON.parse(fs.readFileSync(benchtop.modelPath(), 'utf8'));
if (model.kind !== 'softmax-regression') throw new Error(`${benchtop.modelPath()} is a ${model.kind ?? 'unknown'} model; predict.js serves the softmax model that train.js writes.`);

function predict(record) {
  const x = model.features.map((f, j) => {
    const v = record[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${f} must be a number, not ${JSON.stringify(v)}`);
    return (v - model.means[j]) / model.stds[j];
  });
  const logits = model.weights.map((w, c) => model.biases[c] + w.reduce((s, wj, j) => s + wj * x[j], 0));
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((s, e) => s + e, 0);
  const probabilities = {};
  model.classes.forEach((c, k) => (probabilities[c] = exps[k] / total));
  const best = logits.indexOf(max);
  return { prediction: model.classes[best], probabilities };
}

benchtop.servePredictions(predict);
