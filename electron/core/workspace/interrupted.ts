// Runs in: main (core). Runs left "running" or "queued" by a process that is gone (a crash, a
// closed app) are marked interrupted when the project is next opened, never silently dropped.
import type { Database } from 'better-sqlite3';

function alive(pid: number | null): boolean {
  if (pid === null || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns the ids of the runs it marked. */
export function markInterruptedRuns(db: Database, isAlive: (pid: number | null) => boolean = alive): string[] {
  return db
    .transaction(() => {
      const open = db.prepare(`SELECT id, pid FROM runs WHERE status IN ('running', 'queued')`).all() as {
        id: string;
        pid: number | null;
      }[];
      const dead = open.filter((r) => !isAlive(r.pid));
      const mark = db.prepare(
        `UPDATE runs SET status = 'interrupted', ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
      );
      const stages = db.prepare(
        `UPDATE run_stages SET status = 'cancelled', reason = 'interrupted: Benchtop stopped before the stage finished', ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          WHERE run_id = ? AND status IN ('queued', 'running')`,
      );
      for (const r of dead) {
        mark.run(r.id);
        stages.run(r.id);
      }
      return dead.map((r) => r.id);
    })
    .immediate();
}
