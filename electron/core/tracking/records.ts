// Runs in: main (core). Runs as records for other tracking protocols (MLflow's REST API): the
// experiment id, each latest metric with its step and time, every point of one series unsampled,
// and the artifact paths; fetched in bulk so a page of a thousand runs is a handful of queries.
import type { Database } from 'better-sqlite3';
import type { RunStatus } from '../../../shared/contract/schemas';
import { checkKey } from './limits';
import { requireRun } from './runs';

export interface MetricRecord {
  key: string;
  /** NaN when the run logged NaN (SQLite keeps it as NULL). */
  value: number;
  step: number;
  at: string;
}

export interface RunRecordFull {
  id: string;
  name: string;
  status: RunStatus;
  experimentId: number;
  startedAt: string | null;
  endedAt: string | null;
  deleted: boolean;
  gitCommit: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: MetricRecord[];
  inputs: { dataset: string; version: string; context: string }[];
}

/** The runs with these ids, in the order given; ids that do not exist are left out. */
export function runRecords(db: Database, ids: readonly string[]): RunRecordFull[] {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const rows = db
    .prepare(
      `SELECT id, name, status, experiment_id AS experimentId, started_at AS startedAt, ended_at AS endedAt,
              deleted_at IS NOT NULL AS deleted, git_commit AS gitCommit
         FROM runs WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(json) as (Omit<RunRecordFull, 'deleted' | 'params' | 'tags' | 'metrics' | 'inputs'> & { deleted: 0 | 1 })[];
  const byId = new Map<string, RunRecordFull>(
    rows.map((r) => [r.id, { ...r, deleted: r.deleted === 1, params: {}, tags: {}, metrics: [], inputs: [] }]),
  );
  for (const [table, prop] of [
    ['run_params', 'params'],
    ['run_tags', 'tags'],
  ] as const) {
    const all = db
      .prepare(
        `SELECT run_id AS runId, key, value FROM ${table} WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY key`,
      )
      .all(json) as { runId: string; key: string; value: string }[];
    for (const { runId, key, value } of all) byId.get(runId)![prop][key] = value;
  }
  const metrics = db
    .prepare(
      'SELECT run_id AS runId, key, value, step, at FROM run_latest_metrics WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY key',
    )
    .all(json) as (Omit<MetricRecord, 'value'> & { runId: string; value: number | null })[];
  for (const { runId, value, ...m } of metrics) byId.get(runId)!.metrics.push({ ...m, value: value ?? Number.NaN });
  const inputs = db
    .prepare(
      'SELECT run_id AS runId, dataset, version, context FROM run_inputs WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY dataset, context',
    )
    .all(json) as { runId: string; dataset: string; version: string; context: string }[];
  for (const { runId, ...i } of inputs) byId.get(runId)!.inputs.push(i);
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Every point of one metric series, in step order, unsampled; a page of it when asked. */
export function metricPoints(
  db: Database,
  runId: string,
  key: string,
  page: { offset?: number; limit?: number } = {},
): MetricRecord[] {
  requireRun(db, runId);
  checkKey('metric', key, 'metric_key');
  const rows = db
    .prepare('SELECT key, value, step, at FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step LIMIT ? OFFSET ?')
    .all(runId, key, page.limit ?? -1, page.offset ?? 0) as (Omit<MetricRecord, 'value'> & { value: number | null })[];
  return rows.map((r) => ({ ...r, value: r.value ?? Number.NaN }));
}

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  /** Bytes, for files. */
  size?: number;
}

/**
 * The entries directly inside folder `dir` ('' for the top) of a run's logged artifacts: files at
 * that level and the folders that lead to deeper ones. Paths are relative to the run's root.
 */
export function artifactEntries(db: Database, runId: string, dir: string): ArtifactEntry[] {
  requireRun(db, runId);
  const prefix = dir === '' ? '' : `${dir}/`;
  const rows = db
    .prepare(
      `SELECT path, MAX(size) AS size FROM run_artifacts WHERE run_id = ? AND role = 'artifact' AND hash IS NOT NULL GROUP BY path ORDER BY path`,
    )
    .all(runId) as { path: string; size: number | null }[];
  const out = new Map<string, ArtifactEntry>();
  for (const row of rows) {
    if (!row.path.startsWith(prefix)) continue;
    const rest = row.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) out.set(row.path, { path: row.path, isDir: false, size: row.size ?? 0 });
    else {
      const sub = prefix + rest.slice(0, slash);
      if (!out.has(sub)) out.set(sub, { path: sub, isDir: true });
    }
  }
  return [...out.values()];
}
