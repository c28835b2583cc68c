// Runs in: main (browser-mode server). MLflow's tracking endpoints (experiments, runs, metrics) on
// top of the core's tracking functions: every write goes through the same functions, limits and
// transactions as the contract's runs.* methods.
import { dispatch } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { RunStatus } from '../../../shared/contract/schemas';
import { printQuery, type QueryNode } from '../../../shared/query/ast';
import type { Core } from '../../core/app/core';
import { deleteRuns, restoreRuns } from '../../core/tracking/delete';
import { createExperiment, experimentById, experimentByName, searchExperiments, type NameCondition } from '../../core/tracking/experiments';
import { checkBatch, checkKey, checkValue } from '../../core/tracking/limits';
import { artifactEntries, metricPoints, runRecords, type RunRecordFull } from '../../core/tracking/records';
import { createRun, deleteTags, endRun, ensureExperiment, requireRun, updateRun } from '../../core/tracking/runs';
import { searchRuns } from '../../core/tracking/search';
import { headCommit, isDirty } from '../../core/versioning/git';
import type { Workspace } from '../../core/workspace/workspace';
import { fromCore, invalid, MlflowError } from './errors';
import { STATUS_FROM_MLFLOW, translateOrderBy, translateRunFilter } from './filter';
import { type Fields, metricValue, optInt, optList, optString, reqString, runIdOf, stringList } from './request';
import { artifactUri, experimentJson, metricJson, NOTE_TAG, pageToken, readPageToken, RUN_NAME_TAG, runInfoJson, runJson } from './shapes';
import { tokenize } from '../../../shared/query/parse';

export interface TrackingContext {
  core: Core;
}

/** MLflow's id of the experiment a client uses when none is set. */
const DEFAULT_EXPERIMENT_ID = '0';
const DEFAULT_EXPERIMENT = 'Default';
const MAX_SEARCH_RESULTS = 50_000;

function project(ctx: TrackingContext): Workspace {
  const ws = ctx.core.project;
  if (!ws) throw new MlflowError('INVALID_STATE', 'No project is open in Benchtop; open one first.');
  return ws;
}

/** Our id for an MLflow experiment id; "0" is Default, created only when a run is created in it. */
function experimentIdOf(ws: Workspace, raw: string, create = false): number {
  if (raw === DEFAULT_EXPERIMENT_ID) return create ? ensureExperiment(ws.db, DEFAULT_EXPERIMENT) : experimentByName(ws.db, DEFAULT_EXPERIMENT).id;
  if (!/^\d{1,15}$/.test(raw)) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No experiment with id ${JSON.stringify(raw)} exists; experiment ids are whole numbers.`);
  return experimentById(ws.db, Number(raw)).id;
}

function record(ws: Workspace, runId: string): RunRecordFull {
  const r = runRecords(ws.db, [runId])[0];
  if (!r) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found.`);
  return r;
}

function pairsOf(f: Fields, name: string): [string, string][] {
  return optList(f, name).map((p, i) => {
    const o = p as { key?: unknown; value?: unknown } | null;
    if (o === null || typeof o !== 'object' || typeof o.key !== 'string') throw invalid(`Invalid value for parameter '${name}[${i}]': it must be an object with a string key.`);
    if (o.value === undefined || o.value === null) throw invalid(`Missing value for '${name}[${i}].value' (key ${JSON.stringify(o.key)}).`);
    return [o.key, typeof o.value === 'string' ? o.value : String(o.value)];
  });
}

interface Batch {
  metrics: { key: string; value: number; step: number; at: string }[];
  params: Record<string, string>;
  tags: Record<string, string>;
  inputs: { dataset: string; version: string; context: string }[];
}

function metricsOf(f: Fields): Batch['metrics'] {
  return optList(f, 'metrics').map((m, i) => {
    if (m === null || typeof m !== 'object') throw invalid(`Invalid value for parameter 'metrics[${i}]': it must be an object.`);
    return oneMetric(m as Fields, `metrics[${i}].`);
  });
}

function oneMetric(m: Fields, where: string): Batch['metrics'][number] {
  const key = m.key;
  if (typeof key !== 'string' || key === '') throw invalid(`Missing value for required parameter '${where}key'.`);
  if (m.value === undefined || m.value === null) throw invalid(`Missing value for required parameter '${where}value'.`);
  const value = metricValue(m.value, `${where}value`);
  const step = optInt(m, 'step') ?? 0;
  const ts = optInt(m, 'timestamp');
  return { key, value, step, at: new Date(ts ?? Date.now()).toISOString() };
}

/**
 * Logs a batch the way log-batch promises: every key and value is checked first, so a refused batch
 * writes nothing; then params, tags and metrics go in through the contract's runs.log.
 */
async function logBatch(ctx: TrackingContext, runId: string, batch: Batch): Promise<void> {
  const ws = project(ctx);
  checkBatch(batch.metrics.length, Object.keys(batch.params).length, Object.keys(batch.tags).length);
  for (const m of batch.metrics) checkKey('metric', m.key, `metrics.${m.key}`);
  for (const [k, v] of Object.entries(batch.params)) {
    checkKey('param', k, `params.${k}`);
    checkValue('param', k, v, `params.${k}`);
  }
  const tags = { ...batch.tags };
  const name = tags[RUN_NAME_TAG];
  delete tags[RUN_NAME_TAG];
  for (const [k, v] of Object.entries(tags)) {
    checkKey('tag', k, `tags.${k}`);
    checkValue('tag', k, v, `tags.${k}`);
  }
  record(ws, runId);
  const result = await dispatch(ctx.core.handlers, 'runs.log', { runId, metrics: batch.metrics, params: batch.params, tags, inputs: batch.inputs });
  if (!result.ok) throw fromCore(result.error);
  // MLflow names runs through this tag; Benchtop keeps the name as the run's own field.
  if (name !== undefined && name.trim() !== '') updateRun(ws.db, runId, { name });
}

const emptyBatch = (): Batch => ({ metrics: [], params: {}, tags: {}, inputs: [] });

function experimentFilter(filter: string): NameCondition[] {
  let tokens;
  try {
    tokens = tokenize(filter);
  } catch (err) {
    throw invalid(`The experiment filter has a mistake: ${(err as Error).message}.`);
  }
  const out: NameCondition[] = [];
  let i = 0;
  const unsupported = (): never => {
    throw invalid(`Benchtop filters experiments by name only: name = 'x', name != 'x', name LIKE 'x%' or name ILIKE 'x%', joined with AND. "${filter}" is not one of those.`);
  };
  while (tokens[i]!.kind !== 'end') {
    if (out.length > 0) {
      const and = tokens[i++]!;
      if (and.kind !== 'word' || and.text.toLowerCase() !== 'and') unsupported();
    }
    let t = tokens[i++]!;
    if (t.kind === 'word' && ['attribute', 'attributes'].includes(t.text.toLowerCase()) && tokens[i]?.kind === 'punct') {
      i++;
      t = tokens[i++]!;
    }
    if (t.kind !== 'word' || t.text.toLowerCase() !== 'name') unsupported();
    let op = tokens[i++]!;
    let not = false;
    if (op.kind === 'word' && op.text.toLowerCase() === 'not') {
      not = true;
      op = tokens[i++]!;
    }
    const v = tokens[i++]!;
    if (v.kind !== 'string') unsupported();
    const value = (v as { text: string }).text;
    if (op.kind === 'op' && !not && (op.text === '=' || op.text === '!=')) out.push({ op: op.text, value });
    else if (op.kind === 'word' && ['like', 'ilike'].includes(op.text.toLowerCase())) out.push({ op: not ? 'not like' : 'like', value });
    else unsupported();
  }
  return out;
}

function experimentOrder(f: Fields): { orderBy: 'name' | 'created' | 'updated' | 'id'; ascending: boolean } {
  const clauses = stringList(f, 'order_by');
  if (clauses.length === 0) return { orderBy: 'updated', ascending: false };
  if (clauses.length > 1) throw invalid('Benchtop sorts experiments by one field; give one order_by clause.');
  const m = /^\s*(?:attributes?\.)?(name|creation_time|last_update_time|experiment_id)(?:\s+(asc|desc))?\s*$/i.exec(clauses[0]!);
  if (!m) throw invalid(`Cannot sort experiments by "${clauses[0]}"; use name, creation_time, last_update_time or experiment_id, with ASC or DESC.`);
  const orderBy = ({ name: 'name', creation_time: 'created', last_update_time: 'updated', experiment_id: 'id' } as const)[m[1]!.toLowerCase() as 'name'];
  return { orderBy, ascending: (m[2] ?? 'asc').toLowerCase() === 'asc' };
}

function maxResults(f: Fields, fallback: number, max: number): number {
  const n = optInt(f, 'max_results', 1) ?? fallback;
  if (n > max) throw invalid(`Invalid value ${n} for parameter 'max_results': the largest allowed is ${max}.`);
  return n;
}

function offsetOf(f: Fields): number {
  const offset = readPageToken(f.page_token);
  if (offset < 0) throw invalid(`Invalid page token ${JSON.stringify(f.page_token)}; pass the next_page_token of the previous answer.`);
  return offset;
}

function endingStatus(mlflow: string): RunStatus | 'running' | 'queued' {
  const mapped = STATUS_FROM_MLFLOW[mlflow.toUpperCase()];
  if (!mapped) throw invalid(`Invalid value ${JSON.stringify(mlflow)} for parameter 'status': use one of ${Object.keys(STATUS_FROM_MLFLOW).join(', ')}.`);
  return mapped[0] as RunStatus;
}

type Endpoint = { methods: readonly string[]; handle: (ctx: TrackingContext, f: Fields) => Promise<unknown> | unknown };

const GET = ['GET'] as const;
const POST = ['POST'] as const;
const READ = ['GET', 'POST'] as const;

export const TRACKING_ENDPOINTS: Record<string, Endpoint> = {
  'experiments/create': {
    methods: POST,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const name = reqString(f, 'name');
      const note = pairsOf(f, 'tags').find(([k]) => k === NOTE_TAG)?.[1] ?? '';
      return { experiment_id: String(createExperiment(ws.db, name, note)) };
    },
  },
  'experiments/get': {
    methods: GET,
    handle: (ctx, f) => {
      const ws = project(ctx);
      return { experiment: experimentJson(experimentById(ws.db, experimentIdOf(ws, reqString(f, 'experiment_id')))) };
    },
  },
  'experiments/get-by-name': {
    methods: GET,
    handle: (ctx, f) => ({ experiment: experimentJson(experimentByName(project(ctx).db, reqString(f, 'experiment_name'))) }),
  },
  'experiments/search': {
    methods: READ,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const view = optString(f, 'view_type') ?? 'ACTIVE_ONLY';
      if (!['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'].includes(view)) throw invalid(`Invalid value ${JSON.stringify(view)} for parameter 'view_type'.`);
      const limit = maxResults(f, 1000, MAX_SEARCH_RESULTS);
      const offset = offsetOf(f);
      // Benchtop does not delete experiments, so none is ever in the deleted view.
      if (view === 'DELETED_ONLY') return { experiments: [] };
      const found = searchExperiments(ws.db, { names: experimentFilter(optString(f, 'filter') ?? ''), ...experimentOrder(f), offset, limit: limit + 1 });
      const answer: Record<string, unknown> = { experiments: found.slice(0, limit).map(experimentJson) };
      if (found.length > limit) answer.next_page_token = pageToken(offset + limit);
      return answer;
    },
  },
  'runs/create': {
    methods: POST,
    handle: async (ctx, f) => {
      const ws = project(ctx);
      const expId = experimentIdOf(ws, optString(f, 'experiment_id') || DEFAULT_EXPERIMENT_ID, true);
      const experiment = experimentById(ws.db, expId).name;
      const tags = Object.fromEntries(pairsOf(f, 'tags'));
      const name = optString(f, 'run_name') || tags[RUN_NAME_TAG] || undefined;
      delete tags[RUN_NAME_TAG];
      const user = optString(f, 'user_id');
      if (user && tags['mlflow.user'] === undefined) tags['mlflow.user'] = user;
      const start = optInt(f, 'start_time');
      const parentId = tags['mlflow.parentRunId'];
      if (parentId) record(ws, parentId);
      const runId = createRun(ws.db, {
        experiment,
        name,
        source: tags['mlflow.source.name'] ?? 'mlflow',
        parentId,
        startedAt: new Date(start ?? Date.now()).toISOString(),
        gitCommit: tags['mlflow.source.git.commit'] ?? (await headCommit(ws.dir)),
        gitDirty: await isDirty(ws.dir),
        tags,
      });
      ctx.core.events.emit({ name: 'run.status', payload: { runId, status: 'running', at: new Date().toISOString() } });
      return { run: runJson(record(ws, runId)) };
    },
  },
  'runs/update': {
    methods: POST,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const runId = runIdOf(f);
      const run = record(ws, runId);
      const name = optString(f, 'run_name');
      if (name) updateRun(ws.db, runId, { name });
      const status = optString(f, 'status');
      const end = optInt(f, 'end_time');
      if (status !== undefined) {
        const wanted = endingStatus(status);
        if (wanted === 'running' || wanted === 'queued') {
          if (run.status !== wanted) throw invalid(`Run '${runId}' is ${run.status}; Benchtop does not set a run back to ${status}.`);
        } else {
          const ended = endRun(ws.db, runId, wanted, new Date(end ?? Date.now()).toISOString());
          ctx.core.events.emit({ name: 'run.status', payload: { runId, status: ended, at: new Date().toISOString() } });
        }
      }
      return { run_info: runInfoJson(record(ws, runId)) };
    },
  },
  'runs/get': {
    methods: GET,
    handle: (ctx, f) => ({ run: runJson(record(project(ctx), runIdOf(f))) }),
  },
  'runs/search': {
    methods: READ,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const limit = maxResults(f, 1000, MAX_SEARCH_RESULTS);
      const offset = offsetOf(f);
      const view = optString(f, 'run_view_type') ?? 'ACTIVE_ONLY';
      const deleted = ({ ACTIVE_ONLY: 'hide', DELETED_ONLY: 'only', ALL: 'include' } as const)[view as 'ALL'];
      if (!deleted) throw invalid(`Invalid value ${JSON.stringify(view)} for parameter 'run_view_type': use ACTIVE_ONLY, DELETED_ONLY or ALL.`);
      let tree: QueryNode | null = translateRunFilter(optString(f, 'filter') ?? '');
      const expIds = stringList(f, 'experiment_ids');
      if (expIds.length > 0) {
        const names: string[] = [];
        for (const id of expIds) {
          try {
            names.push(experimentById(ws.db, experimentIdOf(ws, id)).name);
          } catch (err) {
            if (!(err instanceof BenchtopError || err instanceof MlflowError)) throw err;
          }
        }
        if (names.length === 0) return { runs: [] };
        const inExperiments: QueryNode = { type: 'in', field: { kind: 'attr', name: 'experiment' }, values: names, negated: false };
        tree = tree ? { type: 'and', left: inExperiments, right: tree } : inExperiments;
      }
      const orderBy = stringList(f, 'order_by');
      if (orderBy.length > 1) throw invalid('Benchtop sorts runs by one field; give one order_by clause.');
      const rows = searchRuns(ws.db, { filter: tree ? printQuery(tree) : '', deleted, sort: orderBy[0] ? translateOrderBy(orderBy[0]) : '-start_time', limit: offset + limit + 1 });
      const page = rows.slice(offset, offset + limit);
      const answer: Record<string, unknown> = { runs: runRecords(ws.db, page.map((r) => r.id)).map(runJson) };
      if (rows.length > offset + limit) answer.next_page_token = pageToken(offset + limit);
      return answer;
    },
  },
  'runs/delete': {
    methods: POST,
    handle: (ctx, f) => {
      deleteRuns(project(ctx).db, [runIdOf(f)]);
      return {};
    },
  },
  'runs/restore': {
    methods: POST,
    handle: (ctx, f) => {
      restoreRuns(project(ctx).db, [runIdOf(f)]);
      return {};
    },
  },
  'runs/log-metric': {
    methods: POST,
    handle: async (ctx, f) => {
      await logBatch(ctx, runIdOf(f), { ...emptyBatch(), metrics: [oneMetric(f, '')] });
      return {};
    },
  },
  'runs/log-parameter': {
    methods: POST,
    handle: async (ctx, f) => {
      const key = reqString(f, 'key');
      if (f.value === undefined || f.value === null) throw invalid("Missing value for required parameter 'value'.");
      await logBatch(ctx, runIdOf(f), { ...emptyBatch(), params: { [key]: String(f.value) } });
      return {};
    },
  },
  'runs/set-tag': {
    methods: POST,
    handle: async (ctx, f) => {
      const key = reqString(f, 'key');
      if (f.value === undefined || f.value === null) throw invalid("Missing value for required parameter 'value'.");
      await logBatch(ctx, runIdOf(f), { ...emptyBatch(), tags: { [key]: String(f.value) } });
      return {};
    },
  },
  'runs/delete-tag': {
    methods: POST,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const runId = runIdOf(f);
      const key = reqString(f, 'key');
      requireRun(ws.db, runId);
      if (!(key in record(ws, runId).tags)) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in run with id ${runId}`);
      deleteTags(ws.db, runId, [key]);
      return {};
    },
  },
  'runs/log-batch': {
    methods: POST,
    handle: async (ctx, f) => {
      const params = pairsOf(f, 'params');
      const tags = pairsOf(f, 'tags');
      const metrics = optList(f, 'metrics');
      // The limits first: an oversized batch is refused before any of it is even read.
      checkBatch(metrics.length, params.length, tags.length);
      const seen = new Map<string, string>();
      for (const [k, v] of params) {
        if (seen.has(k) && seen.get(k) !== v) throw invalid(`Duplicate parameter keys with different values in the batch: '${k}'.`);
        seen.set(k, v);
      }
      await logBatch(ctx, runIdOf(f), { metrics: metricsOf(f), params: Object.fromEntries(params), tags: Object.fromEntries(tags), inputs: [] });
      return {};
    },
  },
  'runs/log-inputs': {
    methods: POST,
    handle: async (ctx, f) => {
      const inputs = optList(f, 'datasets').map((d, i) => {
        const o = d as { dataset?: { name?: unknown; digest?: unknown }; tags?: unknown } | null;
        const name = o?.dataset?.name;
        const digest = o?.dataset?.digest;
        if (typeof name !== 'string' || name === '' || typeof digest !== 'string') throw invalid(`Invalid value for parameter 'datasets[${i}]': it needs dataset.name and dataset.digest.`);
        const context = pairsOf({ tags: o?.tags }, 'tags').find(([k]) => k === 'mlflow.data.context')?.[1] ?? 'training';
        return { dataset: name, version: digest, context };
      });
      await logBatch(ctx, runIdOf(f), { ...emptyBatch(), inputs });
      return {};
    },
  },
  'metrics/get-history': {
    methods: GET,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const runId = runIdOf(f);
      record(ws, runId);
      const key = reqString(f, 'metric_key');
      const limit = optInt(f, 'max_results', 1);
      const offset = offsetOf(f);
      const points = metricPoints(ws.db, runId, key, { offset, limit: limit === undefined ? undefined : limit + 1 });
      const answer: Record<string, unknown> = { metrics: (limit === undefined ? points : points.slice(0, limit)).map(metricJson) };
      if (limit !== undefined && points.length > limit) answer.next_page_token = pageToken(offset + limit);
      return answer;
    },
  },
  'artifacts/list': {
    methods: GET,
    handle: (ctx, f) => {
      const ws = project(ctx);
      const run = record(ws, runIdOf(f));
      const dir = (optString(f, 'path') ?? '').replace(/^\/+|\/+$/g, '');
      const entries = artifactEntries(ws.db, run.id, dir === '' ? '' : checkDir(dir));
      return {
        root_uri: artifactUri(run.experimentId, run.id),
        files: entries.map((e) => (e.isDir ? { path: e.path, is_dir: true } : { path: e.path, is_dir: false, file_size: e.size })),
      };
    },
  },
};

/** A folder inside a run's artifacts: the same rules as an artifact's path. */
export function checkDir(dir: string): string {
  if (dir.split('/').some((p) => p === '..' || p === '.' || p === '') || dir.includes('\0') || dir.includes('\\')) {
    throw invalid(`"${dir.slice(0, 200)}" cannot be an artifact path: use a relative path without "..".`);
  }
  return dir;
}
