// Runs in: a stage's child process (Node, no dependencies).
// Stage `evaluate`: scores the new model and the current champion (the dep
// models:/loan-default@champion) on the same test rows, so the gate compares like with like even
// when the test rows changed since the champion was registered. Writes metrics.json and
// build/release.json (the model with its evaluation), which is what gets registered.
'use strict';

const fs = require('fs');
const { benchtop, loadParams, readTable, requireParam } = require('./common');
const { probability, scoreAll } = require('./models');

const params = loadParams();
const target = requireParam(params, 'target');
const model = JSON.parse(fs.readFileSync('build/model.json', 'utf8'));
const file = 'build/test.csv';
const rows = readTable(file);
if (rows.length === 0) throw new Error(`${file} has no rows: run the prepare stage first.`);
const labels = rows.map((r) => (r[target] === '1' ? 1 : 0));

const championPath = process.env.BENCHTOP_MODEL_LOAN_DEFAULT;
if (!championPath) throw new Error('BENCHTOP_MODEL_LOAN_DEFAULT is not set: run this stage with `benchtop run`, which hands it the champion (models:/loan-default@champion).');
const championFile = JSON.parse(fs.readFileSync(championPath, 'utf8'));
const champion = championFile.model ?? championFile;

const ours = scoreAll(labels, rows.map((r) => probability(model, r)));
const theirs = scoreAll(labels, rows.map((r) => probability(champion, r)));
const round = (v) => Math.round(v * 1e6) / 1e6;
const metrics = {
  accuracy: round(ours.accuracy),
  auc: round(ours.auc),
  f1: round(ours.f1),
  log_loss: round(ours.log_loss),
  champion_auc: round(theirs.auc),
  champion_accuracy: round(theirs.accuracy),
  // What the gate reads: better than the champion on these very rows.
  auc_lift: round(ours.auc - theirs.auc),
  test_rows: rows.length,
};
fs.writeFileSync('metrics.json', JSON.stringify({ ...metrics, confusion: ours.confusion }, null, 2) + '\n');
fs.mkdirSync('build', { recursive: true });
fs.writeFileSync('build/release.json', JSON.stringify({ model, evaluation: { ...metrics, champion_kind: champion.kind } }) + '\n');
console.log(`evaluate: ${model.kind} AUC ${metrics.auc.toFixed(3)}, accuracy ${metrics.accuracy.toFixed(3)}; the champion (${champion.kind}) AUC ${metrics.champion_auc.toFixed(3)} on the same ${rows.length} rows`);
