// Runs in: main (core). Slurm jobs outlive the process that submitted them: when the app closes or
// `benchtop run` is killed while a job is pending or running, the run stays "running" (see
// workspace/interrupted.ts) and a long-lived process takes it over: the app or browser-mode core
// when it opens the project, and `benchtop run` before it plans. Taking over is a claim in one
// transaction (the run's pid becomes the taker's only while the old one is dead), so two processes
// never follow one job; the taker follows each job to its end and records it (runner.ts,
// followLeftJobs). A job Slurm no longer knows ends the run as interrupted, naming the job.
import type { Database } from 'better-sqlite3';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { writeTransaction } from '../store/database';
import { processAlive } from '../workspace/interrupted';
import type { Pipeline } from './definition';
import { loadPipeline } from './load';
import { type LeftJob, NOT_STARTED_REASON, PipelineRun, type RunSummary, type SlurmFollowRecord } from './runner';
import { jobForgotten, jobInfo } from './slurm';

type IsAlive = (pid: number | null) => boolean;

export interface LeftRun {
  runId: string;
  jobs: LeftJob[];
}

/** Runs whose process is gone while Slurm jobs of theirs were pending or running: no one follows them. */
export function unfollowedRuns(db: Database, isAlive: IsAlive = processAlive): LeftRun[] {
  const runs = db
    .prepare(`SELECT id, pid FROM runs WHERE status IN ('running', 'queued') ORDER BY started_at`)
    .all() as {
    id: string;
    pid: number | null;
  }[];
  const jobs = db.prepare(
    `SELECT stage, job_id, job_follow, job_read_bytes FROM run_stages
      WHERE run_id = ? AND status = 'running' AND job_id IS NOT NULL AND job_follow IS NOT NULL ORDER BY position`,
  );
  const out: LeftRun[] = [];
  for (const r of runs) {
    if (isAlive(r.pid)) continue;
    const rows = jobs.all(r.id) as {
      stage: string;
      job_id: string;
      job_follow: string;
      job_read_bytes: number | null;
    }[];
    if (rows.length)
      out.push({
        runId: r.id,
        jobs: rows.map((j) => ({
          stage: j.stage,
          jobId: j.job_id,
          record: JSON.parse(j.job_follow) as SlurmFollowRecord,
          readBytes: j.job_read_bytes ?? 0,
        })),
      });
  }
  return out;
}

/**
 * Claims a run for the process `pid`, in one transaction: only while the run is still open and the
 * process recorded on it is dead. True when this claim won.
 */
export function claimRun(db: Database, runId: string, pid = process.pid, isAlive: IsAlive = processAlive): boolean {
  return writeTransaction(db, () => {
    const row = db.prepare('SELECT pid, status FROM runs WHERE id = ?').get(runId) as
      | { pid: number | null; status: string }
      | undefined;
    if (!row || (row.status !== 'running' && row.status !== 'queued')) return false;
    if (row.pid === pid || isAlive(row.pid)) return false;
    db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(pid, runId);
    return true;
  });
}

/** Gives a claimed run back (its follower stops, the job still runs): the next process takes it over. */
export function releaseRun(db: Database, runId: string, pid = process.pid): void {
  writeTransaction(db, () =>
    db
      .prepare(`UPDATE runs SET pid = NULL WHERE id = ? AND pid = ? AND status IN ('running', 'queued')`)
      .run(runId, pid),
  );
}

/** Why a job's end is unknown: scontrol keeps an ended job for MinJobAge only (sacct, where kept, longer). */
const LOST =
  'Slurm no longer knows it (it ended longer ago than Slurm keeps jobs, or the cluster lost it); run `benchtop run` to run the stage again';

/**
 * Ends a run none of whose jobs Slurm knows any more: interrupted, as any run whose process
 * stopped, with the reason naming each job.
 */
export function interruptLostRun(db: Database, runId: string, lost: LeftJob[]): void {
  writeTransaction(db, () => {
    const stage = db.prepare(
      `UPDATE run_stages SET status = 'cancelled', reason = ?, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ? AND stage = ?`,
    );
    for (const j of lost)
      stage.run(`interrupted: Benchtop stopped while Slurm job ${j.jobId} ran, and ${LOST}`, runId, j.stage);
    db.prepare(
      `UPDATE run_stages SET status = 'cancelled', reason = ?, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ? AND status = 'queued'`,
    ).run(NOT_STARTED_REASON, runId);
    db.prepare(
      `UPDATE run_stages SET status = 'cancelled', reason = 'interrupted: Benchtop stopped before the stage finished', ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ? AND status = 'running'`,
    ).run(runId);
    db.prepare(
      `UPDATE runs SET status = 'interrupted', ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
    ).run(runId);
  });
}

/** A job of a run that goes on: its stage failed, as its end is unknown. */
function failLostStage(db: Database, runId: string, job: LeftJob): void {
  writeTransaction(db, () =>
    db
      .prepare(
        `UPDATE run_stages SET status = 'failed', reason = ?, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ? AND stage = ?`,
      )
      .run(`Slurm job ${job.jobId}: ${LOST}`, runId, job.stage),
  );
}

/** benchtop.yaml for what the runner reads beyond the stage (gitignore_outs); the run goes on without it. */
function pipelineOrNone(projectDir: string): Pipeline {
  try {
    return loadPipeline(projectDir) ?? { stages: [], schedules: [] };
  } catch {
    return { stages: [], schedules: [] };
  }
}

export interface FollowLeftOptions {
  /** Stops the following (the project closes): the runs are given back, their jobs go on. */
  signal?: AbortSignal;
  /** Told of each run claimed, at once (so that a close that comes first can give it back). */
  onClaim?: (runId: string) => void;
  /** Told of each run taken over, before it is followed (so it can be cancelled). */
  onRun?: (run: PipelineRun) => void;
  pid?: number;
  isAlive?: IsAlive;
}

/**
 * Claims every run no one follows and follows its jobs to their end; resolves with the summaries
 * of the runs it ended (a run given back on `signal` has none).
 */
export async function followLeftRuns(
  ctx: { projectDir: string; db: Database; emit: (event: BenchtopEvent) => void },
  opts: FollowLeftOptions = {},
): Promise<RunSummary[]> {
  const pid = opts.pid ?? process.pid;
  const follows: Promise<RunSummary | null>[] = [];
  for (const left of unfollowedRuns(ctx.db, opts.isAlive)) {
    if (opts.signal?.aborted) break;
    if (!claimRun(ctx.db, left.runId, pid, opts.isAlive)) continue;
    opts.onClaim?.(left.runId);
    const known: LeftJob[] = [];
    const lost: LeftJob[] = [];
    const unanswered: LeftJob[] = [];
    for (const job of left.jobs) {
      if (await jobInfo(job.record.executor, job.jobId)) known.push(job);
      else if (await jobForgotten(job.record.executor, job.jobId)) lost.push(job);
      else unanswered.push(job);
    }
    // Stopped while Slurm was asked: the run was given back (or its database closed) meanwhile.
    if (opts.signal?.aborted) break;
    // Slurm did not answer (the controller down, the SSH hop failing): nothing is decided, and the
    // run is left for a later open to take over.
    if (unanswered.length) {
      releaseRun(ctx.db, left.runId, pid);
      continue;
    }
    if (known.length === 0) {
      interruptLostRun(ctx.db, left.runId, lost);
      ctx.emit({
        name: 'run.status',
        payload: { runId: left.runId, status: 'interrupted', at: new Date().toISOString() },
      });
      continue;
    }
    for (const job of lost) failLostStage(ctx.db, left.runId, job);
    const run = new PipelineRun(ctx, pipelineOrNone(ctx.projectDir), {}, left.runId);
    opts.onRun?.(run);
    follows.push(
      run.followLeftJobs(known, opts.signal).then((summary) => {
        // Given back on signal: the project may be closing, and its database with it.
        if (summary === null && ctx.db.open) releaseRun(ctx.db, left.runId, pid);
        return summary;
      }),
    );
  }
  return (await Promise.all(follows)).filter((s): s is RunSummary => s !== null);
}
