// Runs in: a stage's child process (Node, no dependencies).
// Stage `prepare`: a seeded, stratified train/test split of the dataset named in params.yaml.
// The JavaScript twin of prepare.py (same split rule; a different generator, so different rows).
'use strict';

const { columnsOf, loadParams, mulberry32, readTable, requireParam, seedOf, shuffle, writeTable } = require('./common');

const params = loadParams();
const dataset = requireParam(params, 'dataset');
const target = requireParam(params, 'target');
const testFraction = Number(requireParam(params, 'split.test_fraction'));
if (!(testFraction >= 0 && testFraction <= 1)) throw new Error(`split.test_fraction must be between 0 and 1, got ${testFraction}`);
const random = mulberry32(seedOf(requireParam(params, 'split.seed')));

const rows = readTable(dataset);
if (rows.length === 0) throw new Error(`${dataset} has no rows.`);
const columns = columnsOf(dataset);
if (!columns.includes(target)) throw new Error(`${dataset} has no column ${target} (the target).`);

const byClass = new Map();
for (const row of rows) {
  const group = byClass.get(row[target]) ?? [];
  group.push(row);
  byClass.set(row[target], group);
}

const train = [];
const test = [];
for (const label of [...byClass.keys()].sort()) {
  const group = shuffle(byClass.get(label), random);
  const cut = Math.round(group.length * testFraction);
  test.push(...group.slice(0, cut));
  train.push(...group.slice(cut));
}

writeTable('build/train.csv', train, columns);
writeTable('build/test.csv', test, columns);
console.log(`prepare: ${train.length} training rows, ${test.length} test rows, ${byClass.size} classes`);
