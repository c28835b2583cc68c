// Runs in: `node src/make-data.js` (Node, no dependencies); not a stage.
// Writes the demo's data from the seeded generator in loans.js: data/loans.csv (the history the
// first models learn from) and data/production/week-01.csv ... week-08.csv (the applications that
// arrive in production, with their true outcome). The same seed gives the same bytes.
'use strict';

const { writeTable } = require('./common');
const { COLUMNS, history, week } = require('./loans');

const SEED = 20261130;
const HISTORY_ROWS = 3000;
const WEEKS = 8;
const WEEK_ROWS = 400;

writeTable('data/loans.csv', history(HISTORY_ROWS, SEED), COLUMNS);
for (let n = 1; n <= WEEKS; n++) writeTable(`data/production/week-${String(n).padStart(2, '0')}.csv`, week(n, WEEK_ROWS, SEED), COLUMNS);
console.log(`make-data: ${HISTORY_ROWS} historical applications, ${WEEKS} weeks of ${WEEK_ROWS}`);
