// Runs in: main (core). The project's deployments as the app lists them, with their state. A row
// whose process died without stopping it (a crash, a killed `benchtop serve`, an app that quit
// hard) would otherwise read as running forever, so it is marked gone when seen.
import type { Database } from 'better-sqlite3';
import type { Deployment, DeploymentNotice } from '../../../shared/contract/schemas';
import { writeTransaction } from '../store/database';
import type { EndpointStatus } from './endpoint-types';

export const GONE_REASON = 'gone: the process ended without stopping the endpoint';

export function pidAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface DeploymentRow {
  id: string;
  ref: string;
  model_name: string;
  host: string;
  port: number;
  workers: number;
  pid: number;
  started_at: string;
  seen_at: string;
  stopped_at: string | null;
  stop_reason: string | null;
  version: number | null;
  requests: number;
  errors: number;
}

export interface LiveDeployment {
  status: EndpointStatus;
  token: string | null;
  /** The latest failed switch or warning it reported, kept by whoever runs it. */
  notice?: DeploymentNotice | null;
}

export interface ListOptions {
  /** Endpoints this process runs, by deployment id: always running, with live counters. */
  live?: ReadonlyMap<string, LiveDeployment>;
  isAlive?: (pid: number) => boolean;
  /** A row whose heartbeat is older than this reads as gone even when its pid is alive (pids are reused). */
  staleMs?: number;
  now?: Date;
  model?: string;
}

export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Every deployment of the project (or of one model), newest first; dead ones are marked gone on the way. */
export function listDeployments(db: Database, opts: ListOptions = {}): Deployment[] {
  const live = opts.live ?? new Map<string, LiveDeployment>();
  const isAlive = opts.isAlive ?? pidAlive;
  const now = (opts.now ?? new Date()).getTime();
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const read = (): DeploymentRow[] =>
    db
      .prepare(
        `SELECT d.*,
           (SELECT version FROM prediction_requests r WHERE r.deployment_id = d.id AND r.version IS NOT NULL ORDER BY r.id DESC LIMIT 1) AS version,
           (SELECT COUNT(*) FROM prediction_requests r WHERE r.deployment_id = d.id) AS requests,
           (SELECT COUNT(*) FROM prediction_requests r WHERE r.deployment_id = d.id AND r.status >= 500) AS errors
         FROM deployments d ${opts.model ? 'WHERE d.model_name = ?' : ''} ORDER BY d.started_at DESC, d.rowid DESC`,
      )
      .all(...(opts.model ? [opts.model] : [])) as DeploymentRow[];
  let rows = read();
  // A dead pid is certain: recorded, so every reader agrees. This process's own pid on a row it does
  // not run is left over from an earlier app whose pid was reused, so that row is dead too.
  const dead = rows.filter(
    (r) => r.stopped_at === null && !live.has(r.id) && (!isAlive(r.pid) || r.pid === process.pid),
  );
  if (dead.length) {
    writeTransaction(db, () => {
      const mark = db.prepare(
        `UPDATE deployments SET stopped_at = seen_at, stop_reason = ? WHERE id = ? AND stopped_at IS NULL`,
      );
      for (const r of dead) mark.run(GONE_REASON, r.id);
    });
    rows = read();
  }
  // A live pid whose heartbeat stopped long ago is probably another process by now (pids are reused),
  // but a laptop that slept also stops heartbeats: shown as gone, not recorded, so it comes back when
  // it beats again.
  const stale = (r: DeploymentRow): boolean => now - Date.parse(r.seen_at) > staleMs;
  return rows.map((r) => {
    const l = live.get(r.id);
    const state = l
      ? 'running'
      : r.stopped_at === null
        ? stale(r)
          ? 'gone'
          : 'running'
        : r.stop_reason === GONE_REASON
          ? 'gone'
          : 'stopped';
    return {
      id: r.id,
      ref: r.ref,
      model: r.model_name,
      host: r.host,
      port: r.port,
      url: l?.status.url ?? urlOf(r.host, r.port),
      workers: l?.status.workers ?? r.workers,
      pid: r.pid,
      startedAt: r.started_at,
      seenAt: r.seen_at,
      stoppedAt: r.stopped_at,
      stopReason: r.stop_reason,
      state,
      version: l?.status.version ?? r.version,
      managed: l !== undefined,
      token: l ? (l.status.token ?? l.token) : null,
      requests: l ? Math.max(l.status.requests, r.requests) : r.requests,
      errors: l ? Math.max(l.status.errors, r.errors) : r.errors,
      healthy: l ? l.status.healthy : null,
      notice: l?.notice ?? null,
    };
  });
}
