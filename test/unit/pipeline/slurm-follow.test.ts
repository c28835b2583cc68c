// Taking over a run whose process stopped while its Slurm job ran: the claim (one taker wins, on
// separate connections to one database, as two processes have), the run left "running" on open with
// a stage saying no one follows it, and the run marked interrupted, naming the job, when Slurm no
// longer knows it. Slurm itself is reached through a submit_prefix that fails, as a cluster that
// forgot the job answers (or as one that does not answer at all); the real cluster's take-over is in
// test/integration/slurm-follow.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { SlurmFollowRecord } from '../../../electron/core/pipeline/runner';
import { claimRun, followLeftRuns, unfollowedRuns } from '../../../electron/core/pipeline/slurm-follow';
import { initProject } from '../../../electron/core/project/init';
import { openDatabase, type Database } from '../../../electron/core/store/database';
import { DATABASE_FILE } from '../../../electron/core/util/layout';
import { markInterruptedRuns } from '../../../electron/core/workspace/interrupted';
import { tmpDir } from '../../support/helpers';

const DEAD = 999_999_99;
/** Answers every Slurm command as a controller that no longer knows the job does. */
const FORGOTTEN = "echo 'slurm_load_jobs error: Invalid job id specified' >&2; false";

function record(dir: string, prefix: string): SlurmFollowRecord {
  return {
    stage: {
      name: 'train',
      source: 'train',
      cmd: ['python train.py'],
      deps: [],
      models: [],
      params: [],
      outs: [],
      env: {},
      wdir: '.',
      retries: 0,
      retryDelayMs: 0,
      timeoutMs: null,
      alwaysChanged: false,
      frozen: false,
      desc: undefined,
      executor: 'cluster',
    },
    current: { cmd: 'python train.py', deps: {}, params: {} } as unknown as SlurmFollowRecord['current'],
    executor: { type: 'slurm', submit_prefix: prefix },
    output: path.join(dir, '.benchtop', 'tmp', 'r1', 'train.slurm-4172.out'),
    logPath: '.benchtop/logs/r1/train.log',
  };
}

/** A run whose process (DEAD) stopped while job 4172 of its stage train ran, before stage eval. */
async function leftRun(prefix = FORGOTTEN): Promise<{ dir: string; db: Database; close(): void }> {
  const dir = tmpDir();
  const { workspace } = await initProject(dir);
  const db = workspace.db;
  db.prepare(`INSERT INTO experiments (name) VALUES ('pipeline')`).run();
  db.prepare(
    `INSERT INTO runs (id, experiment_id, name, status, started_at, pid) VALUES ('r1', 1, 'r1', 'running', '2026-12-08T00:00:00Z', ?)`,
  ).run(DEAD);
  db.prepare(
    `INSERT INTO run_stages (run_id, stage, position, status, reason, job_id, job_follow, job_read_bytes)
     VALUES ('r1', 'train', 0, 'running', 'changed', '4172', ?, 0), ('r1', 'eval', 1, 'queued', 'changed', NULL, NULL, NULL)`,
  ).run(JSON.stringify(record(dir, prefix)));
  return { dir, db, close: () => workspace.close() };
}

const stages = (db: Database) =>
  db.prepare(`SELECT stage, status, reason FROM run_stages WHERE run_id = 'r1' ORDER BY position`).all();

describe('taking over a Slurm job left by a process that stopped', () => {
  it('is not marked interrupted on open: its stage says no one follows the job', async () => {
    const { db, close } = await leftRun();
    expect(markInterruptedRuns(db)).toEqual([]);
    expect(db.prepare(`SELECT status FROM runs WHERE id = 'r1'`).get()).toEqual({ status: 'running' });
    expect(stages(db)).toEqual([
      {
        stage: 'train',
        status: 'running',
        reason: 'Slurm job 4172, followed by no one: open the app or run `benchtop run` to follow it',
      },
      { stage: 'eval', status: 'queued', reason: 'changed' },
    ]);
    expect(unfollowedRuns(db).map((r) => [r.runId, r.jobs.map((j) => [j.stage, j.jobId, j.readBytes])])).toEqual([
      ['r1', [['train', '4172', 0]]],
    ]);
    close();
  });

  it('is claimed by one of two processes that try at once, never both', async () => {
    const { dir, db, close } = await leftRun();
    // A second connection to the same file, as a second process has.
    const other = openDatabase(path.join(dir, DATABASE_FILE));
    const alive = (pid: number | null) => pid === 1001 || pid === 1002;
    const wins = [claimRun(db, 'r1', 1001, alive), claimRun(other, 'r1', 1002, alive)];
    expect(wins).toEqual([true, false]);
    expect(other.prepare(`SELECT pid FROM runs WHERE id = 'r1'`).get()).toEqual({ pid: 1001 });
    // Its follower claimed it: no longer a run no one follows, nor one to claim again.
    expect(unfollowedRuns(other, alive)).toEqual([]);
    expect(claimRun(other, 'r1', 1002, alive)).toBe(false);
    // Once that follower is gone too, the next process may take it.
    expect(claimRun(other, 'r1', 1002, (pid) => pid === 1002)).toBe(true);
    other.close();
    close();
  });

  it('marks the run interrupted, naming the job, when Slurm no longer knows it', async () => {
    const { dir, db, close } = await leftRun(FORGOTTEN);
    const events: BenchtopEvent[] = [];
    const summaries = await followLeftRuns({ projectDir: dir, db, emit: (e) => events.push(e) });
    expect(summaries).toEqual([]);
    expect(db.prepare(`SELECT status, pid FROM runs WHERE id = 'r1'`).get()).toEqual({
      status: 'interrupted',
      pid: process.pid,
    });
    expect(stages(db)).toEqual([
      {
        stage: 'train',
        status: 'cancelled',
        reason:
          'interrupted: Benchtop stopped while Slurm job 4172 ran, and Slurm no longer knows it (it ended longer ago than Slurm keeps jobs, or the cluster lost it); run `benchtop run` to run the stage again',
      },
      {
        stage: 'eval',
        status: 'cancelled',
        reason: 'not started: Benchtop stopped; run `benchtop run` to continue, finished stages are skipped',
      },
    ]);
    expect(events.map((e) => [e.name, (e.payload as { status?: string }).status])).toEqual([
      ['run.status', 'interrupted'],
    ]);
    close();
  });

  it('leaves the run for a later open when Slurm does not answer, deciding nothing', async () => {
    const { dir, db, close } = await leftRun('false');
    expect(await followLeftRuns({ projectDir: dir, db, emit: () => undefined })).toEqual([]);
    expect(db.prepare(`SELECT status, pid FROM runs WHERE id = 'r1'`).get()).toEqual({ status: 'running', pid: null });
    expect(stages(db)).toEqual([
      { stage: 'train', status: 'running', reason: 'changed' },
      { stage: 'eval', status: 'queued', reason: 'changed' },
    ]);
    expect(unfollowedRuns(db).map((r) => r.runId)).toEqual(['r1']);
    close();
  });
});
