// Runs in: main (core). Hears what OTHER processes write to the open project, so the app shows it
// live: `benchtop run` or `benchtop exec` in a terminal, `models register`, a `monitor check` from
// cron all write the same project database while the app is open, and the core's own events only
// tell of the core's own writes.
//
// Polling is near-free: SQLite's `PRAGMA data_version` on the core's own connection changes only
// when ANOTHER connection committed, so a quiet tick is one pragma (and `total_changes()`, which
// moves only with this connection's writes). Only when another process committed is the database
// compared with what was last seen, and the differences are announced with the very events the
// core emits for its own writes: `run.status`, `stage.status`, `run.metric` (and `run.log`, tailed
// from the stage's log file while a foreign stage runs), `models.changed` and `monitors.alert`.
// The comparison reads new rows by rowid or id, the runs still queued or running, and the
// registry's small tables, so its cost follows what changed rather than the number of runs.
import type { Statement } from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { StageRunStatus, RunStatus } from '../../../shared/contract/schemas';
import { alertEvent, alertsWhere } from '../monitoring/monitors/read';
import { PROTOCOL_PREFIX } from '../pipeline/protocol';
import type { Database } from '../store/database';
import { processAlive, readLockHolder } from '../workspace/project-lock';

export const EXTERNAL_POLL_MS = 500;
/** A log already long when first seen is shown from its last part only. */
const LOG_TAIL_START_BYTES = 64 * 1024;
/** At most this much of a log is read per tick, so one chatty stage cannot stall the core. */
const LOG_READ_MAX_BYTES = 1024 * 1024;

const LIVE: ReadonlySet<string> = new Set(['queued', 'running']);

interface StageSeen {
  status: StageRunStatus;
  reason: string;
  logPath: string | null;
  /** A Slurm stage's job as last seen: `id|state|node`. */
  job: string | null;
}

interface LogTail {
  offset: number;
  partial: string;
  /** Keeps a character split between two reads whole. */
  decoder: StringDecoder;
}

interface TrackedRun {
  status: RunStatus;
  sweep: string | undefined;
  stages: Map<string, StageSeen>;
  /** `step|at|value` of each key's latest point. */
  metrics: Map<string, string>;
  logs: Map<string, LogTail>;
}

interface RunRow {
  rowid: number;
  id: string;
  status: RunStatus;
  pid: number | null;
}

interface StageRow {
  runId: string;
  stage: string;
  status: StageRunStatus;
  reason: string;
  logPath: string | null;
  jobId: string | null;
  jobState: string | null;
  jobNode: string | null;
}

interface MetricRow {
  runId: string;
  key: string;
  step: number;
  value: number | null;
  at: string;
}

const MODEL_FINGERPRINTS = `
  SELECT m.name AS name,
         m.updated_at || '|' || m.description
           || '|' || (SELECT count(*) || '/' || coalesce(max(v.rowid), 0) || '/' || coalesce(max(v.updated_at), '') || '/' || count(v.archived_at)
                        FROM model_versions v WHERE v.model_name = m.name)
           || '|' || coalesce((SELECT group_concat(x, ',') FROM (SELECT a.alias || '=' || a.version AS x FROM model_aliases a WHERE a.model_name = m.name ORDER BY a.alias)), '')
           || '|' || coalesce((SELECT max(l.id) FROM model_alias_log l WHERE l.model_name = m.name), 0)
           || '|' || (SELECT count(*) FROM model_version_tags t WHERE t.model_name = m.name) AS print
    FROM registered_models m`;

export interface ExternalChangesOptions {
  projectDir: string;
  emit: (event: BenchtopEvent) => void;
  /** How often to look; default EXTERNAL_POLL_MS. */
  intervalMs?: number;
}

export class ExternalChanges {
  private timer: ReturnType<typeof setInterval> | null = null;
  private dataVersion = 0;
  private totalChanges = 0;
  private lastRunRowid = 0;
  private lastAlertId = 0;
  private readonly tracked = new Map<string, TrackedRun>();
  private models = new Map<string, string>();
  /** Alerts the core announced itself (its own `monitors.check`): never announced twice. */
  private readonly ownAlerts = new Set<number>();

  constructor(
    private readonly db: Database,
    private readonly opts: ExternalChangesOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.baseline();
    this.timer = setInterval(() => {
      try {
        this.check();
      } catch {
        // A database closing under the tick, or busy for a moment: the next tick looks again.
      }
    }, this.opts.intervalMs ?? EXTERNAL_POLL_MS);
    // Watching must never keep a CLI or a test process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Tells the watcher of an event the core emitted itself, so it is not announced again. */
  noteOwn(event: BenchtopEvent): void {
    // An alert at or below the last id seen was read here already (or announced by this watcher).
    if (event.name === 'monitors.alert' && event.payload.id > this.lastAlertId) this.ownAlerts.add(event.payload.id);
  }

  /** One look: announces what other processes committed since the last one. */
  check(): void {
    const dv = this.db.pragma('data_version', { simple: true }) as number;
    const tc = this.totalChangesNow();
    const foreign = dv !== this.dataVersion;
    const own = tc !== this.totalChanges;
    this.dataVersion = dv;
    this.totalChanges = tc;
    if (foreign) this.diff();
    // Only this process wrote: take its changes as seen (it announced them itself).
    else if (own) this.baseline();
    // Foreign stages write their logs without committing anything.
    this.tailLogs();
  }

  private totalChangesStmt: Statement<[]> | null = null;

  /** Rows this connection has changed since it opened: moves with the core's own writes only. */
  private totalChangesNow(): number {
    this.totalChangesStmt ??= this.db.prepare('SELECT total_changes() AS n');
    return (this.totalChangesStmt.get() as { n: number }).n;
  }

  private baseline(): void {
    this.dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    this.totalChanges = this.totalChangesNow();
    this.lastRunRowid = (this.db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM runs').get() as { n: number }).n;
    this.lastAlertId = (
      this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM monitor_alerts').get() as { n: number }
    ).n;
    this.models = this.modelPrints();
    // Runs still going when first seen (a terminal's run started before the app) are followed too.
    const live = this.db
      .prepare(`SELECT rowid, id, status, pid FROM runs WHERE status IN ('queued', 'running')`)
      .all() as RunRow[];
    for (const r of live) if (!this.tracked.has(r.id) && !this.isOwn(r)) this.tracked.set(r.id, this.newTracked(r));
    this.refreshTracked(false);
  }

  private diff(): void {
    const now = new Date().toISOString();
    const fresh = this.db
      .prepare('SELECT rowid, id, status, pid FROM runs WHERE rowid > ? ORDER BY rowid')
      .all(this.lastRunRowid) as RunRow[];
    for (const r of fresh) {
      this.lastRunRowid = Math.max(this.lastRunRowid, r.rowid);
      if (this.isOwn(r) || this.tracked.has(r.id)) continue;
      const t = this.newTracked(r);
      this.tracked.set(r.id, t);
      this.opts.emit({
        name: 'run.status',
        payload: { runId: r.id, status: r.status, at: now, ...(t.sweep ? { sweep: t.sweep } : {}) },
      });
    }
    this.refreshTracked(true);

    for (const a of alertsWhere(this.db, 'WHERE a.id > ? ORDER BY a.id', this.lastAlertId)) {
      this.lastAlertId = Math.max(this.lastAlertId, a.id);
      if (this.ownAlerts.delete(a.id)) continue;
      this.opts.emit(alertEvent(a));
    }

    const prints = this.modelPrints();
    for (const name of new Set([...prints.keys(), ...this.models.keys()])) {
      if (prints.get(name) !== this.models.get(name)) this.opts.emit({ name: 'models.changed', payload: { name } });
    }
    this.models = prints;
  }

  /** A run this process is running (its pipeline service, a tracked script): it announces itself. */
  private isOwn(r: RunRow): boolean {
    return r.pid === process.pid;
  }

  private newTracked(r: RunRow): TrackedRun {
    const sweep = (
      this.db.prepare(`SELECT value FROM run_tags WHERE run_id = ? AND key = 'sweep'`).get(r.id) as
        | { value: string }
        | undefined
    )?.value;
    return { status: r.status, sweep, stages: new Map(), metrics: new Map(), logs: new Map() };
  }

  /**
   * Reads the followed runs' stages, latest metrics and status; announces differences when `announce`
   * (stages and metrics before the status, as a run itself reports them), and stops following runs
   * that ended or are gone.
   */
  private refreshTracked(announce: boolean): void {
    if (this.tracked.size === 0) return;
    const ids = JSON.stringify([...this.tracked.keys()]);
    const now = new Date().toISOString();
    const stages = this.db
      .prepare(
        `SELECT run_id AS runId, stage, status, reason, log_path AS logPath, job_id AS jobId, job_state AS jobState,
           job_node AS jobNode
         FROM run_stages WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, position`,
      )
      .all(ids) as StageRow[];
    const metrics = this.db
      .prepare(
        `SELECT run_id AS runId, key, step, value, at FROM run_latest_metrics WHERE run_id IN (SELECT value FROM json_each(?))`,
      )
      .all(ids) as MetricRow[];
    const statuses = new Map(
      (
        this.db.prepare(`SELECT id, status FROM runs WHERE id IN (SELECT value FROM json_each(?))`).all(ids) as {
          id: string;
          status: RunStatus;
        }[]
      ).map((r) => [r.id, r.status]),
    );

    for (const s of stages) {
      const t = this.tracked.get(s.runId)!;
      const prev = t.stages.get(s.stage);
      // A Slurm stage's job state, as the process that follows it records it (pending, running on a node).
      const job = s.jobId !== null && s.jobState !== null ? { id: s.jobId, state: s.jobState, node: s.jobNode } : null;
      const jobSeen = job ? `${job.id}|${job.state}|${job.node ?? ''}` : null;
      t.stages.set(s.stage, { status: s.status, reason: s.reason, logPath: s.logPath, job: jobSeen });
      if (!announce || (prev && prev.status === s.status && prev.reason === s.reason && prev.job === jobSeen)) continue;
      // A stage's last lines are shown before it is reported ended.
      if (s.status !== 'running') this.tailStage(s.runId, t, s.stage);
      this.opts.emit({
        name: 'stage.status',
        payload: {
          runId: s.runId,
          stage: s.stage,
          status: s.status,
          reason: s.reason,
          at: now,
          ...(t.sweep ? { sweep: t.sweep } : {}),
          ...(job ? { job } : {}),
        },
      });
    }
    for (const m of metrics) {
      const t = this.tracked.get(m.runId)!;
      const print = `${m.step}|${m.at}|${m.value}`;
      if (t.metrics.get(m.key) === print) continue;
      t.metrics.set(m.key, print);
      // SQLite keeps NaN as NULL.
      if (announce)
        this.opts.emit({
          name: 'run.metric',
          payload: { runId: m.runId, key: m.key, step: m.step, value: m.value ?? Number.NaN, at: m.at },
        });
    }
    for (const [id, t] of this.tracked) {
      const status = statuses.get(id);
      if (status === undefined) {
        this.tracked.delete(id);
        continue;
      }
      if (status !== t.status) {
        t.status = status;
        if (announce)
          this.opts.emit({
            name: 'run.status',
            payload: { runId: id, status, at: now, ...(t.sweep ? { sweep: t.sweep } : {}) },
          });
      }
      if (!LIVE.has(status)) this.tracked.delete(id);
    }
  }

  private tailLogs(): void {
    for (const [runId, t] of this.tracked) {
      for (const [stage, s] of t.stages) if (s.status === 'running') this.tailStage(runId, t, stage);
    }
  }

  /** Announces the lines a foreign stage added to its log file since the last look (protocol lines stay out, as in a live run). */
  private tailStage(runId: string, t: TrackedRun, stage: string): void {
    const logPath = t.stages.get(stage)?.logPath;
    if (!logPath) return;
    const file = path.join(this.opts.projectDir, logPath);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    let tail = t.logs.get(stage);
    if (!tail) {
      tail = { offset: Math.max(0, size - LOG_TAIL_START_BYTES), partial: '', decoder: new StringDecoder('utf8') };
      t.logs.set(stage, tail);
    }
    if (size <= tail.offset) return;
    const length = Math.min(size - tail.offset, LOG_READ_MAX_BYTES);
    const buf = Buffer.alloc(length);
    const fd = openSync(file, 'r');
    let read: number;
    try {
      read = readSync(fd, buf, 0, length, tail.offset);
    } finally {
      closeSync(fd);
    }
    tail.offset += read;
    const text = tail.partial + tail.decoder.write(buf.subarray(0, read));
    const lines = text.split('\n');
    tail.partial = lines.pop() ?? '';
    const at = new Date().toISOString();
    for (const line of lines) {
      if (line.startsWith(PROTOCOL_PREFIX)) continue;
      this.opts.emit({
        name: 'run.log',
        payload: { runId, stage, stream: 'stdout', line, at, ...(t.sweep ? { sweep: t.sweep } : {}) },
      });
    }
  }

  private modelPrints(): Map<string, string> {
    return new Map(
      (this.db.prepare(MODEL_FINGERPRINTS).all() as { name: string; print: string }[]).map((r) => [r.name, r.print]),
    );
  }
}

/**
 * Cancels a run another process is running (`benchtop run` or `exec` in a terminal), as Ctrl+C
 * there would: the app shows such a run live, with its Cancel button. Only the project lock's
 * holder on this machine, alive with the start time it recorded, and the process the run names,
 * is signalled, so a pid reused since by an unrelated process is never touched. It ends its stages
 * and records the run cancelled. False when there is no such process.
 */
export function cancelForeignRun(projectDir: string, db: Database, runId: string): boolean {
  const row = db.prepare(`SELECT pid FROM runs WHERE id = ? AND status IN ('queued', 'running')`).get(runId) as
    | { pid: number | null }
    | undefined;
  if (!row?.pid || row.pid === process.pid) return false;
  const holder = readLockHolder(projectDir);
  if (
    !holder ||
    holder.pid !== row.pid ||
    holder.hostname !== os.hostname() ||
    !processAlive(holder.pid, holder.startTime)
  )
    return false;
  try {
    process.kill(holder.pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
