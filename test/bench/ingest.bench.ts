// Ingest benchmark: a million metric points printed by a child process as `::benchtop::` lines,
// through the real runner (line splitting, protocol parsing, log file, MetricWriter, live events),
// against the same million rows inserted into run_metrics with one prepared statement.
import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScript } from '../../electron/core/pipeline/sweeps';
import { initProject } from '../../electron/core/project/init';
import { compare } from './harness';

const POINTS = 1_000_000;

// Prints POINTS metric lines in large writes, waiting for the pipe to drain, as a training loop
// that logs every step would (minus the training).
const GENERATOR = `
const n = ${POINTS};
let i = 0;
function more() {
  while (i < n) {
    let chunk = '';
    const end = Math.min(n, i + 5000);
    for (; i < end; i++) chunk += '::benchtop:: {"type":"metric","key":"loss","value":' + (1 / (i + 1)) + ',"step":' + i + '}\\n';
    if (!process.stdout.write(chunk)) return process.stdout.once('drain', more);
  }
}
more();
`;

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-ingest-'));
  try {
    console.log('\nBenchtop ingest benchmark (median of interleaved runs; ratio = Benchtop / baseline)\n');
    const dir = path.join(tmp, 'proj');
    const { workspace: ws } = await initProject(dir);
    const db = ws.db;
    writeFileSync(path.join(dir, 'gen.js'), GENERATOR);
    let events = 0;
    const landed: number[] = [];
    const count = db.prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ?');

    // Baseline: the same rows, one prepared INSERT, a transaction per 10,000 rows, into a run of its own.
    db.prepare(`INSERT OR IGNORE INTO experiments (name) VALUES ('bench')`).run();
    const addRun = db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES (?, (SELECT id FROM experiments WHERE name = 'bench'), ?, 'running', ?)`,
    );
    const insert = db.prepare('INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)');
    let rawRuns = 0;
    const rawInsert = (): void => {
      const runId = `raw-${rawRuns++}`;
      addRun.run(runId, runId, new Date().toISOString());
      const batch = db.transaction((from: number) => {
        const at = new Date().toISOString();
        for (let i = from; i < from + 10_000; i++) insert.run(runId, 'loss', i, 1 / (i + 1), at);
      });
      for (let from = 0; from < POINTS; from += 10_000) batch(from);
    };

    const figure = await compare(
      `1,000,000 metric points from a child process`,
      async () => {
        const summary = await runScript(dir, db, (e) => void (e.name === 'run.metric' && events++), 'node gen.js', {
          name: 'ingest',
        });
        if (summary.status !== 'succeeded') throw new Error(`the generator run ${summary.status}`);
        landed.push((count.get(summary.runId) as { n: number }).n);
      },
      'prepared INSERTs, 10,000 per transaction',
      rawInsert,
      2,
    );
    const ratio = figure.subjectMs / figure.baselineMs;
    console.log(
      `  ingest: ${Math.round(POINTS / (figure.subjectMs / 1000)).toLocaleString('en')} points/s; raw inserts: ${Math.round(POINTS / (figure.baselineMs / 1000)).toLocaleString('en')} rows/s; live metric events: ${events}`,
    );
    console.log(`  points landed per run: ${[...new Set(landed)].join(', ')}`);
    ws.close();
    if (landed.some((n) => n !== POINTS)) throw new Error(`not every point landed: ${landed.join(', ')} of ${POINTS}`);
    if (ratio > 2)
      throw new Error(`ingest took ${ratio.toFixed(2)}x the raw inserts' time; the goal is at most 2x (half the rate)`);
    console.log('  goal met: at least half the rate of raw inserts');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
