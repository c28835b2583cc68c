// Prediction-log monitor benchmark (`node scripts/bench.mjs prediction-monitor`): checking a monitor
// of a model with months of logged predictions (default 90 days × 2,000 records, labels joined for
// all but the last 10 days; PRED_BENCH_DAYS, PRED_BENCH_PER_DAY). Subject: `checkMonitor` as it is,
// reading only the windows new or changed since the last check. Baseline in the same run: the same
// check with the monitor's scan marks removed first, which makes it read the whole log, write every
// window's text and hash every file, as every check did before the marks existed. Both sides record
// nothing new (every window is already checked), so the figure is the cost of finding that out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addMonitor, checkMonitor } from '../../electron/core/monitoring/monitors';
import type { PredictionScanStats } from '../../electron/core/monitoring/monitors/prediction-batches';
import { joinLabels } from '../../electron/core/serving/labels';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { labelsCsv, logPredictions, writeTraining, type DayShape } from '../support/prediction-data';
import { compare } from './harness';

const DAYS = Number(process.env.PRED_BENCH_DAYS ?? 90);
const PER_DAY = Number(process.env.PRED_BENCH_PER_DAY ?? 2000);
const UNLABELED_DAYS = 10;
/** The day relabeled in the second figure: a labeled one in the middle of the log. */
const MID = Math.floor((DAYS - UNLABELED_DAYS) / 2);
const NOW = new Date(Date.UTC(2026, 0, 1) + (DAYS + 1) * 86_400_000);

function days(): DayShape[] {
  return Array.from({ length: DAYS }, (_, d) => ({
    date: new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10),
    drift: d % 7 === 6,
    accuracy: 0.9,
    latencyMs: 8,
    failures: d % 11 === 0 ? 3 : 0,
  }));
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-predmon-'));
  const dir = path.join(tmp, 'project');
  try {
    (await initProject(dir)).workspace.close();
    writeTraining(dir, 2000);
    const log = days();
    const truth = logPredictions(dir, 'churn', log, PER_DAY);
    const ws = Workspace.open(dir);
    try {
      const labeled = [...truth.keys()].filter((id) => id.slice(0, 10) < log[DAYS - UNLABELED_DAYS]!.date);
      writeFileSync(path.join(dir, 'outcomes.csv'), labelsCsv(truth, labeled));
      await joinLabels(dir, ws.db, { model: 'churn', file: 'outcomes.csv', idColumn: 'id', targetColumn: 'outcome' });
      await addMonitor(ws.dir, ws.db, {
        name: 'live',
        reference: 'data/train.csv',
        predictions: { model: 'churn', window: 'day' },
        target: 'label',
        rules: ['dataset drifted', 'accuracy < 0.8', 'latency_p95 > 200'],
      });

      let last: PredictionScanStats | null = null;
      const check = async (): Promise<void> => {
        const r = await checkMonitor(ws.dir, ws.db, 'live', { predictions: { now: NOW, onScan: (s) => (last = s) } });
        if (r.batches.length) throw new Error(`expected nothing new to record, got ${r.batches.length} batches`);
      };
      const full = async (): Promise<void> => {
        ws.db.prepare(`DELETE FROM monitor_log_marks`).run();
        await check();
      };
      const first = await checkMonitor(ws.dir, ws.db, 'live', { predictions: { now: NOW } });
      const rows = DAYS * PER_DAY;
      console.log(
        `\nBenchtop prediction-log monitor benchmarks (${DAYS} day windows, ${rows.toLocaleString('en')} predictions, first check recorded ${first.batches.length} batches)\n`,
      );

      const nothing = await compare(
        `check, nothing new (${DAYS} days logged)`,
        check,
        'whole-log re-read (before marks)',
        full,
        4,
      );
      await check();
      const idle = last!;
      await full();
      const whole = last!;

      // One day whose labels were joined again: the trigger stamps its rows, so that window is read
      // again (same text, same hash: nothing new to record).
      const ids = (
        ws.db
          .prepare(`SELECT id FROM predictions WHERE at >= ? AND at < ? ORDER BY id`)
          .all(`${log[MID]!.date}T00:00:00.000Z`, `${log[MID + 1]!.date}T00:00:00.000Z`) as { id: number }[]
      ).map((r) => r.id);
      const touch = ws.db.prepare(`UPDATE predictions SET label_json = label_json WHERE id BETWEEN ? AND ?`);
      const relabel = (): void => void touch.run(ids[0], ids[ids.length - 1]);
      const oneDay = await compare(
        `check, one day's labels joined again`,
        async () => {
          relabel();
          await check();
        },
        'whole-log re-read (before marks)',
        async () => {
          relabel();
          await full();
        },
        4,
      );
      relabel();
      await check();
      const one = last!;
      console.log(
        `\nwhole-log re-read / incremental: ${(nothing.baselineMs / nothing.subjectMs).toFixed(0)}x with nothing new, ${(oneDay.baselineMs / oneDay.subjectMs).toFixed(1)}x with one day changed` +
          `\nread per check: nothing new ${idle.rowsRead} rows / ${idle.windowsRead} windows (${idle.skipped} skipped); one day relabeled ${one.rowsRead} rows / ${one.windowsRead} window; whole log ${whole.rowsRead} rows / ${whole.windowsRead} windows\n`,
      );
    } finally {
      ws.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
