// Runs in: main (core) or the CLI's `benchtop serve`. The endpoint's live counters, and their
// Prometheus text exposition (format 0.0.4) for GET /metrics, so any scraper or dashboard can watch
// a local endpoint as it would a production one.

/** Upper bounds (seconds) of the latency histogram: a fast local model lands in the first few. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type ErrorKind = 'client' | 'model' | 'server';

/** Which kind of failure a status is: the caller's request (4xx), the model refusing a record (422), or serving itself (5xx). */
export function errorKind(status: number): ErrorKind | null {
  if (status < 400) return null;
  if (status === 422) return 'model';
  return status >= 500 ? 'server' : 'client';
}

export class EndpointMetrics {
  readonly byStatus = new Map<number, number>();
  readonly errors: Record<ErrorKind, number> = { client: 0, model: 0, server: 0 };
  readonly bucketCounts = LATENCY_BUCKETS.map(() => 0);
  latencyCount = 0;
  latencySum = 0;
  records = 0;
  inFlight = 0;
  restarts = 0;
  switches = 0;

  observe(status: number, seconds: number, records: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    const kind = errorKind(status);
    if (kind) this.errors[kind]++;
    this.latencyCount++;
    this.latencySum += seconds;
    this.records += records;
    // Stored per bucket, made cumulative when written.
    const i = LATENCY_BUCKETS.findIndex((b) => seconds <= b);
    if (i >= 0) this.bucketCounts[i]!++;
  }

  get requests(): number {
    return this.latencyCount;
  }

  get errorCount(): number {
    return this.errors.client + this.errors.model + this.errors.server;
  }

  /** The exposition text; `info` labels the model-version gauge. */
  render(info: { model: string; version: number; ref: string }, workers: { ready: number; total: number }): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, samples: string[]): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    const statuses = [...this.byStatus.keys()].sort((a, b) => a - b);
    metric(
      'benchtop_requests_total',
      'counter',
      'Requests to /predict, by HTTP status code.',
      statuses.map((s) => `benchtop_requests_total{code="${s}"} ${this.byStatus.get(s)}`),
    );
    metric(
      'benchtop_request_errors_total',
      'counter',
      'Failed requests to /predict: client (a refused request, 4xx), model (a record the model refused, 422), server (crash, timeout, unavailable, 5xx).',
      (['client', 'model', 'server'] as const).map(
        (k) => `benchtop_request_errors_total{kind="${k}"} ${this.errors[k]}`,
      ),
    );
    let cumulative = 0;
    const buckets = LATENCY_BUCKETS.map((b, i) => {
      cumulative += this.bucketCounts[i]!;
      return `benchtop_request_duration_seconds_bucket{le="${b}"} ${cumulative}`;
    });
    metric(
      'benchtop_request_duration_seconds',
      'histogram',
      'Time from a /predict request arriving to its answer being sent.',
      [
        ...buckets,
        `benchtop_request_duration_seconds_bucket{le="+Inf"} ${this.latencyCount}`,
        `benchtop_request_duration_seconds_sum ${this.latencySum}`,
        `benchtop_request_duration_seconds_count ${this.latencyCount}`,
      ],
    );
    metric('benchtop_predictions_total', 'counter', 'Records answered by the model.', [
      `benchtop_predictions_total ${this.records}`,
    ]);
    metric('benchtop_requests_in_flight', 'gauge', 'Requests to /predict being answered now.', [
      `benchtop_requests_in_flight ${this.inFlight}`,
    ]);
    metric(
      'benchtop_worker_restarts_total',
      'counter',
      'Predict processes replaced after a crash, a timeout or output off the protocol.',
      [`benchtop_worker_restarts_total ${this.restarts}`],
    );
    metric('benchtop_workers_ready', 'gauge', 'Predict processes started and not restarting.', [
      `benchtop_workers_ready ${workers.ready}`,
    ]);
    metric('benchtop_workers', 'gauge', 'Predict processes in the pool.', [`benchtop_workers ${workers.total}`]);
    metric(
      'benchtop_model_switches_total',
      'counter',
      'Times the endpoint moved to another version because its alias moved.',
      [`benchtop_model_switches_total ${this.switches}`],
    );
    metric(
      'benchtop_model_version_info',
      'gauge',
      'The model version answering (always 1; the labels carry the information).',
      [
        `benchtop_model_version_info{model="${escapeLabel(info.model)}",version="${info.version}",ref="${escapeLabel(info.ref)}"} 1`,
      ],
    );
    return out.join('\n') + '\n';
  }
}

/** Label values escape backslash, double quote and newline. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
