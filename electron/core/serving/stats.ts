// Runs in: main (core). What the Models view charts for a deployed model, read from the prediction
// log: per time bucket the request rate, 4xx and 5xx shares and exact latency percentiles, the
// window's totals, and the latest requests with their records. SQLite has no percentile function, so
// each bucket's latencies are sorted here; a window's rows are few enough (one per HTTP call, not per
// record) that reading them whole is cheaper than approximating.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { DeploymentStats, LoggedRequestRow, RequestBucket, RequestTotals } from '../../../shared/contract/schemas';

/** Bucket sizes a chart reads well at (seconds); the smallest giving at most MAX_BUCKETS is used. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
const MAX_BUCKETS = 300;

export function bucketSecondsFor(windowSeconds: number): number {
  return STEPS.find((s) => windowSeconds / s <= MAX_BUCKETS) ?? STEPS[STEPS.length - 1]!;
}

/** The q-quantile (0..1) of ascending values, interpolating linearly between closest ranks (NumPy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

interface Row {
  at: string;
  status: number;
  latency_ms: number;
  records: number;
}

function summarise(rows: readonly Row[], seconds: number): Omit<RequestBucket, 'at'> {
  const latencies = rows.map((r) => r.latency_ms).sort((a, b) => a - b);
  const clientErrors = rows.filter((r) => r.status >= 400 && r.status < 500).length;
  const serverErrors = rows.filter((r) => r.status >= 500).length;
  const n = rows.length;
  return {
    requests: n,
    rate: seconds > 0 ? n / seconds : 0,
    clientErrors,
    serverErrors,
    clientErrorRate: n ? clientErrors / n : null,
    serverErrorRate: n ? serverErrors / n : null,
    p50: quantileSorted(latencies, 0.5),
    p95: quantileSorted(latencies, 0.95),
    p99: quantileSorted(latencies, 0.99),
  };
}

export interface StatsQuery {
  model: string;
  version?: number | null;
  deploymentId?: string | null;
  windowSeconds: number;
  /** The end of the window (now when absent). */
  now?: Date;
}

function filters(q: { model: string; version?: number | null; deploymentId?: string | null }): {
  where: string;
  args: (string | number)[];
} {
  const where = ['model_name = ?'];
  const args: (string | number)[] = [q.model];
  if (q.version != null) {
    where.push('version = ?');
    args.push(q.version);
  }
  if (q.deploymentId != null) {
    where.push('deployment_id = ?');
    args.push(q.deploymentId);
  }
  return { where: where.join(' AND '), args };
}

export function requestStats(db: Database, q: StatsQuery): DeploymentStats {
  if (!Number.isFinite(q.windowSeconds) || q.windowSeconds < 1) {
    throw new BenchtopError('INVALID_INPUT', `windowSeconds ${q.windowSeconds} is not a window.`, {
      field: 'windowSeconds',
      hint: 'Give a number of seconds of at least 1, such as 300 for the last five minutes.',
    });
  }
  const step = bucketSecondsFor(q.windowSeconds);
  const stepMs = step * 1000;
  const nowMs = (q.now ?? new Date()).getTime();
  // Buckets sit on multiples of their size, so a chart that refreshes keeps its bars where they were.
  const end = Math.floor(nowMs / stepMs) * stepMs + stepMs;
  const count = Math.ceil(q.windowSeconds / step);
  const start = end - count * stepMs;
  const { where, args } = filters(q);
  const rows = db
    .prepare(
      `SELECT at, status, latency_ms, records FROM prediction_requests WHERE ${where} AND at >= ? AND at < ? ORDER BY at`,
    )
    .all(...args, new Date(start).toISOString(), new Date(end).toISOString()) as Row[];
  const grouped: Row[][] = Array.from({ length: count }, () => []);
  for (const r of rows) {
    const i = Math.floor((Date.parse(r.at) - start) / stepMs);
    if (i >= 0 && i < count) grouped[i]!.push(r);
  }
  // The current bucket has only partly elapsed; its rate is over the part that has.
  const elapsed = (i: number): number => Math.max(0.001, Math.min(stepMs, nowMs - (start + i * stepMs))) / 1000;
  const buckets = grouped.map((g, i) => ({
    at: new Date(start + i * stepMs).toISOString(),
    ...summarise(g, elapsed(i)),
  }));
  const windowElapsed = Math.max(0.001, Math.min(end, nowMs) - start) / 1000;
  const totals: RequestTotals = { ...summarise(rows, windowElapsed), records: rows.reduce((s, r) => s + r.records, 0) };
  return {
    model: q.model,
    version: q.version ?? null,
    deploymentId: q.deploymentId ?? null,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    bucketSeconds: step,
    buckets,
    totals,
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Written by the log as JSON; a row edited by hand is shown as the text it holds.
    return text;
  }
}

/** Records shown per request: enough to read a batch, bounded so a 10,000-record call stays small. */
export const RECORDS_PER_REQUEST = 20;

export function latestRequests(
  db: Database,
  q: { model: string; limit: number; version?: number | null; deploymentId?: string | null },
): LoggedRequestRow[] {
  const { where, args } = filters(q);
  const requests = db
    .prepare(
      `SELECT request_id, deployment_id, version, at, status, latency_ms, records, error FROM prediction_requests WHERE ${where} ORDER BY at DESC, id DESC LIMIT ?`,
    )
    .all(...args, q.limit) as {
    request_id: string;
    deployment_id: string | null;
    version: number | null;
    at: string;
    status: number;
    latency_ms: number;
    records: number;
    error: string | null;
  }[];
  const records = db.prepare(
    `SELECT record_id, input_json, output_json FROM predictions WHERE request_id = ? ORDER BY id LIMIT ?`,
  );
  return requests.map((r) => ({
    requestId: r.request_id,
    deploymentId: r.deployment_id,
    version: r.version,
    at: r.at,
    status: r.status,
    latencyMs: r.latency_ms,
    records: r.records,
    error: r.error,
    predictions: (
      records.all(r.request_id, RECORDS_PER_REQUEST) as {
        record_id: string;
        input_json: string;
        output_json: string | null;
      }[]
    ).map((p) => ({
      recordId: p.record_id,
      input: parseJson(p.input_json),
      output: parseJson(p.output_json),
    })),
  }));
}
