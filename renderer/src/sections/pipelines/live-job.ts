// Runs in: renderer. A Slurm stage's own state in the live stage list, from the job state its
// stage.status events carry: "pending (job 123)", "running on gpu-07 (job 123)", "done (job 123)",
// or Slurm's word for how it ended ("timeout (job 123)"). A local stage shows its status alone.
import type { StageJob, StageRunStatus } from '../../../../shared/contract';

export function liveStageState(status: StageRunStatus, job: StageJob | undefined): string {
  if (!job) return status;
  const id = `(job ${job.id})`;
  const word = job.state.toLowerCase().replace(/_/g, ' ');
  // The stage's own end wins: a job that completed may still fail the stage (an output missing).
  if (status === 'succeeded') return `done ${id}`;
  if (status === 'failed' || status === 'cancelled' || status === 'skipped')
    return ['completed', 'running', 'pending', status].includes(word) ? `${status} ${id}` : `${status}: ${word} ${id}`;
  if (job.state === 'PENDING') return `pending ${id}`;
  if (job.state === 'RUNNING') return `running${job.node ? ` on ${job.node}` : ''} ${id}`;
  return `${word} ${id}`;
}
