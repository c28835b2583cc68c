// Runs in: main (browser-mode server). MLflow's run endpoints: create, update (end), get, search,
// delete and restore, metric history and the run's artifact listing.
import { BenchtopError } from '../../../shared/contract/errors';
import type { RunStatus } from '../../../shared/contract/schemas';
import { printQuery, type QueryNode } from '../../../shared/query/ast';
import { deleteRuns, restoreRuns } from '../../core/tracking/delete';
import { experimentById } from '../../core/tracking/experiments';
import { artifactEntries, metricPoints, runRecords } from '../../core/tracking/records';
import { createRun, endRun, updateRun } from '../../core/tracking/runs';
import { searchRuns } from '../../core/tracking/search';
import { writeTransaction } from '../../core/store/database';
import { headCommit, isDirty } from '../../core/git/git';
import { invalid, MlflowError } from './errors';
import { STATUS_FROM_MLFLOW, translateOrderBy, translateRunFilter } from './filter';
import { optInt, optString, reqString, runIdOf, stringList } from './request';
import { artifactUri, metricJson, pageToken, RUN_NAME_TAG, runInfoJson, runJson } from './shapes';
import {
  viewTypeOf,
  DEFAULT_EXPERIMENT_ID,
  MAX_SEARCH_RESULTS,
  project,
  experimentIdOf,
  record,
  pairsOf,
  maxResults,
  offsetOf,
  type Endpoint,
  GET,
  POST,
  READ,
  checkDir,
} from './context';

function endingStatus(mlflow: string): RunStatus | 'running' | 'queued' {
  const mapped = STATUS_FROM_MLFLOW[mlflow.toUpperCase()];
  if (!mapped)
    throw invalid(
      `Invalid value ${JSON.stringify(mlflow)} for parameter 'status': use one of ${Object.keys(STATUS_FROM_MLFLOW).join(', ')}.`,
    );
  return mapped[0] as RunStatus;
}

export const RUN_ENDPOINTS: Record<string, Endpoint> = {
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
      const status = optString(f, 'status');
      const end = optInt(f, 'end_time');
      // Everything is checked before anything changes, and the name and the end land together.
      const wanted = status === undefined ? undefined : endingStatus(status);
      if ((wanted === 'running' || wanted === 'queued') && run.status !== wanted)
        throw invalid(`Run '${runId}' is ${run.status}; Benchtop does not set a run back to ${status}.`);
      const ended = writeTransaction(ws.db, () => {
        if (name) updateRun(ws.db, runId, { name });
        if (wanted === undefined || wanted === 'running' || wanted === 'queued') return null;
        return endRun(ws.db, runId, wanted, new Date(end ?? Date.now()).toISOString());
      });
      if (ended)
        ctx.core.events.emit({ name: 'run.status', payload: { runId, status: ended, at: new Date().toISOString() } });
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
      const deleted = ({ ACTIVE_ONLY: 'hide', DELETED_ONLY: 'only', ALL: 'include' } as const)[
        viewTypeOf(f, 'run_view_type')
      ];
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
        const inExperiments: QueryNode = {
          type: 'in',
          field: { kind: 'attr', name: 'experiment' },
          values: names,
          negated: false,
        };
        tree = tree ? { type: 'and', left: inExperiments, right: tree } : inExperiments;
      }
      const orderBy = stringList(f, 'order_by');
      if (orderBy.length > 1) throw invalid('Benchtop sorts runs by one field; give one order_by clause.');
      const rows = searchRuns(ws.db, {
        filter: tree ? printQuery(tree) : '',
        deleted,
        sort: orderBy[0] ? translateOrderBy(orderBy[0]) : '-start_time',
        limit: offset + limit + 1,
      });
      const page = rows.slice(offset, offset + limit);
      const answer: Record<string, unknown> = {
        runs: runRecords(
          ws.db,
          page.map((r) => r.id),
        ).map(runJson),
      };
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
      const answer: Record<string, unknown> = {
        metrics: (limit === undefined ? points : points.slice(0, limit)).map(metricJson),
      };
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
        files: entries.map((e) =>
          e.isDir ? { path: e.path, is_dir: true } : { path: e.path, is_dir: false, file_size: e.size },
        ),
      };
    },
  },
};
