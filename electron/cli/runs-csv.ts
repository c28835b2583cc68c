// Runs in: CLI (Node). Runs exported as CSV (one row per run, a column per param, metric and tag):
// only formatting of what runs.search answered, so it lives with the command that prints it.
import { stringify } from 'csv-stringify/sync';
import type { RunSearchRow as RunRow } from '../../shared/contract/tracking';

export function runsToCsv(runs: readonly RunRow[]): string {
  const keys = (pick: (r: RunRow) => Record<string, unknown>) =>
    [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  const params = keys((r) => r.params);
  const metrics = keys((r) => r.metrics);
  const tags = keys((r) => r.tags);
  const header = [
    'id',
    'name',
    'status',
    'experiment',
    'start_time',
    'end_time',
    'duration_s',
    ...params.map((k) => `params.${k}`),
    ...metrics.map((k) => `metrics.${k}`),
    ...tags.map((k) => `tags.${k}`),
  ];
  const rows = runs.map((r) => [
    r.id,
    r.name,
    r.status,
    r.experiment,
    r.startTime ?? '',
    r.endTime ?? '',
    r.duration ?? '',
    ...params.map((k) => r.params[k] ?? ''),
    ...metrics.map((k) => r.metrics[k] ?? ''),
    ...tags.map((k) => r.tags[k] ?? ''),
  ]);
  return stringify([header, ...rows]);
}
