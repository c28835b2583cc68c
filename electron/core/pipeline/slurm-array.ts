// Runs in: main (core). A sweep's Slurm stages as job arrays: each run of the sweep hands its batch
// script here instead of submitting it, and once every run still going has either arrived at that
// stage or will not reach it, the stage is submitted as one array job, one task per run. Each run
// then follows its own task (job `ARRAY_TASK`) as it follows a plain job. The barrier counts what
// the runs report (planned, settled, arrived, ended), never time, so the grouping is the same on
// every machine. The runs of a sweep each run one stage at a time in the pipeline's order, so no
// run can wait at one stage for a run that waits at another.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SlurmExecutor } from './definition';
import { type BatchSpec, batchScript, quote, sbatch, sbatchArgs, SlurmJob, slurmCommand } from './slurm';

/** What one run of the sweep tells the batcher, and how its Slurm stages are submitted. */
export interface ArrayMember {
  /** The stages this run will run (its plan's will-run stages). */
  planned(stages: readonly string[]): void;
  /** The stage reached an end (succeeded, restored, skipped, failed, cancelled): it will not arrive. */
  settled(stage: string): void;
  /**
   * Submits the stage: its first attempt as a task of the stage's array, a retry as a job alone.
   * `say` tells the stage's log when it waits for the other runs.
   */
  submit(
    stage: string,
    executor: SlurmExecutor,
    spec: BatchSpec,
    scriptFile: string,
    signal: AbortSignal,
    say?: (line: string) => void,
  ): Promise<SlurmJob>;
  /** The run is over (or never started): it holds up no stage. */
  ended(): void;
}

/** Submits an array job: sbatch's arguments and the dispatch script; the array's job id. */
export type SubmitArray = (executor: SlurmExecutor, args: string[], script: string) => Promise<string>;

interface Arrival {
  member: Member;
  executor: SlurmExecutor;
  spec: BatchSpec;
  scriptFile: string;
  resolve(job: SlurmJob): void;
  reject(err: Error): void;
}

interface Member {
  index: number;
  planned: Set<string> | null;
  settled: Set<string>;
  /** Stages this run already submitted through an array (a retry goes alone). */
  used: Set<string>;
  ended: boolean;
}

/** `0,1,2,5` → `0-2,5`, as sbatch's --array takes it. */
export function taskRanges(indices: readonly number[]): string {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The array's script: each task runs its run's own batch script (its variables, working copy and
 * commands), its output going to the file that run follows, named for the task's job id.
 */
export function arrayScript(
  jobName: string,
  tasks: readonly { index: number; spec: BatchSpec; scriptFile: string }[],
): string {
  const lines = ['#!/bin/sh', `# Written by Benchtop for ${jobName}: one task per run of the sweep.`];
  lines.push('case "$SLURM_ARRAY_TASK_ID" in');
  for (const t of tasks) {
    const output = t.spec.output.split('%j').map(quote).join('"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"');
    lines.push(`  ${t.index}) exec /bin/sh ${quote(t.scriptFile)} >${output} 2>&1 ;;`);
  }
  lines.push('esac');
  lines.push('echo "benchtop: this array has no task $SLURM_ARRAY_TASK_ID" >&2');
  lines.push('exit 1');
  return `${lines.join('\n')}\n`;
}

export class SlurmArrayBatcher {
  private readonly members: Member[] = [];
  private readonly waiting = new Map<string, Arrival[]>();
  private readonly arrayIds: { executor: SlurmExecutor; id: string }[] = [];

  constructor(
    private readonly opts: {
      /** Where the array scripts and the arrays' own output go (the project's, not a working copy's). */
      dir: string;
      /** How many tasks of an array run at once (`%N`); null: as many as Slurm allows. */
      throttle: number | null;
      submit?: SubmitArray;
      /** Submits a retry, alone. */
      submitJob?: (executor: SlurmExecutor, spec: BatchSpec, scriptFile: string) => Promise<SlurmJob>;
    },
  ) {}

  /** The array jobs submitted so far. */
  get arrays(): string[] {
    return this.arrayIds.map((a) => a.id);
  }

  /** The member for the sweep's run `index` (its task index in every array). */
  member(index: number): ArrayMember {
    const m: Member = { index, planned: null, settled: new Set(), used: new Set(), ended: false };
    this.members.push(m);
    return {
      planned: (stages) => {
        m.planned = new Set(stages);
        this.check();
      },
      settled: (stage) => {
        m.settled.add(stage);
        this.check();
      },
      ended: () => {
        m.ended = true;
        this.check();
      },
      submit: (stage, executor, spec, scriptFile, signal, say) => {
        if (m.used.has(stage)) return (this.opts.submitJob ?? SlurmJob.submit)(executor, spec, scriptFile);
        return new Promise<SlurmJob>((resolve, reject) => {
          const arrival: Arrival = { member: m, executor, spec, scriptFile, resolve, reject };
          const list = this.waiting.get(stage) ?? [];
          list.push(arrival);
          this.waiting.set(stage, list);
          signal.addEventListener(
            'abort',
            () => {
              const now = this.waiting.get(stage);
              if (!now?.includes(arrival)) return; // already submitted: the run cancels its task
              now.splice(now.indexOf(arrival), 1);
              reject(new Error("cancelled before the sweep's array job was submitted"));
              this.check();
            },
            { once: true },
          );
          this.check();
          if (this.waiting.get(stage)?.includes(arrival))
            say?.(`stage ${stage} waits for the sweep's other runs, to go to Slurm with them as one array job`);
        });
      },
    };
  }

  /** scancel every array of the sweep (each run also cancels its own task). */
  async cancel(): Promise<void> {
    await Promise.all(this.arrayIds.map((a) => slurmCommand(a.executor, ['scancel', a.id])));
  }

  /** True while some run may still arrive at the stage. */
  private heldUp(stage: string, arrived: ReadonlySet<Member>): boolean {
    return this.members.some(
      (m) =>
        !m.ended &&
        !arrived.has(m) &&
        (m.planned === null || (m.planned.has(stage) && !m.settled.has(stage) && !m.used.has(stage))),
    );
  }

  private check(): void {
    for (const [stage, list] of this.waiting) {
      if (list.length === 0 || this.heldUp(stage, new Set(list.map((a) => a.member)))) continue;
      this.waiting.delete(stage);
      for (const a of list) a.member.used.add(stage);
      void this.flush(stage, list);
    }
  }

  private async flush(stage: string, tasks: Arrival[]): Promise<void> {
    const first = tasks[0]!;
    const safe = stage.replace(/[^A-Za-z0-9_.-]/g, '_');
    const limits = tasks.map((t) => t.spec.timeLimitMs);
    try {
      mkdirSync(this.opts.dir, { recursive: true });
      for (const t of tasks) writeFileSync(t.scriptFile, batchScript(t.spec), { mode: 0o755 });
      const spec: BatchSpec = {
        jobName: first.spec.jobName,
        cwd: this.opts.dir,
        commands: [],
        env: {},
        // Only what a task says before its own script starts (it cannot be found, say) lands here.
        output: path.join(this.opts.dir, `${safe}.slurm-%A_%a.out`),
        timeLimitMs: limits.includes(null) ? null : Math.max(...(limits as number[])),
      };
      const script = arrayScript(
        spec.jobName,
        tasks.map((t) => ({ index: t.member.index, spec: t.spec, scriptFile: t.scriptFile })),
      );
      const file = path.join(this.opts.dir, `${safe}.array.sbatch`);
      const args = sbatchArgs(first.executor, spec, file);
      const throttle = this.opts.throttle === null ? '' : `%${this.opts.throttle}`;
      args.splice(2, 0, `--array=${taskRanges(tasks.map((t) => t.member.index))}${throttle}`);
      const submit: SubmitArray =
        this.opts.submit ??
        ((executor, a, text) => {
          writeFileSync(file, text, { mode: 0o755 });
          return sbatch(executor, a);
        });
      const id = await submit(first.executor, args, script);
      this.arrayIds.push({ executor: first.executor, id });
      for (const t of tasks) {
        const jobId = `${id}_${t.member.index}`;
        t.resolve(new SlurmJob(t.executor, jobId, t.spec.output.replaceAll('%j', jobId)));
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const t of tasks) t.reject(error);
    }
  }
}
