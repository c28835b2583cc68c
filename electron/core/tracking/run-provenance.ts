// Runs in: main (core). What `benchtop runs show` prints beside a run's params and metrics: its
// stages, the files it read and wrote (by hash), how many points each metric has, and the commit
// and trigger it ran from. Kept in the core so the CLI never reads the tables itself.
import type { Database } from 'better-sqlite3';

export interface RunProvenance {
  stages: { stage: string; status: string; reason: string; durationMs: number | null }[];
  artifacts: { stage: string; role: string; path: string; hash: string | null }[];
  points: { key: string; n: number }[];
  gitCommit: string | null;
  trigger: string;
}

export function runProvenance(db: Database, runId: string): RunProvenance {
  const stages = db
    .prepare(
      'SELECT stage, status, reason, duration_ms AS durationMs FROM run_stages WHERE run_id = ? ORDER BY position',
    )
    .all(runId) as RunProvenance['stages'];
  const artifacts = db
    .prepare('SELECT stage, role, path, hash FROM run_artifacts WHERE run_id = ? ORDER BY stage, role, path')
    .all(runId) as RunProvenance['artifacts'];
  const points = db
    .prepare('SELECT key, COUNT(*) AS n FROM run_metrics WHERE run_id = ? GROUP BY key')
    .all(runId) as RunProvenance['points'];
  const run = db.prepare('SELECT git_commit AS c, trigger FROM runs WHERE id = ?').get(runId) as
    | { c: string | null; trigger: string }
    | undefined;
  return { stages, artifacts, points, gitCommit: run?.c ?? null, trigger: run?.trigger ?? '' };
}
