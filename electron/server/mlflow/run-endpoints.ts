// Runs in: main (browser-mode server). MLflow's run endpoints: create, update (end), get, search,
// delete and restore, metric history and the run's artifact listing, each translated onto contract
// methods.
import { BenchtopError } from '../../../shared/contract/errors';
import type { RunStatus } from '../../../shared/contract/schemas';
import { printQuery, type QueryNode } from '../../../shared/query/ast';
import { invalid, MlflowError } from './errors';
import { STATUS_FROM_MLFLOW, translateOrderBy, translateRunFilter } from './filter';
import { optInt, optString, reqString, runIdOf, stringList } from './request';
import { artifactUri, metricJson, pageToken, RUN_NAME_TAG, runInfoJson, runJson } from './shapes';
import {
  viewTypeOf,
  DEFAULT_EXPERIMENT,
  DEFAULT_EXPERIMENT_ID,
  MAX_SEARCH_RESULTS,
  project,
  call,
  experimentOf,
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
      project(ctx);
      const rawExperiment = optString(f, 'experiment_id') || DEFAULT_EXPERIMENT_ID;
      // Default is made by the first run created in it; any other experiment must exist.
      const experiment =
        rawExperiment === DEFAULT_EXPERIMENT_ID ? DEFAULT_EXPERIMENT : (await experimentOf(ctx, rawExperiment)).name;
      const tags = Object.fromEntries(pairsOf(f, 'tags'));
      const name = optString(f, 'run_name') || tags[RUN_NAME_TAG] || undefined;
      delete tags[RUN_NAME_TAG];
      const user = optString(f, 'user_id');
      if (user && tags['mlflow.user'] === undefined) tags['mlflow.user'] = user;
      const start = optInt(f, 'start_time');
      const parentId = tags['mlflow.parentRunId'];
      if (parentId) await record(ctx, parentId);
      const commit = tags['mlflow.source.git.commit'];
      const { runId } = await call(ctx, 'runs.create', {
        experiment,
        ...(name !== undefined ? { name } : {}),
        source: tags['mlflow.source.name'] ?? 'mlflow',
        ...(parentId ? { parentId } : {}),
        startedAt: new Date(start ?? Date.now()).toISOString(),
        // Left out, the commit and the dirty flag are read from the project.
        ...(commit !== undefined ? { gitCommit: commit } : {}),
        tags,
      });
      return { run: runJson(await record(ctx, runId)) };
    },
  },
  'runs/update': {
    methods: POST,
    handle: async (ctx, f) => {
      project(ctx);
      const runId = runIdOf(f);
      const run = await record(ctx, runId);
      const name = optString(f, 'run_name');
      const status = optString(f, 'status');
      const end = optInt(f, 'end_time');
      // Everything is checked before anything changes, and the name and the end land together.
      const wanted = status === undefined ? undefined : endingStatus(status);
      if ((wanted === 'running' || wanted === 'queued') && run.status !== wanted)
        throw invalid(`Run '${runId}' is ${run.status}; Benchtop does not set a run back to ${status}.`);
      if (wanted !== undefined && wanted !== 'running' && wanted !== 'queued')
        await call(ctx, 'runs.end', {
          runId,
          status: wanted,
          at: new Date(end ?? Date.now()).toISOString(),
          ...(name ? { name } : {}),
        });
      else if (name) await call(ctx, 'runs.log', { runId, name });
      return { run_info: runInfoJson(await record(ctx, runId)) };
    },
  },
  'runs/get': {
    methods: GET,
    handle: async (ctx, f) => {
      project(ctx);
      return { run: runJson(await record(ctx, runIdOf(f))) };
    },
  },
  'runs/search': {
    methods: READ,
    handle: async (ctx, f) => {
      project(ctx);
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
            names.push((await experimentOf(ctx, id)).name);
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
      const { runs: rows } = await call(ctx, 'runs.search', {
        filter: tree ? printQuery(tree) : '',
        deleted,
        sort: orderBy[0] ? translateOrderBy(orderBy[0]) : '-start_time',
        offset,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const { runs } = await call(ctx, 'runs.records', { ids: page.map((r) => r.id) });
      const answer: Record<string, unknown> = { runs: runs.map(runJson) };
      if (rows.length > limit) answer.next_page_token = pageToken(offset + limit);
      return answer;
    },
  },
  'runs/delete': {
    methods: POST,
    handle: async (ctx, f) => {
      project(ctx);
      await call(ctx, 'runs.delete', { ids: [runIdOf(f)] });
      return {};
    },
  },
  'runs/restore': {
    methods: POST,
    handle: async (ctx, f) => {
      project(ctx);
      await call(ctx, 'runs.restore', { ids: [runIdOf(f)] });
      return {};
    },
  },
  'metrics/get-history': {
    methods: GET,
    handle: async (ctx, f) => {
      project(ctx);
      const runId = runIdOf(f);
      await record(ctx, runId);
      const key = reqString(f, 'metric_key');
      const limit = optInt(f, 'max_results', 1);
      const offset = offsetOf(f);
      const { metrics: points } = await call(ctx, 'runs.metricPoints', {
        runId,
        key,
        offset,
        ...(limit !== undefined ? { limit: limit + 1 } : {}),
      });
      const answer: Record<string, unknown> = {
        metrics: (limit === undefined ? points : points.slice(0, limit)).map(metricJson),
      };
      if (limit !== undefined && points.length > limit) answer.next_page_token = pageToken(offset + limit);
      return answer;
    },
  },
  'artifacts/list': {
    methods: GET,
    handle: async (ctx, f) => {
      project(ctx);
      const run = await record(ctx, runIdOf(f));
      const dir = (optString(f, 'path') ?? '').replace(/^\/+|\/+$/g, '');
      const { entries } = await call(ctx, 'runs.artifactEntries', {
        runId: run.id,
        dir: dir === '' ? '' : checkDir(dir),
      });
      return {
        root_uri: artifactUri(run.experimentId, run.id),
        files: entries.map((e) =>
          e.isDir ? { path: e.path, is_dir: true } : { path: e.path, is_dir: false, file_size: e.size },
        ),
      };
    },
  },
};
