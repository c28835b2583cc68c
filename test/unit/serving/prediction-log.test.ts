import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { PredictionLog, TIMED_FLUSH_CHUNK, type LoggedRequest } from '../../../electron/core/serving/prediction-log';

function db() {
  const d = new BetterSqlite3(':memory:');
  d.pragma('foreign_keys = ON');
  migrate(d, ':memory:');
  return d;
}

const req = (i: number, over: Partial<LoggedRequest> = {}): LoggedRequest => ({
  requestId: `r${i}`,
  deploymentId: null,
  model: 'iris',
  version: 1,
  at: new Date(Date.UTC(2026, 10, 30, 0, 0, i)).toISOString(),
  status: 200,
  latencyMs: i / 10,
  records: [
    { recordId: `r${i}:0`, input: { x: i }, output: { label: 'a' } },
    { recordId: `r${i}:1`, input: { x: -i }, output: { label: 'b' } },
  ],
  ...over,
});

let logs: PredictionLog[] = [];
afterEach(() => {
  for (const l of logs) l.close();
  logs = [];
});

describe('PredictionLog', () => {
  it('writes requests in batches, one row per request and per record', () => {
    const d = db();
    const flushed: number[] = [];
    const log = new PredictionLog(d, { maxPending: 3, flushMs: 60_000, onFlushed: (b) => flushed.push(b.length) });
    logs.push(log);
    for (let i = 0; i < 7; i++) log.record(req(i));
    expect(flushed).toEqual([3, 3]);
    expect(d.prepare('SELECT COUNT(*) AS n FROM prediction_requests').get()).toEqual({ n: 6 });
    log.close();
    expect(flushed).toEqual([3, 3, 1]);
    expect(d.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 14 });
    expect(
      d
        .prepare(
          `SELECT record_id, input_json, output_json, version FROM predictions WHERE request_id = 'r6' ORDER BY record_id`,
        )
        .all(),
    ).toEqual([
      { record_id: 'r6:0', input_json: '{"x":6}', output_json: '{"label":"a"}', version: 1 },
      { record_id: 'r6:1', input_json: '{"x":-6}', output_json: '{"label":"b"}', version: 1 },
    ]);
    expect(() => log.record(req(8))).toThrow(/closed/);
  });

  it('logs a refused request without predictions, and a request logged twice once', () => {
    const d = db();
    const log = new PredictionLog(d, { flushMs: 60_000 });
    logs.push(log);
    log.record(req(1, { status: 400, version: null, error: 'sepal_length is missing', records: [] }));
    log.record(req(2));
    log.record(req(2));
    log.flush();
    expect(d.prepare('SELECT request_id, status, error, records FROM prediction_requests ORDER BY id').all()).toEqual([
      { request_id: 'r1', status: 400, error: 'sepal_length is missing', records: 0 },
      { request_id: 'r2', status: 200, error: null, records: 2 },
    ]);
    expect(d.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 2 });
  });

  it('keeps a batch whose write failed and writes it on the next flush', () => {
    const d = db();
    const errors: unknown[] = [];
    const log = new PredictionLog(d, { flushMs: 60_000, onError: (e) => errors.push(e) });
    logs.push(log);
    d.exec(`CREATE TRIGGER refuse BEFORE INSERT ON prediction_requests BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    log.record(req(1));
    expect(log.flush()).toBe(0);
    expect(String(errors[0])).toMatch(/disk full/);
    d.exec('DROP TRIGGER refuse');
    log.record(req(2));
    expect(log.flush()).toBe(2);
    expect(d.prepare('SELECT request_id FROM prediction_requests ORDER BY id').all()).toEqual([
      { request_id: 'r1' },
      { request_id: 'r2' },
    ]);
  });

  it('flushes on its own after flushMs', async () => {
    const d = db();
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const log = new PredictionLog(d, { flushMs: 5, onFlushed: () => resolve() });
    logs.push(log);
    log.record(req(1));
    await done;
    expect(d.prepare('SELECT COUNT(*) AS n FROM prediction_requests').get()).toEqual({ n: 1 });
  });

  it('writes a backlog on its own in chunks, one transaction per turn of the event loop, so no request waits on a long write', async () => {
    const d = db();
    const flushed: number[] = [];
    let turns = 0;
    const total = 2 * TIMED_FLUSH_CHUNK + 7;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const log = new PredictionLog(d, {
      maxPending: 100_000,
      flushMs: 5,
      onFlushed: (b) => {
        flushed.push(b.length);
        // Counts the turns the event loop took between chunks.
        setImmediate(() => turns++);
        if (flushed.reduce((a, n) => a + n, 0) === total) resolve();
      },
    });
    logs.push(log);
    for (let i = 0; i < total; i++) log.record(req(i));
    await done;
    expect(flushed).toEqual([TIMED_FLUSH_CHUNK, TIMED_FLUSH_CHUNK, 7]);
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(d.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 2 * total });
  });
});
