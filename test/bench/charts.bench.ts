// Chart data benchmarks: a 1,000,000-point metric series downsampled (LTTB) to 2,000 points, in
// memory and end to end from SQLite through metricHistory (what runs.history answers with).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lttbIndices } from '../../shared/charts/downsample';
import { openDatabase } from '../../electron/core/store/database';
import { metricHistory } from '../../electron/core/tracking/history';
import { compare } from './harness';

const N = 1_000_000;
const TARGET = 2_000;

function series(): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(N);
  const ys = new Float64Array(N);
  let x = 7;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < N; i++) {
    xs[i] = i;
    ys[i] = Math.exp(-i / 200_000) + 0.05 * Math.sin(i / 1000) + 0.02 * (rand() - 0.5);
  }
  return { xs, ys };
}

async function main(): Promise<void> {
  console.log('\nBenchtop chart data benchmarks (median of interleaved runs; ratio = Benchtop / baseline)\n');
  const { xs, ys } = series();
  let kept = 0;
  let sink = 0;
  const lttb = await compare(
    'LTTB 1,000,000 points → 2,000 (in memory)',
    () => (kept = lttbIndices(xs, ys, TARGET).length),
    'one pass summing the 1,000,000 values',
    () => {
      let s = 0;
      for (let i = 0; i < ys.length; i++) s += ys[i]!;
      sink += s;
    },
    20,
  );
  console.log(
    `  points kept: ${kept}; ${lttb.subjectMs.toFixed(1)} ms against a target of 50 ms: ${lttb.subjectMs < 50 ? 'met' : 'NOT met'}${sink === 0 ? '' : ''}`,
  );

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-charts-'));
  try {
    const db = openDatabase(path.join(tmp, 'b.db'));
    db.prepare(`INSERT INTO experiments (name) VALUES ('bench')`).run();
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES ('r1', 1, 'r1', 'succeeded', '2026-01-01T00:00:00.000Z')`,
    ).run();
    const put = db.prepare('INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)');
    const t0 = Date.UTC(2026, 0, 1);
    db.transaction(() => {
      for (let i = 0; i < N; i++) put.run('r1', 'loss', i, ys[i], new Date(t0 + i * 10).toISOString());
    })();
    let points = 0;
    const read = db.prepare(`SELECT step, value FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step`).raw(true);
    await compare(
      'metricHistory: 1,000,000 points from SQLite → 2,000',
      () => (points = metricHistory(db, ['r1'], ['loss'], TARGET)[0]!.values.length),
      'SELECT step, value of the 1,000,000 rows only',
      () => read.all('r1', 'loss'),
      6,
    );
    console.log(`  points returned: ${points}`);
    db.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
