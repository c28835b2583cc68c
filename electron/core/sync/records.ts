// Runs in: main (core). The records that carry a project's history through git, and the rows they
// are read from and written back to. A record is one JSON file: a run with everything it logged,
// an experiment, a registered model, a model version, one alias move, a monitor, one of its
// checked batches, alerts or checks. Maps (params, tags, stages…) rather than lists, so that two
// machines' changes to one record merge key by key (merge.ts). What stays on this machine is not
// written: process ids, trust given to a predict command, stat caches, logs.
//
// Reading the rows back is done per owner: a run alone; a model with all its versions and alias
// moves (version numbers and aliases are derived from them, registry.ts); a monitor with all its
// batches, alerts and checks.
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import { checkedRunPath } from './record-paths';

const str = z.string();
const optStr = z.string().nullable();
const int = z.number().int();
const optInt = z.number().int().nullable();
/** NaN is kept as null (as SQLite keeps it); infinities as strings (JSON has neither). */
const real = z.union([z.number(), z.null(), z.literal('Infinity'), z.literal('-Infinity')]);

export const runRecord = z
  .object({
    id: str,
    experiment: str,
    name: str,
    status: str,
    kind: str,
    trigger: str,
    source: str,
    startedAt: optStr,
    endedAt: optStr,
    deletedAt: optStr,
    gitCommit: optStr,
    gitDirty: optInt,
    parentId: optStr,
    notes: str,
    starred: int,
    params: z.record(str, str),
    tags: z.record(str, str),
    /** key → [step, at, value] points, in order. */
    metrics: z.record(str, z.array(z.tuple([int, str, real]))),
    stages: z.record(
      str,
      z.object({
        position: int,
        status: str,
        reason: str,
        startedAt: optStr,
        endedAt: optStr,
        durationMs: optInt,
        exitCode: optInt,
        attempts: int,
        logPath: optStr,
      }),
    ),
    /** `stage\trole\tpath` → what was written or read there. */
    artifacts: z.record(str, z.object({ hash: optStr, size: optInt, type: optStr })),
    /** `dataset\tcontext` → version. */
    inputs: z.record(str, str),
  })
  .strict();

export const experimentRecord = z.object({ name: str, description: str, createdAt: str }).strict();
export const modelRecord = z.object({ name: str, description: str, createdAt: str, updatedAt: str }).strict();

export const versionRecord = z
  .object({
    uid: str,
    /** The number it got where it was registered; the number shown may differ after a merge. */
    registeredAs: int,
    runId: optStr,
    createdAt: str,
    artifactPath: str,
    artifactKind: z.enum(['file', 'folder']),
    artifactHash: optStr,
    size: int,
    files: int,
    format: str,
    source: str,
    paramsJson: str,
    metricsJson: str,
    dataJson: str,
    gitCommit: optStr,
    signatureJson: optStr,
    description: str,
    intendedUse: str,
    limitations: str,
    predict: optStr,
    archivedAt: optStr,
    updatedAt: optStr,
    tags: z.record(str, str),
  })
  .strict();

const versionRef = z.object({ uid: optStr, version: int }).strict().nullable();
export const aliasMoveRecord = z
  .object({ uid: str, alias: str, from: versionRef, to: versionRef, reason: str, at: str })
  .strict();

/**
 * `seq`: the row's number where it was made. Rows are rebuilt in (time, seq, uid) order, so a clone
 * numbers them as the machine that made them did, and lists them in the same order.
 */
export const monitorRecord = z.object({ name: str, kind: str, config: str, createdAt: str, seq: int }).strict();
export const batchRecord = z
  .object({
    uid: str,
    seq: int,
    label: str,
    path: str,
    hash: str,
    checkedAt: str,
    rows: int,
    driftShare: z.number(),
    shareThreshold: z.number(),
    datasetDrift: int,
    driftedColumns: int,
    testedColumns: int,
    columnsJson: str,
    performanceJson: optStr,
    reportPath: optStr,
    servingJson: optStr,
  })
  .strict();
export const alertRecord = z
  .object({
    uid: str,
    seq: int,
    batch: optStr,
    rule: str,
    message: str,
    value: real,
    threshold: real,
    at: str,
    acknowledgedAt: optStr,
    runId: optStr,
  })
  .strict();
export const checkRecord = z.object({ uid: str, seq: int, status: str, summary: str, ranAt: str }).strict();

export type RunRecord = z.infer<typeof runRecord>;
export type ExperimentRecord = z.infer<typeof experimentRecord>;
export type ModelRecord = z.infer<typeof modelRecord>;
export type VersionRecord = z.infer<typeof versionRecord>;
export type AliasMoveRecord = z.infer<typeof aliasMoveRecord>;
export type MonitorRecord = z.infer<typeof monitorRecord>;
export type BatchRecord = z.infer<typeof batchRecord>;
export type AlertRecord = z.infer<typeof alertRecord>;
export type CheckRecord = z.infer<typeof checkRecord>;

/** JSON with keys in sorted order, so equal records are equal bytes (and equal git blobs). */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return `${JSON.stringify(sort(value))}\n`;
}

/** Parses a record's bytes with its schema; a bad record names its path and changes nothing. */
export function parseRecord<T>(schema: z.ZodType<T>, bytes: Buffer | string, where: string): T {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (err) {
    throw new BenchtopError('BAD_FILE', `Record ${where} is not JSON: ${(err as Error).message}.`, {
      hint: 'It came from the project’s records in git; fix or remove it there (refs/benchtop/records).',
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BenchtopError(
      'BAD_FILE',
      `Record ${where} is not valid: ${issue.path.join('.') || '(top)'}: ${issue.message}.`,
      { hint: 'A newer Benchtop may have written it; update Benchtop, or fix the record in refs/benchtop/records.' },
    );
  }
  return parsed.data;
}

/**
 * Statements prepared once per database: a pull or a flush of 10,000 runs calls the same dozen
 * statements for each, and preparing them anew cost as much as running them.
 */
const statements = new WeakMap<Database, Map<string, Statement>>();
export function sql(db: Database, text: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = db.prepare(text)));
  return stmt;
}

const realOut = (v: number | null): RunRecord['metrics'][string][number][2] =>
  v === null || Number.isFinite(v) ? v : v > 0 ? 'Infinity' : '-Infinity';
const realIn = (v: number | null | 'Infinity' | '-Infinity'): number | null =>
  v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;

// ---- rows → records -------------------------------------------------------------------------

/** A run's record, or null when the run is gone. */
export function readRun(db: Database, id: string): RunRecord | null {
  const r = sql(
    db,
    `SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`,
  ).get(id) as Record<string, unknown> | undefined;
  if (!r) return null;
  checkedRunPath(id);
  const pairs = (query: string): Record<string, string> =>
    Object.fromEntries((sql(db, query).all(id) as { k: string; v: string }[]).map((p) => [p.k, p.v]));
  const metrics: RunRecord['metrics'] = {};
  for (const m of sql(db, 'SELECT key, step, at, value FROM run_metrics WHERE run_id = ? ORDER BY key, step, at').all(
    id,
  ) as { key: string; step: number; at: string; value: number | null }[]) {
    (metrics[m.key] ??= []).push([m.step, m.at, realOut(m.value)]);
  }
  const stages: RunRecord['stages'] = {};
  for (const s of sql(db, 'SELECT * FROM run_stages WHERE run_id = ?').all(id) as Record<string, unknown>[]) {
    stages[s.stage as string] = {
      position: s.position as number,
      status: s.status as string,
      reason: s.reason as string,
      startedAt: s.started_at as string | null,
      endedAt: s.ended_at as string | null,
      durationMs: s.duration_ms as number | null,
      exitCode: s.exit_code as number | null,
      attempts: s.attempts as number,
      logPath: s.log_path as string | null,
    };
  }
  const artifacts: RunRecord['artifacts'] = {};
  for (const a of sql(db, 'SELECT * FROM run_artifacts WHERE run_id = ?').all(id) as Record<string, unknown>[])
    artifacts[`${a.stage}\t${a.role}\t${a.path}`] = {
      hash: a.hash as string | null,
      size: a.size as number | null,
      type: a.type as string | null,
    };
  return {
    id,
    experiment: r.experiment as string,
    name: r.name as string,
    status: r.status as string,
    kind: r.kind as string,
    trigger: r.trigger as string,
    source: r.source as string,
    startedAt: r.started_at as string | null,
    endedAt: r.ended_at as string | null,
    deletedAt: r.deleted_at as string | null,
    gitCommit: r.git_commit as string | null,
    gitDirty: r.git_dirty as number | null,
    parentId: r.parent_id as string | null,
    notes: r.notes as string,
    starred: r.starred as number,
    params: pairs('SELECT key AS k, value AS v FROM run_params WHERE run_id = ?'),
    tags: pairs('SELECT key AS k, value AS v FROM run_tags WHERE run_id = ?'),
    metrics,
    stages,
    artifacts,
    inputs: pairs(`SELECT dataset || char(9) || context AS k, version AS v FROM run_inputs WHERE run_id = ?`),
  };
}

export function readExperiment(db: Database, name: string): ExperimentRecord | null {
  const e = sql(db, 'SELECT name, description, created_at FROM experiments WHERE name = ?').get(name) as
    | { name: string; description: string; created_at: string }
    | undefined;
  return e ? { name: e.name, description: e.description, createdAt: e.created_at } : null;
}

export function readModel(db: Database, name: string): ModelRecord | null {
  const m = sql(db, 'SELECT * FROM registered_models WHERE name = ?').get(name) as
    | { name: string; description: string; created_at: string; updated_at: string }
    | undefined;
  return m ? { name: m.name, description: m.description, createdAt: m.created_at, updatedAt: m.updated_at } : null;
}

export function readVersion(db: Database, model: string, uid: string): VersionRecord | null {
  const v = sql(db, 'SELECT * FROM model_versions WHERE model_name = ? AND uid = ?').get(model, uid) as
    | Record<string, unknown>
    | undefined;
  if (!v) return null;
  const tags = Object.fromEntries(
    (
      sql(db, 'SELECT key, value FROM model_version_tags WHERE model_name = ? AND version = ?').all(
        model,
        v.version,
      ) as { key: string; value: string }[]
    ).map((t) => [t.key, t.value]),
  );
  return {
    uid,
    registeredAs: (v.registered_as as number | null) ?? (v.version as number),
    runId: v.run_id as string | null,
    createdAt: v.created_at as string,
    artifactPath: v.artifact_path as string,
    artifactKind: v.artifact_kind as 'file' | 'folder',
    artifactHash: v.artifact_hash as string | null,
    size: v.size as number,
    files: v.files as number,
    format: v.format as string,
    source: v.source as string,
    paramsJson: v.params_json as string,
    metricsJson: v.metrics_json as string,
    dataJson: v.data_json as string,
    gitCommit: v.git_commit as string | null,
    signatureJson: v.signature_json as string | null,
    description: v.description as string,
    intendedUse: v.intended_use as string,
    limitations: v.limitations as string,
    predict: v.predict as string | null,
    archivedAt: v.archived_at as string | null,
    updatedAt: v.updated_at as string | null,
    tags,
  };
}

export function readAliasMove(db: Database, model: string, uid: string): AliasMoveRecord | null {
  const m = sql(db, 'SELECT * FROM model_alias_log WHERE model_name = ? AND uid = ?').get(model, uid) as
    | { alias: string; from_version: number | null; to_version: number | null; reason: string; at: string }
    | undefined;
  if (!m) return null;
  const ref = (version: number | null) => {
    if (version === null) return null;
    const row = sql(db, 'SELECT uid FROM model_versions WHERE model_name = ? AND version = ?').get(model, version) as
      | { uid: string }
      | undefined;
    return { uid: row?.uid ?? null, version };
  };
  return { uid, alias: m.alias, from: ref(m.from_version), to: ref(m.to_version), reason: m.reason, at: m.at };
}

export function readMonitor(db: Database, name: string): MonitorRecord | null {
  const m = sql(db, 'SELECT seq, name, kind, config, created_at FROM monitors WHERE name = ?').get(name) as
    | { seq: number; name: string; kind: string; config: string; created_at: string }
    | undefined;
  return m ? { name: m.name, kind: m.kind, config: m.config, createdAt: m.created_at, seq: m.seq } : null;
}

export function readBatch(db: Database, monitor: string, uid: string): BatchRecord | null {
  const b = sql(
    db,
    `SELECT b.* FROM monitor_batches b JOIN monitors m ON m.id = b.monitor_id WHERE m.name = ? AND b.uid = ?`,
  ).get(monitor, uid) as Record<string, unknown> | undefined;
  if (!b) return null;
  return {
    uid,
    seq: b.seq as number,
    label: b.label as string,
    path: b.path as string,
    hash: b.hash as string,
    checkedAt: b.checked_at as string,
    rows: b.rows as number,
    driftShare: b.drift_share as number,
    shareThreshold: b.share_threshold as number,
    datasetDrift: b.dataset_drift as number,
    driftedColumns: b.drifted_columns as number,
    testedColumns: b.tested_columns as number,
    columnsJson: b.columns_json as string,
    performanceJson: b.performance_json as string | null,
    reportPath: b.report_path as string | null,
    servingJson: b.serving_json as string | null,
  };
}

export function readAlert(db: Database, monitor: string, uid: string): AlertRecord | null {
  const a = sql(
    db,
    `SELECT a.*, b.uid AS batch_uid FROM monitor_alerts a JOIN monitors m ON m.id = a.monitor_id
       LEFT JOIN monitor_batches b ON b.id = a.batch_id WHERE m.name = ? AND a.uid = ?`,
  ).get(monitor, uid) as Record<string, unknown> | undefined;
  if (!a) return null;
  return {
    uid,
    seq: a.seq as number,
    batch: a.batch_uid as string | null,
    rule: a.rule as string,
    message: a.message as string,
    value: realOut(a.value as number | null),
    threshold: realOut(a.threshold as number | null),
    at: a.at as string,
    acknowledgedAt: a.acknowledged_at as string | null,
    runId: a.run_id as string | null,
  };
}

export function readCheck(db: Database, monitor: string, uid: string): CheckRecord | null {
  const c = sql(
    db,
    `SELECT c.* FROM monitor_checks c JOIN monitors m ON m.id = c.monitor_id WHERE m.name = ? AND c.uid = ?`,
  ).get(monitor, uid) as { seq: number; status: string; summary: string; ran_at: string } | undefined;
  return c ? { uid, seq: c.seq, status: c.status, summary: c.summary, ranAt: c.ran_at } : null;
}

// ---- records → rows -------------------------------------------------------------------------

function experimentId(db: Database, name: string): number {
  const row = sql(db, 'SELECT id FROM experiments WHERE name = ?').get(name) as { id: number } | undefined;
  if (row) return row.id;
  return Number(sql(db, 'INSERT INTO experiments (name) VALUES (?)').run(name).lastInsertRowid);
}

export function writeExperiment(db: Database, e: ExperimentRecord): void {
  sql(
    db,
    `INSERT INTO experiments (name, description, created_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET description = excluded.description, created_at = excluded.created_at`,
  ).run(e.name, e.description, e.createdAt);
}

/** Writes a run as its record says (its row is updated in place: versions and alerts point at it). */
export function writeRun(db: Database, r: RunRecord): void {
  const known = sql(db, 'SELECT 1 FROM runs WHERE id = ?').get(r.id) !== undefined;
  sql(
    db,
    `INSERT INTO runs (id, experiment_id, name, status, kind, trigger, source, started_at, ended_at, deleted_at,
                       git_commit, git_dirty, parent_id, notes, starred)
     VALUES (@id, @experimentId, @name, @status, @kind, @trigger, @source, @startedAt, @endedAt, @deletedAt,
             @gitCommit, @gitDirty, @parentId, @notes, @starred)
     ON CONFLICT (id) DO UPDATE SET experiment_id = excluded.experiment_id, name = excluded.name,
       status = excluded.status, kind = excluded.kind, trigger = excluded.trigger, source = excluded.source,
       started_at = excluded.started_at, ended_at = excluded.ended_at, deleted_at = excluded.deleted_at,
       git_commit = excluded.git_commit, git_dirty = excluded.git_dirty, parent_id = excluded.parent_id,
       notes = excluded.notes, starred = excluded.starred`,
  ).run({ ...r, experimentId: experimentId(db, r.experiment) });
  // A run new here (every run of a fresh clone) has nothing to clear.
  for (const t of [
    'run_params',
    'run_tags',
    'run_metrics',
    'run_latest_metrics',
    'run_stages',
    'run_artifacts',
    'run_inputs',
  ])
    if (known) sql(db, `DELETE FROM ${t} WHERE run_id = ?`).run(r.id);
  const param = sql(db, 'INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(r.params)) param.run(r.id, k, v);
  const tag = sql(db, 'INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(r.tags)) tag.run(r.id, k, v);
  const point = sql(db, 'INSERT OR IGNORE INTO run_metrics (run_id, key, step, at, value) VALUES (?, ?, ?, ?, ?)');
  for (const [k, points] of Object.entries(r.metrics))
    for (const [step, at, value] of points) point.run(r.id, k, step, at, realIn(value));
  const stage = sql(
    db,
    `INSERT INTO run_stages (run_id, stage, position, status, reason, started_at, ended_at, duration_ms, exit_code, attempts, log_path)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [name, s] of Object.entries(r.stages))
    stage.run(
      r.id,
      name,
      s.position,
      s.status,
      s.reason,
      s.startedAt,
      s.endedAt,
      s.durationMs,
      s.exitCode,
      s.attempts,
      s.logPath,
    );
  const artifact = sql(
    db,
    'INSERT INTO run_artifacts (run_id, stage, role, path, hash, size, type) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const [key, a] of Object.entries(r.artifacts)) {
    const [stageName, role, p] = key.split('\t');
    artifact.run(r.id, stageName ?? '', role ?? 'out', p ?? '', a.hash, a.size, a.type);
  }
  const input = sql(db, 'INSERT INTO run_inputs (run_id, dataset, context, version) VALUES (?, ?, ?, ?)');
  for (const [key, version] of Object.entries(r.inputs)) {
    const [dataset, context] = key.split('\t');
    input.run(r.id, dataset ?? '', context ?? 'training', version);
  }
}

/** Removes a run whose record is gone (purged on another machine). */
export function removeRun(db: Database, id: string): void {
  sql(db, 'DELETE FROM runs WHERE id = ?').run(id);
}

export { realIn };
