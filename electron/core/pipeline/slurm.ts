// Runs in: main (core). The Slurm executor: a stage's commands as one batch job, submitted with
// `sbatch --parsable`, followed with `scontrol show job` (sacct where accounting keeps the job after
// scontrol forgot it), its output file tailed live, and cancelled with `scancel`. Every command goes
// through the executor's submit_prefix (`ssh login.cluster`), so the project must sit on a
// filesystem the compute nodes share.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import type { SlurmExecutor } from './definition';
import { parseDuration } from './duration';

/** Job states after which a job never runs again. */
const FINAL = new Set([
  'COMPLETED',
  'FAILED',
  'TIMEOUT',
  'CANCELLED',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
]);

export interface SlurmJobInfo {
  state: string;
  reason: string;
  node: string | null;
  /** The command's exit code (null: ended by a signal, or unknown). */
  exitCode: number | null;
  signal: number | null;
  submitTime: string | null;
  startTime: string | null;
}

/** The output of a command: its exit status, stdout and stderr. */
interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Runs a Slurm client command, through the executor's submit_prefix when it has one. */
export function slurmCommand(executor: SlurmExecutor, args: string[], env = process.env): Promise<Ran> {
  const prefix = executor.submit_prefix?.trim();
  const [file, ...rest] = prefix ? ['sh', '-c', `${prefix} ${args.map(quote).join(' ')}`] : args;
  return new Promise((resolve) => {
    const child = spawn(file!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (err) => resolve({ status: 127, stdout, stderr: err.message }));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `time:` (or a stage's timeout) as sbatch's --time: whole minutes, rounded up, at least 1. */
export function slurmMinutes(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}

export interface BatchSpec {
  jobName: string;
  cwd: string;
  commands: string[];
  /** Variables set in the job before its commands (the stage's env and BENCHTOP_*). */
  env: Record<string, string>;
  /** The job's output file (stdout and stderr); %j stands for the job id. */
  output: string;
  /** The job's time limit in ms: the stage's timeout, else the executor's time:, else none. */
  timeLimitMs: number | null;
}

/** The batch script: the variables, then each command in turn, stopping at the first that fails. */
export function batchScript(spec: BatchSpec): string {
  const lines = ['#!/bin/sh', `# Written by Benchtop for ${spec.jobName}.`];
  for (const [k, v] of Object.entries(spec.env))
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) lines.push(`export ${k}=${quote(v)}`);
  lines.push(`cd ${quote(spec.cwd)} || exit 1`);
  for (const cmd of spec.commands) lines.push(`/bin/sh -c ${quote(cmd)} || exit $?`);
  return `${lines.join('\n')}\n`;
}

export function sbatchArgs(executor: SlurmExecutor, spec: BatchSpec, script: string): string[] {
  const args = ['sbatch', '--parsable', `--job-name=${spec.jobName}`, `--chdir=${spec.cwd}`, `--output=${spec.output}`];
  if (executor.partition) args.push(`--partition=${executor.partition}`);
  if (executor.gres) args.push(`--gres=${executor.gres}`);
  if (executor.cpus) args.push(`--cpus-per-task=${executor.cpus}`);
  if (executor.mem !== undefined) args.push(`--mem=${executor.mem}`);
  if (executor.account) args.push(`--account=${executor.account}`);
  if (executor.qos) args.push(`--qos=${executor.qos}`);
  if (spec.timeLimitMs !== null) args.push(`--time=${slurmMinutes(spec.timeLimitMs)}`);
  args.push(...(executor.extra_args ?? []), script);
  return args;
}

/** The job's time limit: a stage's timeout wins over the executor's time:. */
export function timeLimitMs(executor: SlurmExecutor, stageTimeoutMs: number | null): number | null {
  if (stageTimeoutMs !== null) return stageTimeoutMs;
  return executor.time === undefined ? null : parseDuration(executor.time);
}

/** `Key=Value Key=Value ...` of `scontrol show job -o` into a map (values may hold spaces only in the last keys). */
export function parseScontrol(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(?:^|\s)([A-Za-z/:]+)=(\S*)/g)) out[m[1]!] ??= m[2]!;
  return out;
}

function info(fields: Record<string, string>): SlurmJobInfo {
  const [code, signal] = (fields.ExitCode ?? '').split(':').map((x) => Number(x));
  const node = fields.BatchHost || fields.NodeList || '';
  const time = (t: string | undefined) => (t && t !== 'Unknown' && t !== 'None' ? t : null);
  return {
    state: (fields.JobState ?? 'UNKNOWN').split(/[ +]/)[0]!,
    reason: fields.Reason ?? '',
    node: node && node !== '(null)' ? node : null,
    exitCode: signal ? null : Number.isFinite(code) ? code! : null,
    signal: signal || null,
    submitTime: time(fields.SubmitTime),
    startTime: time(fields.StartTime),
  };
}

/** Where the job is: scontrol, then sacct (where accounting is on); null when neither knows it. */
export async function jobInfo(executor: SlurmExecutor, jobId: string): Promise<SlurmJobInfo | null> {
  const r = await slurmCommand(executor, ['scontrol', 'show', 'job', '-o', jobId]);
  if (r.status === 0 && r.stdout.includes('JobState=')) return info(parseScontrol(r.stdout));
  const a = await slurmCommand(executor, [
    'sacct',
    '-n',
    '-P',
    '-X',
    '-j',
    jobId,
    '-o',
    'State,ExitCode,NodeList,Submit,Start',
  ]);
  const line = a.status === 0 ? a.stdout.trim().split('\n')[0] : undefined;
  if (!line) return null;
  const [state, exit, nodes, submit, start] = line.split('|');
  return info({ JobState: state!, ExitCode: exit!, NodeList: nodes!, SubmitTime: submit!, StartTime: start! });
}

/**
 * Whether Slurm says it does not know the job (scontrol's "Invalid job id"), as opposed to not
 * answering at all (a controller down, an SSH hop failing): only then is the job gone for good.
 */
export async function jobForgotten(executor: SlurmExecutor, jobId: string): Promise<boolean> {
  const r = await slurmCommand(executor, ['scontrol', 'show', 'job', '-o', jobId]);
  return r.status !== 0 && /invalid job id/i.test(r.stderr + r.stdout);
}

export function isFinal(state: string): boolean {
  return FINAL.has(state);
}

/** What a final state means for the stage: success, or a failure with a sentence saying why. */
export function describeEnd(
  jobId: string,
  job: SlurmJobInfo,
  limits: { mem?: string | number; timeLimitMs: number | null },
): { ok: boolean; code: number | null; timedOut: boolean; message: string } {
  const on = job.node ? ` on ${job.node}` : '';
  const id = `Slurm job ${jobId}`;
  switch (job.state) {
    case 'COMPLETED':
      return { ok: true, code: 0, timedOut: false, message: `${id} completed${on}` };
    case 'FAILED':
      return {
        ok: false,
        code: job.exitCode,
        timedOut: false,
        message:
          job.exitCode !== null
            ? `${id} failed${on}: the command exited with code ${job.exitCode}`
            : `${id} failed${on}: the command was killed by signal ${job.signal ?? '?'}`,
      };
    case 'TIMEOUT':
      return {
        ok: false,
        code: null,
        timedOut: true,
        message: `${id} reached its time limit${limits.timeLimitMs !== null ? ` (${slurmMinutes(limits.timeLimitMs)} min)` : ''}${on} and Slurm ended it; raise timeout: (or the executor's time:)`,
      };
    case 'OUT_OF_MEMORY':
      return {
        ok: false,
        code: null,
        timedOut: false,
        message: `${id} ran out of memory${limits.mem !== undefined ? ` (mem: ${limits.mem})` : ''}${on}; raise the executor's mem:`,
      };
    case 'CANCELLED':
      return {
        ok: false,
        code: null,
        timedOut: false,
        message: `${id} was cancelled outside Benchtop (scancel, or an administrator)`,
      };
    case 'NODE_FAIL':
      return {
        ok: false,
        code: null,
        timedOut: false,
        message: `${id} was lost: its node${job.node ? ` ${job.node}` : ''} failed`,
      };
    case 'PREEMPTED':
      return {
        ok: false,
        code: null,
        timedOut: false,
        message: `${id} was preempted${on} by a job of higher priority`,
      };
    default:
      return { ok: false, code: job.exitCode, timedOut: false, message: `${id} ended as ${job.state}${on}` };
  }
}

/** Reads what a growing file gained since the last call, from `offset` on. */
export class FileTail {
  constructor(
    private readonly file: string,
    private offset = 0,
  ) {}
  /** Bytes read so far (from the file's start). */
  get position(): number {
    return this.offset;
  }
  read(): Buffer {
    let fd: number;
    try {
      if (statSync(this.file).size <= this.offset) return Buffer.alloc(0);
      fd = openSync(this.file, 'r');
    } catch {
      return Buffer.alloc(0);
    }
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(64 * 1024);
      let n: number;
      while ((n = readSync(fd, buf, 0, buf.length, this.offset)) > 0) {
        chunks.push(Buffer.from(buf.subarray(0, n)));
        this.offset += n;
      }
      return Buffer.concat(chunks);
    } finally {
      closeSync(fd);
    }
  }
}

export interface FollowHooks {
  /**
   * The complete lines the job's output gained, in one call per look, with the byte offset just
   * past them: a caller that stores the offset with what it made of the lines can resume there.
   */
  onLines(lines: string[], readBytes: number): void;
  /** The job changed state (PENDING, RUNNING, ...). */
  onState(job: SlurmJobInfo): void;
  pollMs?: number;
  /** Where the output was already read up to (a job taken over from a process that stopped). */
  fromByte?: number;
  /** Stops following, leaving the job alone (the project closes): follow() then resolves null. */
  signal?: AbortSignal;
}

/** Runs `sbatch --parsable ...`; the job id, or an error with sbatch's own message. */
export async function sbatch(executor: SlurmExecutor, args: string[]): Promise<string> {
  const r = await slurmCommand(executor, args);
  const id = r.stdout.trim().split(';')[0]!;
  if (r.status !== 0 || !/^\d+(_\d+)?$/.test(id))
    throw new Error(`sbatch refused the job: ${(r.stderr || r.stdout).trim() || `exit ${r.status}`}`);
  return id;
}

/** A submitted job followed to its end. */
export class SlurmJob {
  private cancelling = false;
  constructor(
    readonly executor: SlurmExecutor,
    readonly jobId: string,
    private readonly output: string,
  ) {}

  /** Submits the script; the job id, or an error with sbatch's own message. */
  static async submit(executor: SlurmExecutor, spec: BatchSpec, scriptFile: string): Promise<SlurmJob> {
    writeFileSync(scriptFile, batchScript(spec), { mode: 0o755 });
    const id = await sbatch(executor, sbatchArgs(executor, spec, scriptFile));
    return new SlurmJob(executor, id, spec.output.replaceAll('%j', id));
  }

  /** A job submitted earlier (by this process or one that stopped), to follow or cancel. */
  static attach(executor: SlurmExecutor, jobId: string, output: string): SlurmJob {
    return new SlurmJob(executor, jobId, output);
  }

  /** The job's output file (stdout and stderr). */
  get outputFile(): string {
    return this.output;
  }

  /** scancel; the follow loop then sees the job CANCELLED. */
  async cancel(): Promise<void> {
    if (this.cancelling) return;
    this.cancelling = true;
    await slurmCommand(this.executor, ['scancel', this.jobId]);
  }

  /**
   * Polls the job until its state is final, passing its output lines on as they appear. Resolves
   * null when hooks.signal stops the following first (the job goes on).
   */
  async follow(hooks: FollowHooks): Promise<SlurmJobInfo | null> {
    const tail = new FileTail(this.output, hooks.fromByte ?? 0);
    // Bytes read but not yet passed on: the start of a line the job is still writing.
    let rest = Buffer.alloc(0);
    const drain = (end: boolean): void => {
      const got = tail.read();
      const buffer = rest.length ? Buffer.concat([rest, got]) : got;
      // Split on the last newline's byte, so the offset handed on always ends a line (and never
      // falls inside a multi-byte character).
      const cut = end ? buffer.length : buffer.lastIndexOf(10) + 1;
      rest = Buffer.from(buffer.subarray(cut));
      if (cut === 0) return;
      const text = buffer.subarray(0, cut).toString('utf8');
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      hooks.onLines(
        lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)),
        tail.position - rest.length,
      );
    };
    const stopped = (): boolean => hooks.signal?.aborted === true;
    let last = '';
    let unknown = 0;
    for (let poll = 1; ; poll++) {
      if (stopped()) return null;
      const job = await jobInfo(this.executor, this.jobId);
      if (stopped()) return null;
      drain(false);
      if (job === null) {
        // Forgotten by scontrol (MinJobAge passed) with no accounting to ask, or a controller that
        // does not answer for a minute: its end is unknown.
        if (++unknown >= 60) {
          drain(true);
          return {
            state: 'UNKNOWN',
            reason: '',
            node: null,
            exitCode: null,
            signal: null,
            submitTime: null,
            startTime: null,
          };
        }
      } else {
        unknown = 0;
        // A scancel that did not reach the controller is sent again every 10 looks.
        if (this.cancelling && !isFinal(job.state) && poll % 10 === 0)
          await slurmCommand(this.executor, ['scancel', this.jobId]);
        if (job.state !== last) {
          last = job.state;
          hooks.onState(job);
        }
        if (isFinal(job.state)) {
          // The node may write the file's last bytes a moment after the controller records the end.
          await new Promise((r) => setTimeout(r, 300));
          drain(true);
          return job;
        }
      }
      await new Promise<void>((r) => {
        // The listener goes with each wait: one per look would pile up over a job of hours.
        const done = (): void => {
          clearTimeout(t);
          hooks.signal?.removeEventListener('abort', done);
          r();
        };
        const t = setTimeout(done, hooks.pollMs ?? 1000);
        hooks.signal?.addEventListener('abort', done, { once: true });
      });
    }
  }
}
