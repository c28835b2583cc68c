// Ingest benchmark: a million metric points printed by a child process as `::benchtop::` lines,
// through the real runner (line splitting, protocol parsing, log file, MetricWriter, live events),
// against the same million rows inserted into run_metrics (same table, same triggers and indexes)
// with one prepared INSERT per row, in one transaction, and in a transaction per 10,000 rows. Then
// the peak memory of `benchtop exec` for a tenth of the points and for all of them.
//
// Where the time went (profile of the runner, 1,000,000 points, parent CPU, one row a statement):
// about 85% SQLite storing the rows, 8% parsing the lines, 7% splitting lines, the log file, GC.
// Of the storing, each row costs its statement (binding, stepping: about 1 µs) and two triggers
// (run_latest_metrics, about 1.5 µs; record_dirty, about 0.5 µs), which the baseline pays too.
// The runner inserts 64 rows per statement, which is why it can beat one statement per row. One
// transaction of a million rows measured 1.7-2 times as slow as slices of 10,000 on the 2-core
// test machine, so both baselines are printed.
// Peak memory: the runner itself stays at 120-130 MiB for 100,000 or 1,000,000 points; what grows
// with them is writing the run's record to git when the command ends (core/sync/records.ts holds
// the run's whole metric series in memory: 58 MiB of text and about 400 MiB more for 1,000,000).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScript } from '../../electron/core/pipeline/sweeps';
import { initProject } from '../../electron/core/project/init';
import { packageRoot } from '../../electron/core/util/package-root';
import { compare, mib, peakRss } from './harness';

const POINTS = 1_000_000;
const GOAL = 1.5;

// Prints N metric lines (N from its argument) in large writes, waiting for the pipe to drain, as
// a training loop that logs every step would (minus the training).
const GENERATOR = `
const n = Number(process.argv[2]);
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

    // Baseline: the same rows, one prepared INSERT per row, one transaction, into a run of its own.
    db.prepare(`INSERT OR IGNORE INTO experiments (name) VALUES ('bench')`).run();
    const addRun = db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES (?, (SELECT id FROM experiments WHERE name = 'bench'), ?, 'running', ?)`,
    );
    const insert = db.prepare('INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)');
    let rawRuns = 0;
    const rawRun = (): [string, string] => {
      const runId = `raw-${rawRuns++}`;
      const at = new Date().toISOString();
      addRun.run(runId, runId, at);
      return [runId, at];
    };
    const inOne = db.transaction(() => {
      const [runId, at] = rawRun();
      for (let i = 0; i < POINTS; i++) insert.run(runId, 'loss', i, 1 / (i + 1), at);
    });
    // The same, a transaction per 10,000 rows (as the runner commits, so a live view sees points).
    const inSlices = (): void => {
      const [runId, at] = rawRun();
      const slice = db.transaction((from: number) => {
        for (let i = from; i < from + 10_000; i++) insert.run(runId, 'loss', i, 1 / (i + 1), at);
      });
      for (let from = 0; from < POINTS; from += 10_000) slice.immediate(from);
    };
    const ingest = async (): Promise<void> => {
      const summary = await runScript(
        dir,
        db,
        (e) => void (e.name === 'run.metric' && events++),
        `node gen.js ${POINTS}`,
        { name: 'ingest' },
      );
      if (summary.status !== 'succeeded') throw new Error(`the generator run ${summary.status}`);
      landed.push((count.get(summary.runId) as { n: number }).n);
    };

    const figure = await compare(
      '1,000,000 metric points from a child process',
      ingest,
      'prepared INSERTs, one transaction',
      () => inOne.immediate(),
      2,
    );
    await compare(
      '1,000,000 metric points from a child process',
      ingest,
      'prepared INSERTs, 10,000 per transaction',
      inSlices,
      2,
    );
    const ratio = figure.subjectMs / figure.baselineMs;
    console.log(
      `  ingest: ${Math.round(POINTS / (figure.subjectMs / 1000)).toLocaleString('en')} points/s; raw inserts: ${Math.round(POINTS / (figure.baselineMs / 1000)).toLocaleString('en')} rows/s; live metric events: ${events}`,
    );
    console.log(`  points landed per run: ${[...new Set(landed)].join(', ')}`);
    ws.close();
    if (landed.some((n) => n !== POINTS)) throw new Error(`not every point landed: ${landed.join(', ')} of ${POINTS}`);
    console.log(
      `  goal, at most ${GOAL}x: ${ratio <= GOAL ? 'met' : 'not met on this machine now'} (${ratio.toFixed(2)}x)`,
    );

    // Peak memory of the whole command (CLI process and generator), each in a project of its own:
    // a tenth of the points, then all of them.
    const cli = path.join(packageRoot(), 'dist', 'cli.cjs');
    const rss: string[] = [];
    for (const n of [POINTS / 10, POINTS]) {
      const own = path.join(tmp, `rss-${n}`);
      (await initProject(own)).workspace.close();
      writeFileSync(path.join(own, 'gen.js'), GENERATOR);
      rss.push(mib(peakRss(process.execPath, [cli, 'exec', '--', 'node', 'gen.js', String(n)], { cwd: own }).bytes));
    }
    console.log(
      `  peak RSS of benchtop exec: ${rss[0]} for ${(POINTS / 10).toLocaleString('en')} points, ${rss[1]} for ${POINTS.toLocaleString('en')}`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
