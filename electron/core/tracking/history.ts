// Runs in: main (core). Metric series for charts, downsampled in the core so a million-point
// series never crosses the contract whole.
import type { Database } from 'better-sqlite3';
import { lttbIndices } from '../../../shared/charts/downsample';
import type { MetricSeries } from '../../../shared/contract/schemas';
import { requireRun } from './runs';

export function metricHistory(
  db: Database,
  runIds: readonly string[],
  keys: readonly string[] | undefined,
  maxPoints: number,
): MetricSeries[] {
  for (const id of runIds) requireRun(db, id);
  const pairs = db
    .prepare(
      `SELECT run_id AS runId, key FROM run_latest_metrics
        WHERE run_id IN (SELECT value FROM json_each(?)) ${keys ? 'AND key IN (SELECT value FROM json_each(?))' : ''}
        ORDER BY key, run_id`,
    )
    .all(...[JSON.stringify(runIds), ...(keys ? [JSON.stringify(keys)] : [])]) as { runId: string; key: string }[];
  // Rows are iterated, not loaded as one array, and the time text is parsed only for the points
  // kept: on a million-point series both matter more than the downsampling itself.
  const read = db
    .prepare(`SELECT step, value, at FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step, at`)
    .raw(true);
  return pairs.map(({ runId, key }) => {
    // NaN is kept as NULL and cannot be drawn; ±Infinity cannot either. Both are counted, not lost.
    const steps: number[] = [];
    const ats: string[] = [];
    const values: number[] = [];
    let nonFinite = 0;
    let total = 0;
    for (const row of read.iterate(runId, key) as IterableIterator<[number, number | null, string]>) {
      total++;
      const value = row[1];
      if (value === null || !Number.isFinite(value)) {
        nonFinite++;
        continue;
      }
      steps.push(row[0]);
      values.push(value);
      ats.push(row[2]);
    }
    const keep = lttbIndices(steps, values, maxPoints);
    return {
      runId,
      key,
      total,
      nonFinite,
      steps: keep.map((i) => steps[i]!),
      times: keep.map((i) => Date.parse(ats[i]!) || 0),
      values: keep.map((i) => values[i]!),
    };
  });
}
