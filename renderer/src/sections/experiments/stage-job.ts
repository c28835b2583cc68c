// Runs in: renderer. Where a run's stage ran, for the run page's Stages table: "here" for a local
// stage, or its Slurm job, the node and the time it waited in the queue.
import type { StageRunRow } from '../../../../shared/contract';

export function stageWhere(job: StageRunRow['job']): string {
  if (!job) return 'here';
  const node = job.node ? ` on ${job.node}` : '';
  const waited =
    job.queueWaitMs === null
      ? ''
      : `, waited ${job.queueWaitMs < 60_000 ? `${Math.round(job.queueWaitMs / 1000)} s` : `${Math.round(job.queueWaitMs / 60_000)} min`}`;
  return `Slurm job ${job.id}${node}${waited}`;
}
