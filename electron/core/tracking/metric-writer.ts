// Runs in: main (core). Metric points land in batches: one transaction per few thousand points
// instead of one per point, which is what lets a run stream a million points without stalling.
import type { Database, Statement } from 'better-sqlite3';
import { writeTransaction } from '../store/database';
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
  /** Flush once this many points wait. */
  maxPending?: number;
  /** Flush at the latest this long after the first waiting point. */
  flushMs?: number;
  /** Told after each flush, with the last point per run and key (for live views). */
  onFlushed?: (latest: Required<MetricPoint>[]) => void;
}

export class MetricWriter {
  private pending: Required<MetricPoint>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly nextStep = new Map<string, number>();
  private readonly insert: Statement;
  private readonly maxStep: Statement;
  private readonly maxPending: number;
  private readonly flushMs: number;

  constructor(
    private readonly db: Database,
    private readonly opts: MetricWriterOptions = {},
  ) {
    this.insert = db.prepare('INSERT OR REPLACE INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)');
    this.maxStep = db.prepare('SELECT MAX(step) AS s FROM run_metrics WHERE run_id = ? AND key = ?');
    this.maxPending = opts.maxPending ?? 5000;
    this.flushMs = opts.flushMs ?? 100;
  }

  /** Queues one point; the key is checked now so the caller hears of a bad one at once. */
  add(point: MetricPoint): void {
    checkKey('metric', point.key);
    const id = `${point.runId}\u0000${point.key}`;
    let step = point.step;
    if (step === undefined) {
      step = this.nextStep.get(id) ?? ((this.maxStep.get(point.runId, point.key) as { s: number | null }).s ?? -1) + 1;
    }
    this.nextStep.set(id, Math.max(step + 1, this.nextStep.get(id) ?? 0));
    this.pending.push({ runId: point.runId, key: point.key, value: point.value, step, at: point.at ?? new Date().toISOString() });
    if (this.pending.length >= this.maxPending) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** Writes every waiting point in one transaction. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    writeTransaction(this.db, () => {
      for (const p of batch) this.insert.run(p.runId, p.key, p.step, p.value, p.at);
    });
    if (this.opts.onFlushed) {
      const latest = new Map<string, Required<MetricPoint>>();
      for (const p of batch) latest.set(`${p.runId}\u0000${p.key}`, p);
      this.opts.onFlushed([...latest.values()]);
    }
  }

  /** Forgets a run's step counters (after it ends), so the map does not grow without bound. */
  forget(runId: string): void {
    for (const id of this.nextStep.keys()) if (id.startsWith(`${runId}\u0000`)) this.nextStep.delete(id);
  }
}
