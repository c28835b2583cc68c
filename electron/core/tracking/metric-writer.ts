// Runs in: main (core). Metric points land in batches: one transaction per few thousand points
// instead of one per point, which is what lets a run stream a million points without stalling.
import type { Database, Statement } from 'better-sqlite3';
import { checkKey } from './limits';

export interface MetricPoint {
  runId: string;
  key: string;
  value: number;
  /** Omitted: one past the key's last step in this run. */
  step?: number | undefined;
  /** ISO time; omitted: now. */
  at?: string | undefined;
}

export interface MetricWriterOptions {
  /** Flush once this many points wait (a transaction per this many rows). */
  maxPending?: number;
  /** Flush at the latest this long after the first waiting point. */
  flushMs?: number;
  /** Told after each flush, with the last point per run and key (for live views). */
  onFlushed?: (latest: Required<MetricPoint>[]) => void;
  /** After a write failed for lack of space, how long to keep points before trying again. */
  retryMs?: number;
}

/** A full disk or database, or the storage failing under it: the points are kept, not lost. */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_IOERR'))
  );
}

/** ISO time of now, computed once per millisecond: a fast loop logs many points in one. */
let lastMs = -1;
let lastIso = '';
function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * Points per INSERT statement. Most of a one-row INSERT's cost is the statement itself (binding,
 * stepping, resetting), not the row, so a batch goes in as statements of this many rows each (the
 * rest one by one): a third less time per point. Rows of one statement are inserted, replaced and
 * seen by the triggers in order, exactly as the same rows one statement each.
 */
const ROWS_PER_INSERT = 64;
const COLUMNS = 'run_id, key, step, value, at';

export class MetricWriter {
  private pending: Required<MetricPoint>[] = [];
  /** Points a write could not store (disk full); written with the next batch that can be. */
  private unsaved: Required<MetricPoint>[] = [];
  private lastFailure: Error | null = null;
  private retryAt = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Per run, per key: the next automatic step. */
  private readonly nextStep = new Map<string, Map<string, number>>();
  /** Keys already checked: a loop logs the same few keys a million times. */
  private readonly goodKeys = new Set<string>();
  private readonly insert: Statement;
  private readonly insertMany: Statement;
  private readonly maxStep: Statement;
  private readonly writeBatch: { immediate: (batch: Required<MetricPoint>[]) => void };
  private readonly maxPending: number;
  private readonly flushMs: number;

  constructor(
    db: Database,
    private readonly opts: MetricWriterOptions = {},
  ) {
    this.insert = db.prepare(`INSERT OR REPLACE INTO run_metrics (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`);
    this.insertMany = db.prepare(
      `INSERT OR REPLACE INTO run_metrics (${COLUMNS}) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`,
    );
    const args: unknown[] = new Array(ROWS_PER_INSERT * 5);
    this.maxStep = db.prepare('SELECT MAX(step) AS s FROM run_metrics WHERE run_id = ? AND key = ?');
    // Takes the write lock up front, like writeTransaction, so a batch never waits to upgrade.
    this.writeBatch = db.transaction((batch: Required<MetricPoint>[]) => {
      const { insert, insertMany } = this;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= batch.length; i += ROWS_PER_INSERT) {
        for (let j = 0, a = 0; j < ROWS_PER_INSERT; j++) {
          const p = batch[i + j]!;
          args[a++] = p.runId;
          args[a++] = p.key;
          args[a++] = p.step;
          args[a++] = p.value;
          args[a++] = p.at;
        }
        insertMany.run(args);
      }
      for (; i < batch.length; i++) {
        const p = batch[i]!;
        insert.run(p.runId, p.key, p.step, p.value, p.at);
      }
    });
    this.maxPending = opts.maxPending ?? 10_000;
    this.flushMs = opts.flushMs ?? 100;
  }

  /** Queues one point; the key is checked now so the caller hears of a bad one at once. */
  add(point: MetricPoint): void {
    const { runId, key } = point;
    if (!this.goodKeys.has(key)) {
      checkKey('metric', key);
      if (this.goodKeys.size < 10_000) this.goodKeys.add(key);
    }
    let steps = this.nextStep.get(runId);
    if (!steps) this.nextStep.set(runId, (steps = new Map()));
    const next = steps.get(key);
    let step = point.step;
    if (step === undefined) step = next ?? ((this.maxStep.get(runId, key) as { s: number | null }).s ?? -1) + 1;
    if (next === undefined || step + 1 > next) steps.set(key, step + 1);
    this.pending.push({ runId, key, value: point.value, step, at: point.at ?? nowIso() });
    if (this.pending.length >= this.maxPending) this.flush(false);
    else this.timer ??= setTimeout(() => this.flushOnTimer(), this.flushMs);
  }

  get waiting(): number {
    return this.pending.length + this.unsaved.length;
  }

  /** Why the last write failed, while points are still waiting for a write that works. */
  get failure(): Error | null {
    return this.unsaved.length ? this.lastFailure : null;
  }

  /**
   * Writes every waiting point in one transaction. A full disk does not throw: the points are kept
   * and written with a later batch (see settle); other errors throw as before. `retryNow` false
   * (the writer's own flushes, as points arrive) skips the attempt during the pause after a failure.
   */
  flush(retryNow = true): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 && this.unsaved.length === 0) return;
    if (this.unsaved.length && !retryNow && Date.now() < this.retryAt) {
      // Still within the pause after a failed write: queue behind the kept points, untried.
      this.unsaved = this.unsaved.concat(this.pending);
      this.pending = [];
      return;
    }
    const batch = this.unsaved.length ? this.unsaved.concat(this.pending) : this.pending;
    this.pending = [];
    this.unsaved = [];
    try {
      this.writeBatch.immediate(batch);
    } catch (err) {
      if (!isStorageFull(err)) throw err;
      this.unsaved = batch;
      this.lastFailure = err as Error;
      this.retryAt = Date.now() + (this.opts.retryMs ?? 5000);
      return;
    }
    this.lastFailure = null;
    if (this.opts.onFlushed) this.opts.onFlushed(latestOf(batch));
  }

  /** A timer has no caller to throw to: an error there would end the whole process. */
  private flushOnTimer(): void {
    try {
      this.flush(false);
    } catch (err) {
      this.lastFailure = err as Error;
    }
  }

  /**
   * The last try at writing everything waiting; hands back the points that still could not be
   * stored (and why), for the caller to keep somewhere else.
   */
  settle(): { unsaved: Required<MetricPoint>[]; error: Error | null } {
    this.flush();
    const unsaved = this.unsaved;
    const error = this.lastFailure;
    this.unsaved = [];
    return { unsaved, error: unsaved.length ? error : null };
  }

  /** Forgets a run's step counters (after it ends), so the map does not grow without bound. */
  forget(runId: string): void {
    this.nextStep.delete(runId);
  }
}

/** The last point per run and key, in the order the keys first appear in the batch. */
function latestOf(batch: Required<MetricPoint>[]): Required<MetricPoint>[] {
  const slots = new Map<string, Map<string, number>>();
  const out: Required<MetricPoint>[] = [];
  let prev: Required<MetricPoint> | null = null;
  let slot = -1;
  for (let i = 0; i < batch.length; i++) {
    const p = batch[i]!;
    // A point of the same run and key as the one before it takes its slot without a lookup: the
    // common case (a loop logging one key at a time) then costs no map work at all.
    if (!prev || prev.runId !== p.runId || prev.key !== p.key) {
      let keys = slots.get(p.runId);
      if (!keys) slots.set(p.runId, (keys = new Map()));
      const known = keys.get(p.key);
      if (known === undefined) {
        slot = out.length;
        keys.set(p.key, slot);
        out.push(p);
      } else slot = known;
    }
    out[slot] = p;
    prev = p;
  }
  return out;
}
