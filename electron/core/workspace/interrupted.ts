// Runs in: main (core). Runs left "running" or "queued" by a process that is gone (a crash, a
// closed app) are marked interrupted when the project is next opened, never silently dropped. A run
// with a Slurm stage still running is the exception: its job goes on without Benchtop, and the app
// or the next `benchtop run` takes it over (pipeline/slurm-follow.ts); until then its stage says
// that no one follows it.
import type { Database } from 'better-sqlite3';

/** Whether a process runs (a null pid is none). */
export function processAlive(pid: number | null): boolean {
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
export function markInterruptedRuns(db: Database, isAlive: (pid: number | null) => boolean = processAlive): string[] {
  return db
    .transaction(() => {
      const open = db.prepare(`SELECT id, pid FROM runs WHERE status IN ('running', 'queued')`).all() as {
        id: string;
        pid: number | null;
      }[];
      const stopped = open.filter((r) => !isAlive(r.pid));
      const jobs = db.prepare(
        `SELECT stage, job_id FROM run_stages
          WHERE run_id = ? AND status = 'running' AND job_id IS NOT NULL AND job_follow IS NOT NULL`,
      );
      const unfollowed = db.prepare(`UPDATE run_stages SET reason = ? WHERE run_id = ? AND stage = ?`);
      const dead = stopped.filter((r) => {
        const left = jobs.all(r.id) as { stage: string; job_id: string }[];
        for (const j of left)
          unfollowed.run(
            `Slurm job ${j.job_id}, followed by no one: open the app or run \`benchtop run\` to follow it`,
            r.id,
            j.stage,
          );
        return left.length === 0;
      });
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
