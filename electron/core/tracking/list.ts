// Runs in: main (core). Experiments and recent runs for the Experiments section.
import type { Database } from 'better-sqlite3';
import type { ExperimentsList } from '../../../shared/contract/schemas';

export function listExperiments(db: Database, recentLimit = 50): ExperimentsList {
  const experiments = db
    .prepare(
      `SELECT e.id, e.name, e.description, e.created_at AS createdAt,
              COUNT(r.id) AS runCount, MAX(r.started_at) AS lastRunAt
         FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id AND r.deleted_at IS NULL
        GROUP BY e.id ORDER BY COALESCE(MAX(r.started_at), e.created_at) DESC`,
    )
    .all() as ExperimentsList['experiments'];
  const recentRuns = db
    .prepare(
      `SELECT id, experiment_id AS experimentId, name, status, started_at AS startedAt, ended_at AS endedAt
         FROM runs WHERE deleted_at IS NULL ORDER BY started_at DESC LIMIT ?`,
    )
    .all(recentLimit) as ExperimentsList['recentRuns'];
  return { experiments, recentRuns };
}
