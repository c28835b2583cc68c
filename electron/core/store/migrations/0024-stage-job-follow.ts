// Runs in: main (core). Version 24: what another process needs to take over a Slurm stage whose
// runner stopped (docs/slurm.md, "When Benchtop stops"): job_follow holds, as JSON, the stage as
// it was submitted, the inputs it was planned with, the executor and the job's output file;
// job_read_bytes counts the bytes of that output file the run already holds (its log lines and
// ::benchtop:: messages), so the next reader starts there and no metric is logged twice; job_state
// is the job's last known Slurm state (PENDING, RUNNING, COMPLETED...), for views in other processes.
import type { Migration } from './types';

export const migration0024: Migration = {
  version: 24,
  name: 'stage-job-follow',
  up(db) {
    db.exec(`
      ALTER TABLE run_stages ADD COLUMN job_follow TEXT;
      ALTER TABLE run_stages ADD COLUMN job_read_bytes INTEGER;
      ALTER TABLE run_stages ADD COLUMN job_state TEXT;
    `);
  },
};
