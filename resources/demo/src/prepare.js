// Runs in: a stage's child process (Node, no dependencies).
// Stage `prepare`: the training window and its train/test split. The window is the history
// (data/loans.csv) followed by every labeled production week that has arrived in data/batches,
// keeping the newest `data.window` applications, so a retrained model learns from recent weeks.
// Each application goes to the test set by a hash of its id, so it stays there as new weeks arrive.
'use strict';

const fs = require('fs');
const path = require('path');
const { loadParams, readTable, requireParam, seedOf, writeTable } = require('./common');
const { COLUMNS, placement } = require('./loans');

const params = loadParams();
const dataset = requireParam(params, 'data.history');
const batches = requireParam(params, 'data.batches');
const window = Number(requireParam(params, 'data.window'));
const target = requireParam(params, 'target');
const testFraction = Number(requireParam(params, 'split.test_fraction'));
const seed = seedOf(requireParam(params, 'split.seed'));
if (!(testFraction > 0 && testFraction < 1)) throw new Error(`split.test_fraction must be between 0 and 1, got ${testFraction}`);
if (!(Number.isInteger(window) && window >= 100)) throw new Error(`data.window must be a whole number of at least 100, got ${window}`);

let rows = readTable(dataset);
let weeks = 0;
if (fs.existsSync(batches)) {
  for (const name of fs.readdirSync(batches).filter((f) => f.endsWith('.csv')).sort()) {
    const file = path.join(batches, name);
    // A batch counts once its outcomes have arrived: every row has the target.
    const batch = readTable(file);
    if (batch.length === 0 || batch.some((r) => r[target] !== '0' && r[target] !== '1')) {
      console.log(`prepare: ${file} skipped: its ${target} column is not filled with 0 and 1 yet`);
      continue;
    }
    rows = rows.concat(batch);
    weeks++;
  }
}
const kept = rows.slice(Math.max(0, rows.length - window));

const test = kept.filter((r) => placement(seed, r.id) < testFraction);
const train = kept.filter((r) => placement(seed, r.id) >= testFraction);

writeTable('build/train.csv', train, COLUMNS);
writeTable('build/test.csv', test, COLUMNS);
console.log(`prepare: ${kept.length} applications (history and ${weeks} production week${weeks === 1 ? '' : 's'}): ${train.length} to train, ${test.length} to test`);
