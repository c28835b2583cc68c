// Runs in: main (browser-mode server). Benchtop's runs and experiments in the JSON shapes of MLflow's
// REST API (protobuf's JSON mapping: snake_case, times in ms since 1970, ids as strings).
import type { RunStatus } from '../../../shared/contract/schemas';
import type { ExperimentRecord, MetricRecord, RunRecord as RunRecordFull } from '../../../shared/contract/tracking';

export const STATUS_TO_MLFLOW: Record<RunStatus, string> = {
  queued: 'SCHEDULED',
  running: 'RUNNING',
  succeeded: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
  interrupted: 'KILLED',
};

/** The tag MLflow clients read a run's name from; Benchtop keeps the name as a field instead. */
export const RUN_NAME_TAG = 'mlflow.runName';
/** The tag MLflow keeps an experiment's description in. */
export const NOTE_TAG = 'mlflow.note.content';

export const ms = (iso: string | null): number | undefined => (iso === null ? undefined : Date.parse(iso));

export function artifactUri(experimentId: number, runId: string): string {
  return `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;
}

export function experimentJson(e: ExperimentRecord): Record<string, unknown> {
  return {
    experiment_id: String(e.id),
    name: e.name,
    artifact_location: `mlflow-artifacts:/${e.id}`,
    lifecycle_stage: 'active',
    creation_time: ms(e.createdAt),
    last_update_time: ms(e.updatedAt),
    tags: e.description ? [{ key: NOTE_TAG, value: e.description }] : [],
  };
}

export function metricJson(m: MetricRecord): Record<string, unknown> {
  return { key: m.key, value: m.value, timestamp: ms(m.at), step: m.step };
}

export function runInfoJson(r: RunRecordFull): Record<string, unknown> {
  const info: Record<string, unknown> = {
    run_id: r.id,
    run_uuid: r.id,
    run_name: r.name,
    experiment_id: String(r.experimentId),
    user_id: r.tags['mlflow.user'] ?? '',
    status: STATUS_TO_MLFLOW[r.status],
    start_time: ms(r.startedAt),
    artifact_uri: artifactUri(r.experimentId, r.id),
    lifecycle_stage: r.deleted ? 'deleted' : 'active',
  };
  if (r.endedAt !== null) info.end_time = ms(r.endedAt);
  return info;
}

const pairs = (o: Record<string, string>): { key: string; value: string }[] =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

export function runJson(r: RunRecordFull): Record<string, unknown> {
  return {
    info: runInfoJson(r),
    data: {
      metrics: r.metrics.map(metricJson),
      params: pairs(r.params),
      tags: pairs({ ...r.tags, [RUN_NAME_TAG]: r.name }),
    },
    inputs: {
      dataset_inputs: r.inputs.map((i) => ({
        tags: [{ key: 'mlflow.data.context', value: i.context }],
        dataset: { name: i.dataset, digest: i.version, source_type: 'local', source: i.dataset },
      })),
    },
  };
}

/** Page tokens: an opaque offset, as MLflow's own store uses. */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

export function readPageToken(token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0)
      return parsed.offset;
  } catch {
    // fall through to the refusal below
  }
  return -1;
}
