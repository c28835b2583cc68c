// Runs in: main (core) or the CLI's `benchtop serve`. Every call to an endpoint is logged to the
// project, but not one transaction per call: requests wait in memory and land together, so a busy
// endpoint spends its time answering, not waiting on SQLite. Nothing is dropped: close() flushes.
// The timer writes at most TIMED_FLUSH_CHUNK requests per transaction and lets the event loop turn
// between chunks: a write blocks the endpoint's one thread, and one long write of a backlog held
// every request in flight for its whole length (the p99 latency was the longest write).
import type { Database, Statement } from 'better-sqlite3';
import { writeTransaction } from '../store/database';

export interface LoggedRecord {
  /** The caller's ID for the record (joined with ground truth later), or one made up per request. */
  recordId: string;
  input: unknown;
  /** Null when the request failed before the model answered. */
  output: unknown;
}

export interface LoggedRequest {
  requestId: string;
  deploymentId: string | null;
  model: string;
  /** The version that answered; null when none did (refused before reaching a model). */
  version: number | null;
  /** ISO time the request arrived. */
  at: string;
  status: number;
  latencyMs: number;
  error?: string | null;
  /** The records a model answered (none for a refused request). */
  records: LoggedRecord[];
}

export interface PredictionLogOptions {
  /** Flush once this many requests wait. */
  maxPending?: number;
  /** Flush at the latest this long after the first waiting request (default 50 ms; also what a kill -9 can lose). */
  flushMs?: number;
  /** Told after each flush with the requests written (for live views). */
  onFlushed?: (requests: readonly LoggedRequest[]) => void;
  /** Told when a flush fails (the database is locked for longer than its busy timeout, say); the batch is kept and retried. */
  onError?: (err: unknown) => void;
}

const MAX_KEPT_ON_ERROR = 100_000;
/** Requests per transaction when the timer writes: about 2 ms of SQLite on a loaded 2-core machine. */
export const TIMED_FLUSH_CHUNK = 100;

export class PredictionLog {
  private pending: LoggedRequest[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly insertRequest: Statement;
  private readonly insertPrediction: Statement;
  private readonly maxPending: number;
  private readonly flushMs: number;

  constructor(
    private readonly db: Database,
    private readonly options: PredictionLogOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 500;
    this.flushMs = options.flushMs ?? 50;
    this.insertRequest = db.prepare(
      `INSERT OR IGNORE INTO prediction_requests (request_id, deployment_id, model_name, version, at, status, latency_ms, records, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertPrediction = db.prepare(
      `INSERT INTO predictions (request_id, record_id, model_name, version, at, input_json, output_json) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  record(request: LoggedRequest): void {
    if (this.closed) throw new Error('The prediction log is closed.');
    this.pending.push(request);
    if (this.pending.length >= this.maxPending) this.flush();
    else this.timer ??= setTimeout(() => this.flushChunk(), this.flushMs);
  }

  /** Writes what waits, in one transaction. Returns how many requests were written. */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return 0;
    const batch = this.pending;
    this.pending = [];
    return this.write(batch);
  }

  /** The timer's flush: one chunk now, the rest on the next turns of the event loop. */
  private flushChunk(): void {
    this.timer = null;
    const wrote = this.write(this.pending.splice(0, TIMED_FLUSH_CHUNK));
    if (wrote > 0 && this.pending.length > 0) this.timer ??= setTimeout(() => this.flushChunk(), 0);
  }

  /** Writes a batch in one transaction; on failure keeps it first in line and retries later. */
  private write(batch: LoggedRequest[]): number {
    if (batch.length === 0) return 0;
    try {
      writeTransaction(this.db, () => {
        for (const r of batch) {
          const added = this.insertRequest.run(
            r.requestId,
            r.deploymentId,
            r.model,
            r.version,
            r.at,
            r.status,
            r.latencyMs,
            r.records.length,
            r.error ?? null,
          ).changes;
          // A request logged twice (a retried flush that had in fact committed) keeps its first rows.
          if (added === 0 || r.version === null) continue;
          for (const rec of r.records) {
            this.insertPrediction.run(
              r.requestId,
              rec.recordId,
              r.model,
              r.version,
              r.at,
              JSON.stringify(rec.input) ?? 'null',
              rec.output === null || rec.output === undefined ? null : JSON.stringify(rec.output),
            );
          }
        }
      });
    } catch (err) {
      // Keep the batch for the next flush rather than lose predictions; bounded, so a database that
      // stays unwritable cannot exhaust memory.
      this.pending = batch.concat(this.pending).slice(-MAX_KEPT_ON_ERROR);
      if (!this.closed) this.timer ??= setTimeout(() => this.flushChunk(), this.flushMs * 4);
      this.options.onError?.(err);
      return 0;
    }
    this.options.onFlushed?.(batch);
    return batch.length;
  }

  /** Flushes and refuses further records. */
  close(): void {
    this.closed = true;
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
