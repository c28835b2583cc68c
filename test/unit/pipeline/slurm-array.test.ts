// A sweep's Slurm stages as job arrays: the barrier that decides when a stage's array is complete
// (with a fake sbatch, so every step is checked in order), the --array ranges, and the dispatch
// script run by a real shell as a task would run it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlurmExecutor } from '../../../electron/core/pipeline/definition';
import { batchScript, type BatchSpec, SlurmJob } from '../../../electron/core/pipeline/slurm';
import { arrayScript, SlurmArrayBatcher, taskRanges } from '../../../electron/core/pipeline/slurm-array';
import { tmpDir } from '../../support/helpers';

const EXECUTOR: SlurmExecutor = { type: 'slurm', partition: 'debug' };

function spec(dir: string, run: number, stage: string): BatchSpec {
  return {
    jobName: `benchtop-p-${stage}`,
    cwd: dir,
    commands: [`echo run ${run} ${stage}`],
    env: { RUN: String(run) },
    output: path.join(dir, `run${run}-${stage}.slurm-%j.out`),
    timeLimitMs: 60_000,
  };
}

/** Lets every settled promise's callbacks run, so a wrongly early submit would be seen. */
const settle = () => new Promise((r) => setImmediate(r));

function harness() {
  const dir = tmpDir();
  const submitted: { args: string[]; script: string }[] = [];
  const alone: string[] = [];
  const batcher = new SlurmArrayBatcher({
    dir: path.join(dir, 'sweep'),
    throttle: 2,
    submit: async (_executor, args, script) => {
      submitted.push({ args, script });
      return String(100 + submitted.length);
    },
    submitJob: async (executor, s, scriptFile) => {
      alone.push(scriptFile);
      return new SlurmJob(executor, '900', s.output);
    },
  });
  return { dir, batcher, submitted, alone };
}

describe("a sweep's Slurm array barrier", () => {
  it('submits a stage once every live run has arrived or will not (skipped, failed upstream, ended)', async () => {
    const { dir, batcher, submitted, alone } = harness();
    const m = [0, 1, 2, 3].map((i) => batcher.member(i));
    const jobs: Promise<SlurmJob>[] = [];
    const signal = new AbortController().signal;
    const said: string[] = [];
    const reach = (i: number, stage: string) => {
      const p = m[i]!.submit(
        stage,
        EXECUTOR,
        spec(dir, i, stage),
        path.join(dir, `run${i}-${stage}.sbatch`),
        signal,
        (line) => said.push(`${i}: ${line}`),
      );
      jobs[i] = p;
      return p;
    };

    // Run 0 plans prep and train and reaches train (prep restored from the run cache).
    m[0]!.planned(['prep', 'train']);
    m[0]!.settled('prep');
    void reach(0, 'train');
    await settle();
    // Runs 1 to 3 have not planned yet: any of them may still reach train.
    expect(submitted).toEqual([]);

    // Run 1's train is up to date: it plans only prep, and does not hold train up.
    m[1]!.planned(['prep']);
    // Run 2's prep fails, so the runner marks its train skipped, then the run ends.
    m[2]!.planned(['prep', 'train']);
    m[2]!.settled('prep');
    await settle();
    expect(submitted).toEqual([]);
    m[2]!.settled('train');
    m[2]!.ended();
    await settle();
    // Run 3 has planned train and not reached it: still nothing.
    m[3]!.planned(['train']);
    await settle();
    expect(submitted).toEqual([]);

    void reach(3, 'train');
    await settle();
    expect(submitted).toHaveLength(1);
    // Run 0 said in its log that it waited; run 3, the last to arrive, did not wait.
    expect(said).toEqual([
      "0: stage train waits for the sweep's other runs, to go to Slurm with them as one array job",
    ]);
    const [{ args, script }] = submitted as [{ args: string[]; script: string }];
    expect(args.slice(0, 3)).toEqual(['sbatch', '--parsable', '--array=0,3%2']);
    expect(args).toContain('--job-name=benchtop-p-train');
    expect(args).toContain('--time=1');
    expect(script).toContain(`0) exec /bin/sh '${path.join(dir, 'run0-train.sbatch')}'`);
    expect(script).toContain(`3) exec /bin/sh '${path.join(dir, 'run3-train.sbatch')}'`);
    expect(script).not.toContain('run1-train');
    // Each run follows its own task, and its batch script is written as a plain job's would be.
    const [j0, j3] = await Promise.all([jobs[0]!, jobs[3]!]);
    expect([j0.jobId, j3.jobId]).toEqual(['101_0', '101_3']);
    expect(readFileSync(path.join(dir, 'run3-train.sbatch'), 'utf8')).toBe(batchScript(spec(dir, 3, 'train')));

    // A retry of run 3's train goes alone, not into a new array.
    const retry = await m[3]!.submit('train', EXECUTOR, spec(dir, 3, 'train'), path.join(dir, 'retry.sbatch'), signal);
    expect(retry.jobId).toBe('900');
    expect(alone).toEqual([path.join(dir, 'retry.sbatch')]);
    expect(submitted).toHaveLength(1);
    expect(batcher.arrays).toEqual(['101']);
  });

  it('groups each stage level into its own array, and a cancelled run leaves the others to go on', async () => {
    const { dir, batcher, submitted } = harness();
    const m = [0, 1, 2].map((i) => batcher.member(i));
    for (const x of m) x.planned(['prep', 'train']);
    const cancel = new AbortController();
    const open = new AbortController().signal;
    const prep = [0, 1].map((i) =>
      m[i]!.submit('prep', EXECUTOR, spec(dir, i, 'prep'), path.join(dir, `p${i}.sbatch`), open),
    );
    const cancelled = m[2]!.submit('prep', EXECUTOR, spec(dir, 2, 'prep'), path.join(dir, 'p2.sbatch'), cancel.signal);
    await settle();
    // Everyone arrived: one array of three.
    expect(submitted.map((s) => s.args[2])).toEqual(['--array=0-2%2']);
    await Promise.all([...prep, cancelled]);

    const train = m[0]!.submit('train', EXECUTOR, spec(dir, 0, 'train'), path.join(dir, 't0.sbatch'), open);
    const gone = m[2]!.submit('train', EXECUTOR, spec(dir, 2, 'train'), path.join(dir, 't2.sbatch'), cancel.signal);
    await settle();
    expect(submitted).toHaveLength(1);
    // Run 2 is cancelled while it waits: it leaves the array, and its stage ends as cancelled.
    cancel.abort();
    await expect(gone).rejects.toThrow(/cancelled before the sweep's array job was submitted/);
    m[2]!.settled('train');
    await settle();
    expect(submitted).toHaveLength(1);
    // Run 1's train fails before it is submitted (its model could not be placed, say).
    m[1]!.settled('train');
    await settle();
    expect(submitted.map((s) => s.args[2])).toEqual(['--array=0-2%2', '--array=0%2']);
    expect((await train).jobId).toBe('102_0');
  });

  it('fails every task of an array that sbatch refused, with its message', async () => {
    const dir = tmpDir();
    const batcher = new SlurmArrayBatcher({
      dir,
      throttle: null,
      submit: async () => {
        throw new Error('sbatch refused the job: invalid partition');
      },
    });
    const m = [0, 1].map((i) => batcher.member(i));
    const signal = new AbortController().signal;
    const both = m.map((x, i) => x.submit('s', EXECUTOR, spec(dir, i, 's'), path.join(dir, `${i}.sbatch`), signal));
    for (const p of both) await expect(p).rejects.toThrow('invalid partition');
  });
});

describe('job array ranges', () => {
  it('writes task indices as sbatch ranges', () => {
    expect(taskRanges([3, 0, 1, 2])).toBe('0-3');
    expect(taskRanges([0, 2, 3, 5])).toBe('0,2-3,5');
    expect(taskRanges([7])).toBe('7');
  });

  it('covers exactly the given indices', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(300), { minLength: 1, maxLength: 40 }), (xs) => {
        const back = taskRanges(xs)
          .split(',')
          .flatMap((part) => {
            const [a, b] = part.split('-').map(Number);
            return Array.from({ length: (b ?? a!) - a! + 1 }, (_, k) => a! + k);
          });
        expect(back).toEqual([...xs].sort((x, y) => x - y));
      }),
    );
  });
});

describe('the array script', () => {
  it("runs each task's own script, its output in the file named for the task's job id", () => {
    const dir = tmpDir();
    const tasks = [0, 2].map((i) => {
      const s = { ...spec(dir, i, "it's"), output: path.join(dir, `it's ${i}.slurm-%j.out`) };
      const scriptFile = path.join(dir, `task ${i}.sbatch`);
      writeFileSync(scriptFile, batchScript({ ...s, commands: ['echo "run $RUN in $(pwd)"', 'echo oops >&2'] }));
      return { index: i, spec: s, scriptFile };
    });
    const file = path.join(dir, 'array.sbatch');
    writeFileSync(file, arrayScript('benchtop-p-x', tasks));
    const env = { ...process.env, SLURM_ARRAY_JOB_ID: '77' };
    const run = (task: string) =>
      spawnSync('sh', [file], { env: { ...env, SLURM_ARRAY_TASK_ID: task }, encoding: 'utf8' });
    expect(run('2').status).toBe(0);
    expect(readFileSync(path.join(dir, "it's 2.slurm-77_2.out"), 'utf8')).toBe(`run 2 in ${dir}\noops\n`);
    const missing = run('1');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('this array has no task 1');
  });
});
