// Runs in: main (core). Runs as the tracking API sees them: created, logged to, ended, edited and
// read back whole. Every source of runs (the local API, MLflow clients, imports) goes through here.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import {
  type JobColumns,
  type RunDetail,
  type RunKeys,
  type RunStatus,
  withJob,
} from '../../../shared/contract/schemas';
import { writeTransaction } from '../store/database';
import { newRunId, RUN_ID_PATTERN } from './ids';
import { uniqueRunName } from './run-names';
import { checkKey, checkText, checkValue, LIMITS } from './limits';

export interface CreateRunInput {
  /** Chosen by the caller (an import keeps MLflow's ids); a fresh one otherwise. */
  id?: string | undefined;
  experiment?: string | undefined;
  name?: string | undefined;
  source?: string | undefined;
  parentId?: string | undefined;
  gitCommit?: string | null | undefined;
  gitDirty?: boolean | null | undefined;
  startedAt?: string | undefined;
  status?: RunStatus | undefined;
  /**
   * The process that will end the run (a helper sends its script's); this process otherwise. A
   * running run whose process is gone is marked interrupted when the project next opens.
   */
  pid?: number | undefined;
  params?: Record<string, string> | undefined;
  tags?: Record<string, string> | undefined;
}

const nowIso = (): string => new Date().toISOString();

export function ensureExperiment(db: Database, name: string, description = ''): number {
  checkText('experiment name', name, LIMITS.experimentName, 'experiment');
  if (name.trim() === '')
    throw new BenchtopError('INVALID_INPUT', 'The experiment name is empty.', {
      field: 'experiment',
      hint: 'Name the experiment.',
    });
  db.prepare('INSERT OR IGNORE INTO experiments (name, description) VALUES (?, ?)').run(name, description);
  return (db.prepare('SELECT id FROM experiments WHERE name = ?').get(name) as { id: number }).id;
}

export function requireRun(db: Database, id: string): { status: RunStatus; deleted: boolean } {
  const row = db.prepare('SELECT status, deleted_at FROM runs WHERE id = ?').get(id) as
    | { status: RunStatus; deleted_at: string | null }
    | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `There is no run ${id} in this project.`, {
      field: 'runId',
      hint: 'List runs with `benchtop runs`.',
    });
  return { status: row.status, deleted: row.deleted_at !== null };
}

export function createRun(db: Database, input: CreateRunInput): string {
  const id = input.id ?? newRunId();
  if (!RUN_ID_PATTERN.test(id))
    throw new BenchtopError('INVALID_INPUT', `"${id}" cannot be a run id.`, {
      field: 'id',
      hint: 'Use letters, digits, _ and -, at most 100 characters.',
    });
  if (input.name !== undefined) checkText('run name', input.name, LIMITS.runName, 'name');
  const status = input.status ?? 'running';
  return writeTransaction(db, () => {
    if (db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id))
      throw new BenchtopError('ALREADY_EXISTS', `A run ${id} already exists.`, {
        field: 'id',
        hint: 'Choose another id, or leave it out.',
      });
    if (input.parentId) requireRun(db, input.parentId);
    const name = input.name ?? uniqueRunName(db, id);
    const exp = ensureExperiment(db, input.experiment ?? 'Default');
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at, git_commit, git_dirty, pid, kind, trigger, source, parent_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'script', 'api', ?, ?)`,
    ).run(
      id,
      exp,
      name,
      status,
      input.startedAt ?? nowIso(),
      input.gitCommit ?? null,
      input.gitDirty == null ? null : input.gitDirty ? 1 : 0,
      status === 'running' || status === 'queued' ? (input.pid ?? process.pid) : null,
      input.source ?? 'api',
      input.parentId ?? null,
    );
    logParams(db, id, input.params ?? {});
    setTags(db, id, input.tags ?? {});
    return id;
  });
}

/**
 * Params are write-once, as in MLflow: logging the same value again is fine, a different value is
 * refused (a run's params describe how it was made; a changed one would be a different run).
 */
export function logParams(db: Database, runId: string, params: Record<string, string>): void {
  const entries = Object.entries(params);
  if (entries.length === 0) return;
  writeTransaction(db, () => {
    requireRun(db, runId);
    const get = db.prepare('SELECT value FROM run_params WHERE run_id = ? AND key = ?');
    const put = db.prepare('INSERT OR IGNORE INTO run_params (run_id, key, value) VALUES (?, ?, ?)');
    for (const [key, value] of entries) {
      checkKey('param', key, `params.${key}`);
      checkValue('param', key, value, `params.${key}`);
      const old = get.get(runId, key) as { value: string } | undefined;
      if (old && old.value !== value) {
        throw new BenchtopError(
          'CONFLICT',
          `Param "${key}" of run ${runId} is already "${old.value.slice(0, 80)}"; it cannot change to "${value.slice(0, 80)}".`,
          {
            field: `params.${key}`,
            hint: 'Params are fixed once logged; start a new run for a new value, or log it as a tag.',
          },
        );
      }
      put.run(runId, key, value);
    }
  });
}

export function setTags(db: Database, runId: string, tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length === 0) return;
  writeTransaction(db, () => {
    requireRun(db, runId);
    const put = db.prepare('INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
    for (const [key, value] of entries) {
      checkKey('tag', key, `tags.${key}`);
      checkValue('tag', key, value, `tags.${key}`);
      put.run(runId, key, value);
    }
  });
}

export function deleteTags(db: Database, runId: string, keys: readonly string[]): void {
  writeTransaction(db, () => {
    requireRun(db, runId);
    const del = db.prepare('DELETE FROM run_tags WHERE run_id = ? AND key = ?');
    for (const key of keys) del.run(runId, key);
  });
}

export interface RunInput {
  dataset: string;
  version: string;
  context?: string | undefined;
}

export function logInputs(db: Database, runId: string, inputs: readonly RunInput[]): void {
  if (inputs.length === 0) return;
  writeTransaction(db, () => {
    requireRun(db, runId);
    const put = db.prepare('INSERT OR REPLACE INTO run_inputs (run_id, dataset, version, context) VALUES (?, ?, ?, ?)');
    for (const i of inputs) put.run(runId, i.dataset, i.version, i.context ?? 'training');
  });
}

const FINAL: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Ends a running run. Ending it again with the same status is a no-op; a different one is refused. */
export function endRun(db: Database, runId: string, status: RunStatus, endedAt = nowIso()): RunStatus {
  if (!FINAL.includes(status))
    throw new BenchtopError('INVALID_INPUT', `A run cannot end as "${status}".`, {
      field: 'status',
      hint: `End it as one of ${FINAL.join(', ')}.`,
    });
  return writeTransaction(db, () => {
    const run = requireRun(db, runId);
    if (FINAL.includes(run.status)) {
      if (run.status === status) return status;
      throw new BenchtopError('CONFLICT', `Run ${runId} already ended as ${run.status}.`, {
        field: 'status',
        hint: 'A finished run keeps the status it ended with.',
      });
    }
    db.prepare('UPDATE runs SET status = ?, ended_at = ?, pid = NULL WHERE id = ?').run(status, endedAt, runId);
    return status;
  });
}

export interface RunEdit {
  name?: string | undefined;
  notes?: string | undefined;
  starred?: boolean | undefined;
  setTags?: Record<string, string> | undefined;
  deleteTags?: string[] | undefined;
}

export function updateRun(db: Database, runId: string, edit: RunEdit): void {
  writeTransaction(db, () => {
    requireRun(db, runId);
    if (edit.name !== undefined) {
      if (edit.name.trim() === '')
        throw new BenchtopError('INVALID_INPUT', 'A run name cannot be empty.', {
          field: 'name',
          hint: 'Type a name.',
        });
      checkText('run name', edit.name, LIMITS.runName, 'name');
      db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(edit.name.trim(), runId);
    }
    if (edit.notes !== undefined) {
      checkText('notes', edit.notes, LIMITS.notes, 'notes');
      db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(edit.notes, runId);
    }
    if (edit.starred !== undefined)
      db.prepare('UPDATE runs SET starred = ? WHERE id = ?').run(edit.starred ? 1 : 0, runId);
    if (edit.setTags) setTags(db, runId, edit.setTags);
    if (edit.deleteTags) deleteTags(db, runId, edit.deleteTags);
  });
}

interface RunRecord {
  id: string;
  name: string;
  status: RunStatus;
  experiment: string;
  started_at: string | null;
  ended_at: string | null;
  duration: number | null;
  source: string;
  kind: 'script' | 'pipeline';
  trigger: string;
  git_commit: string | null;
  git_dirty: 0 | 1 | null;
  parent_id: string | null;
  notes: string;
  starred: 0 | 1;
  deleted_at: string | null;
}

/** Everything about one run: its fields, params, latest metrics, tags, artifacts, inputs, stages. */
export function getRun(db: Database, runId: string): RunDetail {
  const r = db
    .prepare(
      `SELECT r.id, r.name, r.status, e.name AS experiment, r.started_at, r.ended_at,
              unixepoch(r.ended_at, 'subsec') - unixepoch(r.started_at, 'subsec') AS duration,
              r.source, r.kind, r.trigger, r.git_commit, r.git_dirty, r.parent_id, r.notes, r.starred, r.deleted_at
         FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`,
    )
    .get(runId) as RunRecord | undefined;
  if (!r)
    throw new BenchtopError('NOT_FOUND', `There is no run ${runId} in this project.`, {
      field: 'id',
      hint: 'List runs with `benchtop runs`.',
    });
  const pairs = (table: string): Record<string, string> =>
    Object.fromEntries(
      (
        db.prepare(`SELECT key, value FROM ${table} WHERE run_id = ? ORDER BY key`).all(runId) as {
          key: string;
          value: string;
        }[]
      ).map((p) => [p.key, p.value]),
    );
  const metrics = db
    .prepare(
      `SELECT l.key, l.value, l.step, l.at, (SELECT COUNT(*) FROM run_metrics m WHERE m.run_id = l.run_id AND m.key = l.key) AS points
         FROM run_latest_metrics l WHERE l.run_id = ? ORDER BY l.key`,
    )
    .all(runId) as { key: string; value: number | null; step: number; at: string; points: number }[];
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    experiment: r.experiment,
    startTime: r.started_at,
    endTime: r.ended_at,
    duration: r.duration,
    source: r.source,
    kind: r.kind,
    trigger: r.trigger,
    gitCommit: r.git_commit,
    gitDirty: r.git_dirty === null ? null : r.git_dirty === 1,
    parentId: r.parent_id,
    children: (
      db.prepare('SELECT id FROM runs WHERE parent_id = ? ORDER BY started_at').all(runId) as { id: string }[]
    ).map((c) => c.id),
    notes: r.notes,
    starred: r.starred === 1,
    deleted: r.deleted_at !== null,
    params: pairs('run_params'),
    // SQLite keeps NaN as NULL.
    metrics: metrics.map((m) => ({ ...m, value: m.value ?? Number.NaN })),
    tags: pairs('run_tags'),
    artifacts: db
      .prepare(
        'SELECT path, stage, role, hash, size, type FROM run_artifacts WHERE run_id = ? ORDER BY role, stage, path',
      )
      .all(runId) as RunDetail['artifacts'],
    inputs: db
      .prepare('SELECT dataset, version, context FROM run_inputs WHERE run_id = ? ORDER BY dataset, context')
      .all(runId) as RunDetail['inputs'],
    stages: (
      db
        .prepare(
          `SELECT stage AS name, status, reason, started_at AS startedAt, ended_at AS endedAt, duration_ms AS durationMs, attempts, exit_code AS exitCode,
                    job_id AS jobId, job_node AS jobNode, queue_wait_ms AS queueWaitMs
             FROM run_stages WHERE run_id = ? ORDER BY position`,
        )
        .all(runId) as JobColumns<RunDetail['stages'][number]>[]
    ).map(withJob),
  };
}

/** Every param, metric and tag key in use by live runs, for completion in the filter box. */
export function runKeys(db: Database): RunKeys {
  const keys = (table: string): string[] =>
    (
      db
        .prepare(
          `SELECT DISTINCT key FROM ${table} WHERE run_id IN (SELECT id FROM runs WHERE deleted_at IS NULL) ORDER BY key LIMIT 5000`,
        )
        .all() as { key: string }[]
    ).map((k) => k.key);
  return { params: keys('run_params'), metrics: keys('run_latest_metrics'), tags: keys('run_tags') };
}
