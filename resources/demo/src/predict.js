// Runs in: a predict process of `benchtop serve` (Node, no dependencies).
// The predictor of every loan-default version (build/release.json from evaluate.js, or the
// scorecard in models/): each input is an application, each answer the predicted `default` (0/1)
// and its probability. Benchtop hands over a verified copy of the version's file in
// BENCHTOP_MODEL_PATH; by hand: BENCHTOP_MODEL_PATH=build/release.json node src/predict.js
'use strict';

const fs = require('fs');
const { benchtop } = require('./common');
const { probability } = require('./models');

const file = JSON.parse(fs.readFileSync(benchtop.modelPath(), 'utf8'));
const model = file.model ?? file;
probability(model, { age: 40, income: 3000, amount: 5000, term: 24, employment: 'salaried', region: 'north', credit_history_years: 5, previous_defaults: 0 });

benchtop.servePredictions((record) => {
  const p = probability(model, record);
  return { prediction: p >= 0.5 ? 1 : 0, probability: Math.round(p * 1e6) / 1e6 };
});
