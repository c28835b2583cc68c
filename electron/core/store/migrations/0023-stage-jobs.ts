// Runs in: main (core). Version 23: a stage run by a batch executor (Slurm, docs/slurm.md) records
// its job: the job id, the node it ran on and how long it waited in the queue. Local stages leave
// the three NULL. (The run's tags also carry them, `slurm.<stage>.job_id` and so on, so they travel
// with the run's record through sync.)
import type { Migration } from './types';

export const migration0023: Migration = {
  version: 23,
  name: 'stage-jobs',
  up(db) {
    db.exec(`
      ALTER TABLE run_stages ADD COLUMN job_id TEXT;
      ALTER TABLE run_stages ADD COLUMN job_node TEXT;
      ALTER TABLE run_stages ADD COLUMN queue_wait_ms INTEGER;
    `);
  },
};
