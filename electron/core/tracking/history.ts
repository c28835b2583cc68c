// Runs in: main (core). Metric series for charts, downsampled in the core so a million-point
// series never crosses the contract whole.
import type { Database } from 'better-sqlite3';
import { lttbIndices } from '../../../shared/charts/downsample';
import type { MetricSeries } from '../../../shared/contract/schemas';
import { requireRun } from './runs';

export function metricHistory(db: Database, runIds: readonly string[], keys: readonly string[] | undefined, maxPoints: number): MetricSeries[] {
  for (const id of runIds) requireRun(db, id);
  const pairs = db
    .prepare(
      `SELECT run_id AS runId, key FROM run_latest_metrics
        WHERE run_id IN (SELECT value FROM json_each(?)) ${keys ? 'AND key IN (SELECT value FROM json_each(?))' : ''}
        ORDER BY key, run_id`,
    )
    .all(...[JSON.stringify(runIds), ...(keys ? [JSON.stringify(keys)] : [])]) as { runId: string; key: string }[];
  const read = db.prepare(`SELECT step, unixepoch(at, 'subsec') * 1000 AS time, value FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step`).raw(true);
  return pairs.map(({ runId, key }) => {
    const rows = read.all(runId, key) as [number, number | null, number | null][];
    // NaN is kept as NULL and cannot be drawn; ±Infinity cannot either. Both are counted, not lost.
    const steps: number[] = [];
    const times: number[] = [];
    const values: number[] = [];
    let nonFinite = 0;
    for (const [step, time, value] of rows) {
      if (value === null || !Number.isFinite(value)) {
        nonFinite++;
        continue;
      }
      steps.push(step);
      times.push(time ?? 0);
      values.push(value);
    }
    const keep = lttbIndices(steps, values, maxPoints);
    return {
      runId,
      key,
      total: rows.length,
      nonFinite,
      steps: keep.map((i) => steps[i]!),
      times: keep.map((i) => times[i]!),
      values: keep.map((i) => values[i]!),
    };
  });
}
