// Slurm jobs outlive the process that submitted them (pipeline/slurm-follow.ts): `benchtop run` is
// killed (kill -9) while its stage's job is pending or running, and the job is then followed to
// its end by the next process that stays: the app's core on open, or the next `benchtop run`.
// Against the real one-node test cluster; skipped, with the reason, where it cannot start.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { openDatabase, type Database } from '../../electron/core/store/database';
import { DATABASE_FILE } from '../../electron/core/util/layout';
import { CLI, runCli, tmpDir } from '../support/helpers';
import { clusterForSuite } from '../support/slurm-cluster';

const { cluster, why } = await clusterForSuite();
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const metric = (value: number, step: number) =>
  `echo '::benchtop:: {"type": "metric", "key": "loss", "value": ${value}, "step": ${step}}'`;

/** A project whose stage train runs on the cluster (`extra` more sbatch arguments), and eval after it here. */
function project(trainScript: string, extra: string[] = []): string {
  const dir = path.join(tmpDir(), 'p');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    `executors:
  cluster: { type: slurm, partition: debug, cpus: 1, mem: 100M, time: 10m, extra_args: ${JSON.stringify(extra)} }
stages:
  train:
    cmd: sh train.sh
    deps: [train.sh]
    outs: [model.txt]
    executor: cluster
  eval:
    cmd: cat model.txt > eval.txt
    deps: [model.txt]
    outs: [eval.txt]
`,
  );
  writeFileSync(path.join(dir, 'train.sh'), trainScript);
  return dir;
}

/** `benchtop run` in the background, its output gathered for waitFor. */
function startRun(dir: string): {
  child: ChildProcess;
  out: () => string;
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, 'run'], {
    cwd: dir,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const waitFor = async (re: RegExp): Promise<RegExpMatchArray> => {
    const end = Date.now() + 60_000;
    for (;;) {
      const m = out.match(re);
      if (m) return m;
      if (child.exitCode !== null || Date.now() > end) throw new Error(`never saw ${re}; the output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, out: () => out, waitFor, exit };
}

async function until<T>(what: string, get: () => T | null | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function scontrol(...args: string[]): string {
  const r = spawnSync('scontrol', args, { encoding: 'utf8', env: cluster?.env });
  if (r.status !== 0) throw new Error(`scontrol ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function kill9(child: ChildProcess): Promise<void> {
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  return gone;
}

const losses = (db: Database, runId: string) =>
  db.prepare(`SELECT step, value FROM run_metrics WHERE run_id = ? AND key = 'loss' ORDER BY step, at`).all(runId);

const stageRows = (db: Database, runId: string) =>
  db.prepare('SELECT stage, status, reason FROM run_stages WHERE run_id = ? ORDER BY position').all(runId);

describe.skipIf(why !== null)(`Slurm jobs followed after Benchtop stopped${why ? ` (skipped: ${why})` : ''}`, () => {
  it('follows a job left pending by a killed `benchtop run` to its end when the app opens the project', async () => {
    const dir = project(`${metric(0.5, 1)}\n${metric(0.25, 2)}\necho trained > model.txt\n`, ['--hold']);
    // The job is submitted held: it stays pending until the test releases it.
    const first = startRun(dir);
    const [, jobId, runId] = await (async () => {
      const m = await first.waitFor(/Slurm job (\d+) is pending/);
      const db = openDatabase(path.join(dir, DATABASE_FILE));
      const row = db.prepare(`SELECT run_id FROM run_stages WHERE job_id = ?`).get(m[1]) as { run_id: string };
      db.close();
      return [null, m[1]!, row.run_id];
    })();
    await kill9(first.child);
    // A short command neither waits for the job nor marks the run interrupted; it says who follows it.
    const shown = runCli(['runs', 'show', runId], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Slurm job ${jobId}, followed by no one`);
    const status = runCli(['status'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`run ${runId} is running:`);
    expect(status.stdout).toContain(
      `train: running (Slurm job ${jobId}, followed by no one: open the app or run \`benchtop run\` to follow it)`,
    );
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    const db = openDatabase(path.join(dir, DATABASE_FILE));
    try {
      await until(
        'the take-over',
        () => (db.prepare('SELECT pid FROM runs WHERE id = ?').get(runId) as { pid: number }).pid === process.pid,
      );
      expect(scontrol('show', 'job', '-o', jobId)).toMatch(/JobState=PENDING/);
      scontrol('release', jobId);
      await until(
        'the run to end',
        () =>
          (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status !== 'running',
      );
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'succeeded' });
      expect(stageRows(db, runId)).toEqual([
        { stage: 'train', status: 'succeeded', reason: '' },
        {
          stage: 'eval',
          status: 'cancelled',
          reason: 'not started: Benchtop stopped; run `benchtop run` to continue, finished stages are skipped',
        },
      ]);
      expect(losses(db, runId)).toEqual([
        { step: 1, value: 0.5 },
        { step: 2, value: 0.25 },
      ]);
      expect(
        db.prepare(`SELECT value FROM run_tags WHERE run_id = ? AND key = 'slurm.train.state'`).get(runId),
      ).toEqual({ value: 'COMPLETED' });
    } finally {
      db.close();
      core.close();
    }
    expect(readFileSync(path.join(dir, 'benchtop.lock'), 'utf8')).toContain('model.txt');
    const log = runCli(['logs', runId, 'train'], { cwd: dir });
    expect(log.stdout).toContain(`following Slurm job ${jobId} of run ${runId}, left by a process that stopped`);
    expect(log.stdout).toMatch(new RegExp(`Slurm job ${jobId} completed on ${cluster!.node}`));
    // The next run skips train (its outputs are in the lock) and runs only what never started.
    const again = runCli(['run', '--json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const next = JSON.parse(again.stdout) as { stages: { name: string; status: string }[] };
    expect(next.stages.map((s) => [s.name, s.status])).toEqual([
      ['train', 'up-to-date'],
      ['eval', 'succeeded'],
    ]);
  }, 180_000);

  it('takes over a running job in the next `benchtop run`, reading its output on from where the killed one stopped', async () => {
    const dir = project(
      `${metric(0.5, 1)}\nwhile [ ! -e go ]; do sleep 0.2; done\n${metric(0.25, 2)}\necho trained > model.txt\n`,
    );
    const first = startRun(dir);
    const jobId = (await first.waitFor(/Slurm job (\d+) is running/))[1]!;
    const db = openDatabase(path.join(dir, DATABASE_FILE));
    try {
      // Killed once the first metric is in: the next process must not record it again.
      const runId = await until('the first metric', () => {
        const row = db.prepare('SELECT run_id, job_read_bytes FROM run_stages WHERE job_id = ?').get(jobId) as
          | { run_id: string; job_read_bytes: number }
          | undefined;
        return row && row.job_read_bytes > 0 ? row.run_id : null;
      });
      expect(losses(db, runId)).toEqual([{ step: 1, value: 0.5 }]);
      await kill9(first.child);
      const second = startRun(dir);
      await second.waitFor(new RegExp(`following Slurm job ${jobId} of run ${runId}, left by a process that stopped`));
      writeFileSync(path.join(dir, 'go'), '');
      expect(await second.exit, second.out()).toBe(0);
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'succeeded' });
      expect(losses(db, runId)).toEqual([
        { step: 1, value: 0.5 },
        { step: 2, value: 0.25 },
      ]);
      // Its own run then skipped train and ran eval.
      expect(second.out()).toMatch(/Run \S+ succeeded: 1 ran, 1 up to date/);
      const log = readFileSync(path.join(dir, '.benchtop', 'logs', runId, 'train.log'), 'utf8');
      expect(log.split('"step": 1').length - 1).toBe(1);
      expect(log.split('"step": 2').length - 1).toBe(1);
    } finally {
      db.close();
    }
    expect(runCli(['run'], { cwd: dir }).stdout).toContain('Nothing to run');
  }, 180_000);

  it('marks the run interrupted, naming the job, when Slurm no longer knows it', async () => {
    const dir = project('echo trained > model.txt\n', ['--hold']);
    const first = startRun(dir);
    const jobId = (await first.waitFor(/Slurm job (\d+) is pending/))[1]!;
    await kill9(first.child);
    // The job ended so long ago that Slurm forgot it: here, a job id the cluster never gave.
    spawnSync('scancel', [jobId], { env: cluster?.env });
    const db = openDatabase(path.join(dir, DATABASE_FILE));
    const runId = (db.prepare('SELECT run_id FROM run_stages WHERE job_id = ?').get(jobId) as { run_id: string })
      .run_id;
    db.prepare(`UPDATE run_stages SET job_id = '99999999' WHERE run_id = ?`).run(runId);
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      await until(
        'the run to end',
        () =>
          (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status !== 'running',
      );
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'interrupted' });
      expect(stageRows(db, runId)).toEqual([
        {
          stage: 'train',
          status: 'cancelled',
          reason:
            'interrupted: Benchtop stopped while Slurm job 99999999 ran, and Slurm no longer knows it (it ended longer ago than Slurm keeps jobs, or the cluster lost it); run `benchtop run` to run the stage again',
        },
        {
          stage: 'eval',
          status: 'cancelled',
          reason: 'not started: Benchtop stopped; run `benchtop run` to continue, finished stages are skipped',
        },
      ]);
    } finally {
      db.close();
      core.close();
    }
  }, 120_000);

  it('gives a followed run back when the app closes, its job untouched, for the next process to take over', async () => {
    const dir = project('echo trained > model.txt\n', ['--hold']);
    const first = startRun(dir);
    const jobId = (await first.waitFor(/Slurm job (\d+) is pending/))[1]!;
    await kill9(first.child);
    const db = openDatabase(path.join(dir, DATABASE_FILE));
    try {
      const runId = (db.prepare('SELECT run_id FROM run_stages WHERE job_id = ?').get(jobId) as { run_id: string })
        .run_id;
      const pid = () => (db.prepare('SELECT pid FROM runs WHERE id = ?').get(runId) as { pid: number | null }).pid;
      const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
      await core.open(dir);
      await until('the take-over', () => pid() === process.pid);
      core.close();
      expect(pid()).toBeNull();
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'running' });
      expect(scontrol('show', 'job', '-o', jobId)).toMatch(/JobState=PENDING/);
      const second = startRun(dir);
      await second.waitFor(new RegExp(`following Slurm job ${jobId} of run ${runId}`));
      scontrol('release', jobId);
      expect(await second.exit, second.out()).toBe(0);
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'succeeded' });
    } finally {
      db.close();
    }
  }, 180_000);
});
