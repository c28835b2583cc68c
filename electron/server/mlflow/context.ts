// Runs in: main (browser-mode server). What every MLflow tracking endpoint shares: the open
// project, MLflow's experiment and run ids resolved to Benchtop's, list and paging fields.
import type { Core } from '../../core/app/core';
import { experimentById, experimentByName } from '../../core/tracking/experiments';
import { runRecords, type RunRecordFull } from '../../core/tracking/records';
import { ensureExperiment } from '../../core/tracking/runs';
import type { Workspace } from '../../core/workspace/workspace';
import { invalid, MlflowError } from './errors';
import { type Fields, optInt, optList } from './request';
import { readPageToken } from './shapes';

export interface TrackingContext {
  core: Core;
}

/** MLflow's id of the experiment a client uses when none is set. */
export const DEFAULT_EXPERIMENT_ID = '0';
const DEFAULT_EXPERIMENT = 'Default';
export const MAX_SEARCH_RESULTS = 50_000;

export function project(ctx: TrackingContext): Workspace {
  const ws = ctx.core.project;
  if (!ws) throw new MlflowError('INVALID_STATE', 'No project is open in Benchtop; open one first.');
  return ws;
}

/** Our id for an MLflow experiment id; "0" is Default, created only when a run is created in it. */
export function experimentIdOf(ws: Workspace, raw: string, create = false): number {
  if (raw === DEFAULT_EXPERIMENT_ID)
    return create ? ensureExperiment(ws.db, DEFAULT_EXPERIMENT) : experimentByName(ws.db, DEFAULT_EXPERIMENT).id;
  if (!/^\d{1,15}$/.test(raw))
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `No experiment with id ${JSON.stringify(raw)} exists; experiment ids are whole numbers.`,
    );
  return experimentById(ws.db, Number(raw)).id;
}

export function record(ws: Workspace, runId: string): RunRecordFull {
  const r = runRecords(ws.db, [runId])[0];
  if (!r) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found.`);
  return r;
}

export function pairsOf(f: Fields, name: string): [string, string][] {
  return optList(f, name).map((p, i) => {
    const o = p as { key?: unknown; value?: unknown } | null;
    if (o === null || typeof o !== 'object' || typeof o.key !== 'string')
      throw invalid(`Invalid value for parameter '${name}[${i}]': it must be an object with a string key.`);
    if (o.value === undefined || o.value === null)
      throw invalid(`Missing value for '${name}[${i}].value' (key ${JSON.stringify(o.key)}).`);
    return [o.key, typeof o.value === 'string' ? o.value : String(o.value)];
  });
}

export function maxResults(f: Fields, fallback: number, max: number): number {
  const n = optInt(f, 'max_results', 1) ?? fallback;
  if (n > max) throw invalid(`Invalid value ${n} for parameter 'max_results': the largest allowed is ${max}.`);
  return n;
}

export function offsetOf(f: Fields): number {
  const offset = readPageToken(f.page_token);
  if (offset < 0)
    throw invalid(
      `Invalid page token ${JSON.stringify(f.page_token)}; pass the next_page_token of the previous answer.`,
    );
  return offset;
}

export type Endpoint = {
  methods: readonly string[];
  handle: (ctx: TrackingContext, f: Fields) => Promise<unknown> | unknown;
};

export const GET = ['GET'] as const;
export const POST = ['POST'] as const;
export const READ = ['GET', 'POST'] as const;

/** A folder inside a run's artifacts: the same rules as an artifact's path. */
export function checkDir(dir: string): string {
  if (dir.split('/').some((p) => p === '..' || p === '.' || p === '') || dir.includes('\0') || dir.includes('\\')) {
    throw invalid(`"${dir.slice(0, 200)}" cannot be an artifact path: use a relative path without "..".`);
  }
  return dir;
}

const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

/** MLflow's ViewType enum, by name or by its protobuf number (1, 2, 3). */
export function viewTypeOf(f: Fields, name: string): ViewType {
  const v = f[name];
  if (v === undefined || v === null || v === '') return 'ACTIVE_ONLY';
  const byNumber =
    typeof v === 'number' || (typeof v === 'string' && /^\d$/.test(v)) ? VIEW_TYPES[Number(v) - 1] : undefined;
  const found = byNumber ?? VIEW_TYPES.find((t) => t === v);
  if (!found)
    throw invalid(`Invalid value ${JSON.stringify(v)} for parameter '${name}': use ACTIVE_ONLY, DELETED_ONLY or ALL.`);
  return found;
}
