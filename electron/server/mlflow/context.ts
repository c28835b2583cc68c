// Runs in: main (browser-mode server). What every MLflow tracking endpoint shares: the open
// project, contract calls through dispatch (each endpoint translates its request onto contract
// methods, never onto the tables), MLflow's experiment and run ids resolved, list and paging fields.
import { dispatch } from '../../../shared/contract/dispatch';
import type { MethodInput, MethodOutput } from '../../../shared/contract/methods';
import type { MethodName } from '../../../shared/contract/names';
import type { ExperimentRecord, RunRecord } from '../../../shared/contract/tracking';
import type { Core } from '../../core/app/core';
import { fromCore, invalid, MlflowError } from './errors';
import { type Fields, optInt, optList } from './request';
import { readPageToken } from './shapes';

export interface TrackingContext {
  core: Core;
}

/** MLflow's id of the experiment a client uses when none is set. */
export const DEFAULT_EXPERIMENT_ID = '0';
export const DEFAULT_EXPERIMENT = 'Default';
export const MAX_SEARCH_RESULTS = 50_000;

/** A contract method through dispatch (validation included); its failure in MLflow's terms. */
export async function call<M extends MethodName>(
  ctx: TrackingContext,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const r = await dispatch(ctx.core.handlers, method, input);
  if (!r.ok) throw fromCore(r.error);
  return r.value as MethodOutput<M>;
}

/** Refuses the request, in MLflow's words, when no project is open. */
export function project(ctx: TrackingContext): void {
  if (!ctx.core.project) throw new MlflowError('INVALID_STATE', 'No project is open in Benchtop; open one first.');
}

/** The experiment an MLflow experiment id names; "0" is Default. */
export async function experimentOf(ctx: TrackingContext, raw: string): Promise<ExperimentRecord> {
  if (raw === DEFAULT_EXPERIMENT_ID) return call(ctx, 'experiments.get', { name: DEFAULT_EXPERIMENT });
  if (!/^\d{1,15}$/.test(raw))
    throw new MlflowError(
      'RESOURCE_DOES_NOT_EXIST',
      `No experiment with id ${JSON.stringify(raw)} exists; experiment ids are whole numbers.`,
    );
  return call(ctx, 'experiments.get', { id: Number(raw) });
}

/** Longer ids cannot exist (the contract refuses them as input); they are simply not found. */
const MAX_RUN_ID = 200;

export async function record(ctx: TrackingContext, runId: string): Promise<RunRecord> {
  const r = runId.length > MAX_RUN_ID ? undefined : (await call(ctx, 'runs.records', { ids: [runId] })).runs[0];
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
