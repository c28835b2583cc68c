// Deployment stats read from the prediction log: buckets sized from the window, exact percentiles
// (NumPy's linear interpolation) from rows with known latencies, 4xx and 5xx counted apart, filters
// by version and deployment, the latest requests with their records, and deployment states.
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { PredictionLog, type LoggedRequest } from '../../../electron/core/serving/prediction-log';
import {
  bucketSecondsFor,
  latestRequests,
  quantileSorted,
  RECORDS_PER_REQUEST,
  requestStats,
} from '../../../electron/core/serving/stats';
import { GONE_REASON, listDeployments } from '../../../electron/core/serving/deployment-rows';
import type { EndpointStatus } from '../../../electron/core/serving/endpoint-types';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function db() {
  const d = new BetterSqlite3(':memory:');
  d.pragma('foreign_keys = ON');
  migrate(d, ':memory:');
  return d;
}

function deployment(
  d: BetterSqlite3.Database,
  id: string,
  over: { pid?: number; seenAt?: number; stoppedAt?: number | null; reason?: string | null; model?: string } = {},
): void {
  d.prepare(
    `INSERT INTO deployments (id, ref, model_name, host, port, workers, pid, started_at, seen_at, stopped_at, stop_reason) VALUES (?, ?, ?, '127.0.0.1', 8001, 2, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    `${over.model ?? 'iris'}@champion`,
    over.model ?? 'iris',
    over.pid ?? 4242,
    iso(T0 - 3_600_000),
    iso(over.seenAt ?? T0),
    over.stoppedAt ? iso(over.stoppedAt) : null,
    over.reason ?? null,
  );
}

let seq = 0;
function request(at: number, latencyMs: number, over: Partial<LoggedRequest> = {}): LoggedRequest {
  seq += 1;
  return {
    requestId: `q${seq}`,
    deploymentId: 'd1',
    model: 'iris',
    version: 1,
    at: iso(at),
    status: 200,
    latencyMs,
    records: [{ recordId: `q${seq}:0`, input: { sepal_length: seq }, output: { label: 'setosa' } }],
    ...over,
  };
}

function write(d: BetterSqlite3.Database, requests: LoggedRequest[]): void {
  const log = new PredictionLog(d, { maxPending: 100_000, flushMs: 60_000 });
  for (const r of requests) log.record(r);
  log.close();
}

describe('bucket sizes', () => {
  it('gives one-second buckets for the last five minutes and at most 300 buckets for any window', () => {
    expect(bucketSecondsFor(300)).toBe(1);
    expect(bucketSecondsFor(60)).toBe(1);
    expect(bucketSecondsFor(900)).toBe(5);
    expect(bucketSecondsFor(3600)).toBe(15);
    expect(bucketSecondsFor(86_400)).toBe(300);
    fc.assert(fc.property(fc.integer({ min: 1, max: 366 * 86_400 }), (w) => Math.ceil(w / bucketSecondsFor(w)) <= 366));
    fc.assert(fc.property(fc.integer({ min: 1, max: 25_920_000 }), (w) => Math.ceil(w / bucketSecondsFor(w)) <= 300));
  });
});

describe('quantiles', () => {
  it('interpolates between closest ranks like NumPy', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileSorted(xs, 0.5)).toBeCloseTo(50.5, 12);
    expect(quantileSorted(xs, 0.95)).toBeCloseTo(95.05, 12);
    expect(quantileSorted(xs, 0.99)).toBeCloseTo(99.01, 12);
    expect(quantileSorted([7], 0.99)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNull();
    // numpy.percentile([1, 2, 10, 40], [50, 95]) = [6.0, 35.5]
    expect(quantileSorted([1, 2, 10, 40], 0.5)).toBeCloseTo(6, 12);
    expect(quantileSorted([1, 2, 10, 40], 0.95)).toBeCloseTo(35.5, 12);
  });

  it('lies between the smallest and largest value and grows with q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, a, b) => {
          const xs = [...raw].sort((x, y) => x - y);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const qa = quantileSorted(xs, lo)!;
          const qb = quantileSorted(xs, hi)!;
          return (
            qa >= xs[0]! &&
            qb <= xs[xs.length - 1]! &&
            qa <= qb + 1e-9 &&
            quantileSorted(xs, 0) === xs[0] &&
            quantileSorted(xs, 1) === xs[xs.length - 1]
          );
        },
      ),
    );
  });
});

describe('requestStats', () => {
  it('buckets a window and computes rates, error shares and exact percentiles per bucket', () => {
    const d = db();
    deployment(d, 'd1');
    const now = T0 + 299_500; // half way through the window's last second
    const windowStart = T0; // 300 one-second buckets ending with the second that holds `now`
    const rows: LoggedRequest[] = [];
    // Bucket 10: latencies 1..100 ms in shuffled order, all 200.
    const order = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    for (const [i, ms] of order.entries()) rows.push(request(windowStart + 10_000 + i * 5, ms));
    // Bucket 20: 3 answered, one refused (404), two failed (503).
    for (const [i, status] of [200, 200, 200, 404, 503, 503].entries())
      rows.push(request(windowStart + 20_000 + i, 10 + i, { status, ...(status !== 200 ? { records: [] } : {}) }));
    // Just outside the window on both sides, and another model and version inside it.
    rows.push(request(windowStart - 1, 1000));
    rows.push(request(windowStart + 300_000, 1000));
    rows.push(request(windowStart + 30_000, 5000, { model: 'wine' }));
    rows.push(request(windowStart + 31_000, 7000, { version: 2 }));
    write(d, rows);

    const s = requestStats(d, { model: 'iris', windowSeconds: 300, now: new Date(now) });
    expect(s.bucketSeconds).toBe(1);
    expect(s.buckets).toHaveLength(300);
    expect(s.from).toBe(iso(windowStart));
    expect(s.to).toBe(iso(windowStart + 300_000));
    const b10 = s.buckets[10]!;
    expect(b10.at).toBe(iso(windowStart + 10_000));
    expect(b10).toMatchObject({
      requests: 100,
      rate: 100,
      clientErrors: 0,
      serverErrors: 0,
      clientErrorRate: 0,
      serverErrorRate: 0,
    });
    expect(b10.p50).toBeCloseTo(50.5, 9);
    expect(b10.p95).toBeCloseTo(95.05, 9);
    expect(b10.p99).toBeCloseTo(99.01, 9);
    const b20 = s.buckets[20]!;
    expect(b20).toMatchObject({ requests: 6, clientErrors: 1, serverErrors: 2 });
    expect(b20.clientErrorRate).toBeCloseTo(1 / 6, 12);
    expect(b20.serverErrorRate).toBeCloseTo(2 / 6, 12);
    expect(b20.p50).toBeCloseTo(12.5, 12); // latencies 10..15
    // An empty bucket has no percentiles rather than zeros.
    expect(s.buckets[0]).toMatchObject({ requests: 0, rate: 0, p50: null, p99: null, serverErrorRate: null });
    expect(s.buckets[31]!.requests).toBe(1); // version 2 counts when no version is asked for
    expect(s.totals).toMatchObject({ requests: 107, clientErrors: 1, serverErrors: 2, records: 104 });
    // The window has elapsed 299.5 s of its 300.
    expect(s.totals.rate).toBeCloseTo(107 / 299.5, 9);
    expect(s.totals.p99).toBeCloseTo(
      quantileSorted(
        [...rows.slice(0, 106).map((r) => r.latencyMs), 7000].sort((a, b) => a - b),
        0.99,
      )!,
      9,
    );

    const v1 = requestStats(d, { model: 'iris', version: 1, windowSeconds: 300, now: new Date(now) });
    expect(v1.totals.requests).toBe(106);
    expect(v1.buckets[31]!.requests).toBe(0);
    expect(
      requestStats(d, { model: 'iris', deploymentId: 'other', windowSeconds: 300, now: new Date(now) }).totals.requests,
    ).toBe(0);
    expect(requestStats(d, { model: 'wine', windowSeconds: 300, now: new Date(now) }).totals).toMatchObject({
      requests: 1,
      p50: 5000,
    });
  });

  it('keeps bucket edges on multiples of the bucket size as time moves', () => {
    const d = db();
    const a = requestStats(d, { model: 'iris', windowSeconds: 3600, now: new Date(T0 + 7_300) });
    const b = requestStats(d, { model: 'iris', windowSeconds: 3600, now: new Date(T0 + 14_900) });
    expect(a.bucketSeconds).toBe(15);
    expect(a.buckets.map((x) => x.at)).toEqual(b.buckets.map((x) => x.at));
    expect(Date.parse(a.from) % 15_000).toBe(0);
  });

  it('refuses a window that is not one', () => {
    expect(() => requestStats(db(), { model: 'iris', windowSeconds: 0 })).toThrow(/windowSeconds/);
  });
});

describe('latestRequests', () => {
  it('lists the newest requests first with their records, bounded per request', () => {
    const d = db();
    deployment(d, 'd1');
    const big = request(T0 + 3000, 9, {
      records: Array.from({ length: 50 }, (_, i) => ({
        recordId: `b${i}`,
        input: { x: i },
        output: i % 2 ? 'a' : 'b',
      })),
    });
    write(d, [
      request(T0 + 1000, 3),
      request(T0 + 2000, 4, { status: 400, error: 'sepal_length is missing', records: [] }),
      big,
    ]);
    const rows = latestRequests(d, { model: 'iris', limit: 2 });
    expect(rows.map((r) => r.requestId)).toEqual([big.requestId, expect.any(String)]);
    expect(rows[0]!.records).toBe(50);
    expect(rows[0]!.predictions).toHaveLength(RECORDS_PER_REQUEST);
    expect(rows[0]!.predictions[3]).toEqual({ recordId: 'b3', input: { x: 3 }, output: 'a' });
    expect(rows[1]).toMatchObject({ status: 400, error: 'sepal_length is missing', records: 0, predictions: [] });
    expect(latestRequests(d, { model: 'iris', limit: 10 })).toHaveLength(3);
    expect(latestRequests(d, { model: 'wine', limit: 10 })).toEqual([]);
  });
});

describe('listDeployments', () => {
  const live = (id: string, version: number): EndpointStatus => ({
    deploymentId: id,
    ref: 'iris@champion',
    model: 'iris',
    version,
    url: 'http://10.0.0.5:8001',
    host: '10.0.0.5',
    port: 8001,
    workers: 3,
    startedAt: iso(T0),
    requests: 12,
    errors: 1,
    inFlight: 0,
    token: null,
    healthy: true,
  });

  it('tells running, stopped and gone apart, and marks a dead process gone in the project', () => {
    const d = db();
    deployment(d, 'alive', { pid: 100 });
    deployment(d, 'dead', { pid: 200, seenAt: T0 - 5000 });
    deployment(d, 'stale', { pid: 300, seenAt: T0 - 3_600_000 });
    deployment(d, 'stopped', { pid: 200, stoppedAt: T0 - 1000, reason: 'stopped from the app' });
    deployment(d, 'mine', { pid: process.pid });
    deployment(d, 'wine', { pid: 100, model: 'wine' });
    write(d, [
      request(T0, 3, { deploymentId: 'alive', version: 2 }),
      request(T0, 3, { deploymentId: 'alive', version: 3, status: 503, records: [] }),
      request(T0, 3, { deploymentId: 'alive', version: null, status: 400, records: [] }),
    ]);
    const isAlive = (pid: number): boolean => pid === 100 || pid === 300 || pid === process.pid;
    const all = listDeployments(d, {
      isAlive,
      now: new Date(T0 + 1000),
      live: new Map([['mine', { status: live('mine', 4), token: 'tok' }]]),
    });
    const byId = Object.fromEntries(all.map((x) => [x.id, x]));
    expect(byId.alive).toMatchObject({
      state: 'running',
      version: 3,
      requests: 3,
      errors: 1,
      managed: false,
      token: null,
      url: 'http://127.0.0.1:8001',
    });
    expect(byId.dead).toMatchObject({ state: 'gone', stopReason: GONE_REASON, stoppedAt: iso(T0 - 5000) });
    // A pid still in use but not heard from for an hour is shown gone, not recorded so: it may beat again.
    expect(byId.stale).toMatchObject({ state: 'gone', stoppedAt: null });
    expect(byId.stopped).toMatchObject({ state: 'stopped', stopReason: 'stopped from the app' });
    expect(byId.mine).toMatchObject({
      state: 'running',
      managed: true,
      token: 'tok',
      version: 4,
      workers: 3,
      url: 'http://10.0.0.5:8001',
      requests: 12,
      errors: 1,
      healthy: true,
    });
    expect(byId.alive!.healthy).toBeNull();
    // Marked in the project, so every reader agrees.
    expect(d.prepare(`SELECT id FROM deployments WHERE stop_reason = ? ORDER BY id`).all(GONE_REASON)).toEqual([
      { id: 'dead' },
    ]);
    d.prepare(`UPDATE deployments SET seen_at = ? WHERE id = 'stale'`).run(iso(T0));
    expect(listDeployments(d, { isAlive, now: new Date(T0 + 1000) }).find((x) => x.id === 'stale')!.state).toBe(
      'running',
    );
    // This process's pid on a row it does not run: left by an earlier app.
    const again = listDeployments(d, { isAlive, now: new Date(T0 + 1000), model: 'iris' });
    expect(again.find((x) => x.id === 'mine')!.state).toBe('gone');
    expect(again.some((x) => x.model === 'wine')).toBe(false);
  });
});
