// Runs in: main (browser-mode server). MLflow's logging endpoints (log-metric, log-parameter,
// set-tag, delete-tag, log-batch, log-inputs): each is a batch checked whole, then written through
// the contract's runs.log, so limits, transactions and live events match every other way in.
import { checkBatch, checkKey, checkText, checkValue, LIMITS } from '../../../shared/tracking/limits';
import { invalid, MlflowError } from './errors';
import { type Fields, metricValue, optInt, optList, reqString, runIdOf } from './request';
import { RUN_NAME_TAG } from './shapes';
import { type TrackingContext, project, call, record, pairsOf, type Endpoint, POST } from './context';

interface Batch {
  metrics: { key: string; value: number; step: number; at: string }[];
  params: Record<string, string>;
  tags: Record<string, string>;
  inputs: { dataset: string; version: string; context: string }[];
}

function metricsOf(f: Fields): Batch['metrics'] {
  return optList(f, 'metrics').map((m, i) => {
    if (m === null || typeof m !== 'object')
      throw invalid(`Invalid value for parameter 'metrics[${i}]': it must be an object.`);
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
  project(ctx);
  checkBatch(batch.metrics.length, Object.keys(batch.params).length, Object.keys(batch.tags).length);
  for (const m of batch.metrics) checkKey('metric', m.key, `metrics.${m.key}`);
  for (const [k, v] of Object.entries(batch.params)) {
    checkKey('param', k, `params.${k}`);
    checkValue('param', k, v, `params.${k}`);
  }
  const tags = { ...batch.tags };
  const name = tags[RUN_NAME_TAG];
  delete tags[RUN_NAME_TAG];
  if (name !== undefined) checkText('run name', name, LIMITS.runName, `tags.${RUN_NAME_TAG}`);
  for (const [k, v] of Object.entries(tags)) {
    checkKey('tag', k, `tags.${k}`);
    checkValue('tag', k, v, `tags.${k}`);
  }
  await record(ctx, runId);
  await call(ctx, 'runs.log', {
    runId,
    metrics: batch.metrics,
    params: batch.params,
    tags,
    inputs: batch.inputs,
    // MLflow names runs through this tag; Benchtop keeps the name as the run's own field.
    ...(name !== undefined && name.trim() !== '' ? { name } : {}),
  });
}

const emptyBatch = (): Batch => ({ metrics: [], params: {}, tags: {}, inputs: [] });

export const LOGGING_ENDPOINTS: Record<string, Endpoint> = {
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
    handle: async (ctx, f) => {
      project(ctx);
      const runId = runIdOf(f);
      const key = reqString(f, 'key');
      const run = (await call(ctx, 'runs.records', { ids: runId.length > 200 ? [] : [runId] })).runs[0];
      // The core's own words for a missing run, as this endpoint has always answered.
      if (!run)
        throw new MlflowError(
          'RESOURCE_DOES_NOT_EXIST',
          `There is no run ${runId} in this project. List runs with \`benchtop runs\`.`,
        );
      if (!Object.hasOwn(run.tags, key))
        throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in run with id ${runId}`);
      await call(ctx, 'runs.log', { runId, deleteTags: [key] });
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
        if (seen.has(k) && seen.get(k) !== v)
          throw invalid(`Duplicate parameter keys with different values in the batch: '${k}'.`);
        seen.set(k, v);
      }
      await logBatch(ctx, runIdOf(f), {
        metrics: metricsOf(f),
        params: Object.fromEntries(params),
        tags: Object.fromEntries(tags),
        inputs: [],
      });
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
        if (typeof name !== 'string' || name === '' || typeof digest !== 'string')
          throw invalid(`Invalid value for parameter 'datasets[${i}]': it needs dataset.name and dataset.digest.`);
        const context =
          pairsOf({ tags: o?.tags }, 'tags').find(([k]) => k === 'mlflow.data.context')?.[1] ?? 'training';
        return { dataset: name, version: digest, context };
      });
      await logBatch(ctx, runIdOf(f), { ...emptyBatch(), inputs });
      return {};
    },
  },
};
