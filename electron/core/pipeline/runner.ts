// Runs in: main (core). Running a pipeline: stages as child processes in dependency order, in
// parallel up to `jobs`, logs to files and live events, retries, timeouts, cancel, and the whole
// execution recorded as a run in the tracking store.
import {
  appendFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { StageRunStatus } from '../../../shared/contract/schemas';
import { recordLineage } from '../data/lineage';
import { writeTransaction } from '../store/database';
import { artifactType, logArtifactFile } from '../tracking/artifacts';
import { newRunId } from '../tracking/ids';
import { uniqueRunName } from '../tracking/run-names';
import { isStorageFull, MetricWriter } from '../tracking/metric-writer';
import { writeFileAtomic } from '../util/atomic-write';
import {
  checkRemovable,
  normalizeProjectPath,
  policyError,
  removeInProject,
  resolveInProject,
} from '../util/path-policy';
import { resourcePath } from '../util/package-root';
import { headCommit, isDirty } from '../git/git';
import { CACHE_DIR, LOGS_DIR, POINTER_SUFFIX, TMP_DIR } from '../util/layout';
import { anchoredEntry, ignoreStageOuts } from '../workspace/gitignore';
import type { Pipeline, SlurmExecutor, Stage } from './definition';
import { buildDag, withDownstream } from './graph';
import { FileHasher } from '../util/hashing';
import { ParamsFiles, type ParamOverride } from './load';
import { readLock, writeLock } from './lock';
import { readMetricsFile } from './metrics-files';
import { materializeModel, modelDepHash, parseModelDep, resolveModelDep, type ResolvedModel } from './models/deps';
import { registerStageOuts, RegistrationError } from './models/register-outs';
import { planPipeline, type PlanOptions, type StagePlan } from './plan';
import { killTree, startInGroup, withOwnNode } from './process-tree';
import { parseProtocolLine } from './protocol';
import { RunCache, signatureOf } from './run-cache';
import { describeEnd, SlurmJob, timeLimitMs, type SlurmJobInfo } from './slurm';
import type { ArrayMember } from './slurm-array';

/**
 * What a process needs to take over a Slurm stage whose runner stopped, kept on the stage's row
 * (run_stages.job_follow) from the moment the job is submitted: the stage and the inputs it was
 * planned with (for the lock and the run cache), the executor (how to reach Slurm) and where the
 * job writes. See slurm-follow.ts.
 */
export interface SlurmFollowRecord {
  stage: Stage;
  current: StagePlan['current'];
  executor: SlurmExecutor;
  /** The job's output file, absolute. */
  output: string;
  /** The stage log, relative to the project. */
  logPath: string;
}

/** A Slurm stage to take over: its job, and the bytes of its output the run already holds. */
export interface LeftJob {
  stage: string;
  jobId: string;
  record: SlurmFollowRecord;
  readBytes: number;
}

/** The result of one attempt at a stage's commands. */
interface Attempted {
  code: number | null;
  timedOut: boolean;
  failure?: string;
}

/** Why a stage that never started did not: the run's process stopped while a job ran. */
export const NOT_STARTED_REASON =
  'not started: Benchtop stopped; run `benchtop run` to continue, finished stages are skipped';

export interface RunContext {
  /** Where the stages run: the project, or an isolated working copy of it. */
  projectDir: string;
  db: Database;
  emit: (event: BenchtopEvent) => void;
  /** The project's own folders, when projectDir is a working copy (logs and the cache live there). */
  home?: string;
  /** The commit the working copy was made from (null: none). Defaults to HEAD of projectDir. */
  commit?: string | null;
  /** Namespace for the stat cache, so a working copy's files never overwrite the project's entries. */
  hashKeyPrefix?: string;
}

export interface RunOptions extends PlanOptions {
  /** `-S` values for this run only. */
  overrides?: ParamOverride[];
  jobs?: number;
  signal?: AbortSignal;
  trigger?: string;
  experiment?: string;
  /** Dry run: plan and report, run nothing, record nothing. */
  dry?: boolean;
  /** Tags recorded on the run (a sweep's id, the run a reproduction repeats). */
  tags?: Record<string, string>;
  /** Record the run even when every stage is up to date (a sweep wants a row per combination). */
  alwaysRecord?: boolean;
  /**
   * Model deps pinned to a version (`models:/churn@champion` → `churn/3`): a reproduction reads the
   * versions the original run read, wherever the aliases point now.
   */
  models?: Record<string, string>;
  /** A single command tracked as a run (`benchtop exec`): recorded as a script, no lock. */
  script?: { name: string };
  /** The run's name (`benchtop run --name`); a readable one is made up when left out. */
  name?: string;
  /** A sweep's job arrays: Slurm stages are submitted through them (see slurm-array.ts). */
  slurmArray?: ArrayMember;
}

export interface StageOutcome {
  name: string;
  status: StageRunStatus;
  reason: string;
  attempts: number;
  exitCode: number | null;
  durationMs: number | null;
}

export interface RunSummary {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** False when every stage was up to date: nothing ran and no run was recorded. */
  recorded: boolean;
  stages: StageOutcome[];
  /** Why a run whose stages all succeeded still failed (its metrics could not be saved). */
  error?: string;
}

const now = (): string => new Date().toISOString();

/** `{a.b: 1}` → `{a: {b: 1}}`, merged across params files. */
function nestParams(current: StagePlan['current']['params']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const values of Object.values(current)) {
    for (const [key, value] of Object.entries(values)) {
      const parts = key.split('.');
      let node = out;
      for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
      node[parts[parts.length - 1]!] = value;
    }
  }
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Splits a stream into lines, calling `onLine` for each complete one (and the tail at the end),
 * then `onChunk` once the lines of a chunk are through.
 */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void, onChunk: () => void): Promise<void> {
  return new Promise((resolve) => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      // Walk the buffer once and keep only the unfinished tail: slicing after every line would
      // copy the rest of the chunk again for each of its lines.
      let start = 0;
      let i: number;
      while ((i = buffer.indexOf('\n', start)) >= 0) {
        onLine(buffer.slice(start, buffer.charCodeAt(i - 1) === 13 && i > start ? i - 1 : i));
        start = i + 1;
      }
      buffer = start > 0 ? buffer.slice(start) : buffer;
      onChunk();
    });
    stream.on('end', () => {
      if (buffer) onLine(buffer);
      onChunk();
      resolve();
    });
  });
}

export class PipelineRun {
  private readonly running = new Set<ChildProcess>();
  private readonly outcomes = new Map<string, StageOutcome>();
  private readonly controller = new AbortController();
  private readonly hasher: FileHasher;
  private readonly params: ParamsFiles;
  private readonly runCache: RunCache;
  private readonly metricWriter: MetricWriter;
  private readonly pendingArtifacts: Promise<void>[] = [];
  private readonly stopping = new Map<ChildProcess, Promise<void>>();
  private readonly slurmJobs = new Set<SlurmJob>();

  constructor(
    private readonly ctx: RunContext,
    private readonly pipeline: Pipeline,
    private readonly opts: RunOptions = {},
    /** A run already recorded, when this one takes over its Slurm jobs (followLeftJobs). */
    readonly runId: string = newRunId(),
  ) {
    this.hasher = new FileHasher(ctx.projectDir, ctx.db, ctx.hashKeyPrefix);
    this.runCache = new RunCache(ctx.projectDir, ctx.db, path.join(ctx.home ?? ctx.projectDir, CACHE_DIR));
    this.params = new ParamsFiles(ctx.projectDir, opts.overrides);
    this.params.checkOverrides();
    this.metricWriter = new MetricWriter(ctx.db, {
      onFlushed: (latest) => {
        for (const p of latest)
          this.emit({
            name: 'run.metric',
            payload: { runId: p.runId, key: p.key, step: p.step, value: p.value, at: p.at },
          });
      },
    });
    opts.signal?.addEventListener('abort', () => this.cancel(), { once: true });
  }

  /** Events of a sweep's runs carry the sweep id, so views can tell them from the live run. */
  private emit(event: BenchtopEvent): void {
    const sweep = this.opts.tags?.sweep;
    if (sweep && (event.name === 'run.status' || event.name === 'stage.status' || event.name === 'run.log')) {
      this.ctx.emit({ ...event, payload: { ...event.payload, sweep } } as BenchtopEvent);
    } else this.ctx.emit(event);
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Ends every running stage's process tree; queued stages will not start. */
  cancel(): void {
    if (this.cancelled) return;
    this.controller.abort();
    for (const child of this.running) this.stopTree(child);
    for (const job of this.slurmJobs) void job.cancel();
  }

  /** Ends a stage command's processes once; its attempt waits for them before the run can end. */
  private stopTree(child: ChildProcess): void {
    if (!this.stopping.has(child)) this.stopping.set(child, killTree(child));
  }

  plan(): Promise<StagePlan[]> {
    return planPipeline(this.pipeline, readLock(this.ctx.projectDir), this.hasher, this.params, this.opts, (ref) =>
      modelDepHash(this.ctx.db, this.opts.models?.[ref] ?? ref),
    );
  }

  private setStage(
    name: string,
    status: StageRunStatus,
    patch: Partial<StageOutcome> & { reason?: string } = {},
  ): void {
    const prev = this.outcomes.get(name)!;
    const next = { ...prev, ...patch, status };
    this.outcomes.set(name, next);
    if (status !== 'running' && status !== 'queued') this.opts.slurmArray?.settled(name);
    const at = now();
    writeTransaction(this.ctx.db, () => {
      this.ctx.db
        .prepare(
          `UPDATE run_stages SET status = ?, reason = ?, attempts = ?, exit_code = ?, duration_ms = ?,
             started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ? ELSE started_at END,
             ended_at = CASE WHEN ? IN ('succeeded','failed','skipped','cancelled') THEN ? ELSE ended_at END
           WHERE run_id = ? AND stage = ?`,
        )
        .run(
          status,
          next.reason,
          next.attempts,
          next.exitCode,
          next.durationMs,
          status,
          at,
          status,
          at,
          this.runId,
          name,
        );
    });
    this.emit({ name: 'stage.status', payload: { runId: this.runId, stage: name, status, reason: next.reason, at } });
  }

  /** Records a protocol line; true when the line was one (it then stays out of the live log). */
  private recordMessage(stage: string, line: string, cwd: string): boolean {
    const parsed = parseProtocolLine(line);
    if (parsed === null) return false;
    if (!parsed.ok) {
      this.sayLive(stage, `ignored a malformed ::benchtop:: line (${parsed.error})`);
      return false;
    }
    const m = parsed.message;
    const db = this.ctx.db;
    try {
      if (m.type === 'metric') {
        this.metricWriter.add({ runId: this.runId, key: m.key, value: m.value, step: m.step });
      } else if (m.type === 'param') {
        writeTransaction(db, () =>
          db
            .prepare('INSERT OR REPLACE INTO run_params (run_id, key, value) VALUES (?, ?, ?)')
            .run(this.runId, m.key, String(m.value)),
        );
      } else if (m.type === 'tag') {
        writeTransaction(db, () =>
          db
            .prepare('INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)')
            .run(this.runId, m.key, m.value),
        );
      } else {
        this.pendingArtifacts.push(this.storeArtifact(stage, m.path, cwd));
      }
    } catch (err) {
      this.sayLive(stage, `ignored a ::benchtop:: line: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    return true;
  }

  /** Copies a declared artifact into the cache as the stage reports it, so later edits cannot change it. */
  private async storeArtifact(stage: string, declared: string, cwd: string): Promise<void> {
    const abs = path.resolve(cwd, declared);
    const rel = path.relative(this.ctx.projectDir, abs).split(path.sep).join('/');
    const name = rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(abs) : rel;
    try {
      // Only the project's own files are copied into the cache: never git's or Benchtop's (the
      // server token), nothing outside the project, and nothing through a link that leads out.
      const inProject = normalizeProjectPath(rel);
      if (inProject === null)
        throw policyError(
          declared,
          { reason: 'is outside the project', hint: 'Write artifacts inside the project folder.' },
          'artifact',
        );
      const source = resolveInProject(this.ctx.projectDir, inProject, 'read', {
        given: declared,
        field: 'artifact',
      }).abs;
      await logArtifactFile(this.ctx.home ?? this.ctx.projectDir, this.ctx.db, this.runId, name, source, stage);
    } catch (err) {
      // Still list it, without bytes, so the run shows what the stage meant to keep.
      writeTransaction(this.ctx.db, () =>
        this.ctx.db
          .prepare(
            `INSERT OR IGNORE INTO run_artifacts (run_id, stage, role, path, hash, type) VALUES (?, ?, 'artifact', ?, NULL, ?)`,
          )
          .run(this.runId, stage, name, artifactType(name)),
      );
      this.sayLive(stage, `could not keep artifact ${declared}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** One attempt at every command of a stage. Resolves with the exit code (null: killed). */
  private async attempt(
    plan: StagePlan,
    log: WriteStream,
    paramsFile: string,
    modelEnv: Record<string, string>,
  ): Promise<Attempted> {
    const stage = plan.stage;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...stage.env,
      ...modelEnv,
      BENCHTOP_RUN_ID: this.runId,
      BENCHTOP_STAGE: stage.name,
      BENCHTOP_PROJECT_DIR: this.ctx.projectDir,
      BENCHTOP_PARAMS_FILE: paramsFile,
      BENCHTOP_HELPERS_JS: resourcePath('helpers', 'js', 'benchtop.cjs'),
      PYTHONPATH: [resourcePath('helpers', 'python'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
      PYTHONUNBUFFERED: '1',
    };
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    if (stage.executor) {
      const own = Object.fromEntries(
        Object.entries(env).filter(
          ([k, v]) =>
            v !== undefined && (k in stage.env || k in modelEnv || k.startsWith('BENCHTOP_') || k.startsWith('PYTHON')),
        ),
      ) as Record<string, string>;
      return this.attemptOnSlurm(plan, log, own);
    }
    for (const cmd of stage.cmd) {
      if (this.cancelled) return { code: null, timedOut: false };
      log.write(`$ ${cmd}\n`);
      const child = startInGroup(withOwnNode(cmd), { cwd: path.join(this.ctx.projectDir, stage.wdir), env });
      this.running.add(child);
      let timedOut = false;
      const timer =
        stage.timeoutMs !== null ? setTimeout(() => ((timedOut = true), this.stopTree(child)), stage.timeoutMs) : null;
      const cwd = path.join(this.ctx.projectDir, stage.wdir);
      // The log file gets a chunk's lines in one write, not one write per line: a stage that
      // prints a million metric lines would otherwise queue a million small writes.
      let logText = '';
      const writeLog = (): void => {
        if (logText) log.write(logText);
        logText = '';
      };
      const onLine = (stream: 'stdout' | 'stderr') => (line: string) => {
        logText += `${line}\n`;
        if (stream === 'stdout' && this.recordMessage(stage.name, line, cwd)) return;
        this.emit({ name: 'run.log', payload: { runId: this.runId, stage: stage.name, stream, line, at: now() } });
      };
      const exit = new Promise<number | null>((resolve) => {
        child.once('error', (err) => {
          log.write(`benchtop: could not start the command: ${err.message}\n`);
          resolve(127);
        });
        child.once('close', (code) => resolve(code));
      });
      const [code] = await Promise.all([
        exit,
        lines(child.stdout!, onLine('stdout'), writeLog),
        lines(child.stderr!, onLine('stderr'), writeLog),
      ]);
      if (timer) clearTimeout(timer);
      // A killed stage's processes are gone before the run ends (and the CLI exits).
      await this.stopping.get(child);
      this.stopping.delete(child);
      this.metricWriter.flush();
      await Promise.all(this.pendingArtifacts.splice(0));
      this.running.delete(child);
      if (timedOut) return { code: null, timedOut: true };
      if (code !== 0) return { code, timedOut: false };
    }
    return { code: 0, timedOut: false };
  }

  /** The stage's commands as one Slurm batch job, followed to its end (see slurm.ts). */
  private async attemptOnSlurm(plan: StagePlan, log: WriteStream, env: Record<string, string>): Promise<Attempted> {
    const stage = plan.stage;
    const executor = this.pipeline.executors?.[stage.executor!];
    if (executor?.type !== 'slurm')
      return { code: null, timedOut: false, failure: `has no executor ${stage.executor}` };
    if (this.cancelled) return { code: null, timedOut: false };
    const dir = path.join(this.ctx.projectDir, TMP_DIR, this.runId);
    mkdirSync(dir, { recursive: true });
    const cwd = path.join(this.ctx.projectDir, stage.wdir);
    const project = path.basename(this.ctx.home ?? this.ctx.projectDir);
    const limit = timeLimitMs(executor, stage.timeoutMs);
    const safe = stage.name.replace(/[^A-Za-z0-9_.-]/g, '_');
    const spec = {
      jobName: `benchtop-${project}-${stage.name}`.replace(/\s/g, '_'),
      cwd,
      commands: stage.cmd,
      env,
      output: path.join(dir, `${safe}.slurm-%j.out`),
      timeLimitMs: limit,
    };
    for (const cmd of stage.cmd) log.write(`$ ${cmd}\n`);
    let job: SlurmJob;
    try {
      const script = path.join(dir, `${safe}.sbatch`);
      const say = (line: string): void => this.sayToLog(stage.name, log, line);
      job = await (this.opts.slurmArray?.submit(stage.name, executor, spec, script, this.controller.signal, say) ??
        SlurmJob.submit(executor, spec, script));
    } catch (err) {
      const failure = `could not be submitted to Slurm: ${err instanceof Error ? err.message : String(err)}`;
      this.sayToLog(stage.name, log, `stage ${stage.name} ${failure}`);
      return { code: null, timedOut: false, failure };
    }
    // With the job id, what a process needs to take the job over should this one stop. Not for a
    // working copy's run (a sweep): its folder goes with the process that made it.
    const record: SlurmFollowRecord | null =
      this.ctx.home === undefined
        ? {
            stage,
            current: plan.current,
            executor,
            output: job.outputFile,
            logPath: path.relative(this.ctx.projectDir, String(log.path)).split(path.sep).join('/'),
          }
        : null;
    writeTransaction(this.ctx.db, () => {
      this.tagJob(stage.name, 'job_id', job.jobId);
      this.ctx.db
        .prepare('UPDATE run_stages SET job_follow = ?, job_read_bytes = 0 WHERE run_id = ? AND stage = ?')
        .run(record ? JSON.stringify(record) : null, this.runId, stage.name);
    });
    this.sayToLog(
      stage.name,
      log,
      `submitted stage ${stage.name} to Slurm as job ${job.jobId} (executor ${stage.executor})`,
    );
    const end = await this.followSlurmJob(stage, executor, job, log, { fromByte: 0 });
    return end ?? { code: null, timedOut: false };
  }

  /** A line of Benchtop's own in the stage log and the live log. */
  private sayToLog(stage: string, log: WriteStream | ((text: string) => void), line: string): void {
    if (typeof log === 'function') log(`benchtop: ${line}\n`);
    else log.write(`benchtop: ${line}\n`);
    this.sayLive(stage, line);
  }

  /** A line of Benchtop's own in the live log only (the stage log is not open, or says it otherwise). */
  private sayLive(stage: string, line: string): void {
    this.emit({
      name: 'run.log',
      payload: { runId: this.runId, stage, stream: 'stderr', line: `benchtop: ${line}`, at: now() },
    });
  }

  /**
   * On the stage's row (the app and `benchtop runs` read it) and as run tags (they travel with the
   * run's record through sync): the job id, node, queue wait and state (the last one the final).
   */
  private tagJob(stage: string, key: 'job_id' | 'node' | 'queue_wait_s' | 'state', value: string): void {
    const column = { job_id: 'job_id', node: 'job_node', queue_wait_s: 'queue_wait_ms', state: 'job_state' }[key];
    writeTransaction(this.ctx.db, () => {
      this.ctx.db
        .prepare('INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)')
        .run(this.runId, `slurm.${stage}.${key}`, value);
      this.ctx.db
        .prepare(`UPDATE run_stages SET ${column} = ? WHERE run_id = ? AND stage = ?`)
        .run(key === 'queue_wait_s' ? Math.round(Number(value) * 1000) : value, this.runId, stage);
    });
  }

  /**
   * Follows a submitted job to its end: its output into the stage log and the run's records, its
   * states onto the stage, Benchtop's own watch of `timeout:`. Resolves null when `signal` stops
   * the following first (the project closed; the job goes on, for the next process to take over).
   */
  private async followSlurmJob(
    stage: Stage,
    executor: SlurmExecutor,
    job: SlurmJob,
    log: WriteStream,
    opts: { fromByte: number; signal?: AbortSignal },
  ): Promise<Attempted | null> {
    const cwd = path.join(this.ctx.projectDir, stage.wdir);
    const limit = timeLimitMs(executor, stage.timeoutMs);
    // From here the log is written synchronously, so that what the row says was read is in the log
    // before the row says so: the stream's earlier lines go first.
    await new Promise<void>((r) => log.write('', () => r()));
    const logFile = String(log.path);
    const append = (text: string): void => appendFileSync(logFile, text);
    const say = (line: string): void => this.sayToLog(stage.name, append, line);
    this.slurmJobs.add(job);
    if (this.cancelled) void job.cancel();
    // Benchtop's own watch counts from the job's start, as Slurm's --time does: time in the queue
    // is not the stage's (and a job taken over has already used some of its time).
    let timedOut = false;
    let timer: NodeJS.Timeout | null = null;
    const watch = (info: SlurmJobInfo): void => {
      if (stage.timeoutMs === null || timer) return;
      const ran = info.startTime ? Math.max(0, Date.now() - Date.parse(info.startTime)) : 0;
      timer = setTimeout(
        () => {
          timedOut = true;
          void job.cancel();
        },
        Math.max(0, stage.timeoutMs - (Number.isFinite(ran) ? ran : 0)),
      );
    };
    const reason = this.outcomes.get(stage.name)?.reason ?? '';
    // The job's state on the row (views in other processes read it) and to this process's views.
    const stageJob = (info: SlurmJobInfo): void => {
      this.tagJob(stage.name, 'state', info.state);
      this.emit({
        name: 'stage.status',
        payload: {
          runId: this.runId,
          stage: stage.name,
          status: 'running',
          reason,
          at: now(),
          job: { id: job.jobId, state: info.state, node: info.node },
        },
      });
    };
    // A short job may go from pending to its end between two looks: where it ran is said either way.
    let announced = false;
    const onState = (info: SlurmJobInfo): void => {
      stageJob(info);
      if (info.state === 'PENDING') {
        say(`Slurm job ${job.jobId} is pending${info.reason && info.reason !== 'None' ? ` (${info.reason})` : ''}`);
        return;
      }
      if (info.state === 'RUNNING') watch(info);
      if (announced || !info.startTime) return;
      announced = true;
      const waited =
        info.submitTime && info.startTime
          ? Math.max(0, (Date.parse(info.startTime) - Date.parse(info.submitTime)) / 1000)
          : null;
      if (info.node) this.tagJob(stage.name, 'node', info.node);
      if (waited !== null) this.tagJob(stage.name, 'queue_wait_s', String(waited));
      say(
        `Slurm job ${job.jobId} ${info.state === 'RUNNING' ? 'is running' : 'ran'} on ${info.node ?? 'a node'}${waited !== null ? ` after ${waited} s in the queue` : ''}`,
      );
    };
    const db = this.ctx.db;
    const markRead = db.prepare('UPDATE run_stages SET job_read_bytes = ? WHERE run_id = ? AND stage = ?');
    let end: SlurmJobInfo | null;
    try {
      end = await job.follow({
        onState,
        fromByte: opts.fromByte,
        ...(opts.signal ? { signal: opts.signal } : {}),
        // Each look's lines land with the offset they end at, in one transaction: a process that
        // takes the job over later reads on from there, so no metric is recorded twice. (Should the
        // process stop between the log write and the commit, those lines appear twice in the log.)
        onLines: (lines, readBytes) => {
          writeTransaction(db, () => {
            let text = '';
            for (const line of lines) {
              text += `${line}\n`;
              if (this.recordMessage(stage.name, line, cwd)) continue;
              this.emit({
                name: 'run.log',
                payload: { runId: this.runId, stage: stage.name, stream: 'stdout', line, at: now() },
              });
            }
            append(text);
            this.metricWriter.flush();
            markRead.run(readBytes, this.runId, stage.name);
          });
        },
      });
    } finally {
      if (timer) clearTimeout(timer);
      this.slurmJobs.delete(job);
    }
    if (end === null) return null;
    if (end.node) this.tagJob(stage.name, 'node', end.node);
    if (end.submitTime && end.startTime && end.state !== 'CANCELLED')
      this.tagJob(
        stage.name,
        'queue_wait_s',
        String(Math.max(0, (Date.parse(end.startTime) - Date.parse(end.submitTime)) / 1000)),
      );
    stageJob(end);
    this.metricWriter.flush();
    await Promise.all(this.pendingArtifacts.splice(0));
    if (this.cancelled) {
      say(`Slurm job ${job.jobId} cancelled (state ${end.state})`);
      return { code: null, timedOut: false };
    }
    if (timedOut)
      return {
        code: null,
        timedOut: true,
        failure: `timed out after ${stage.timeoutMs} ms: Benchtop cancelled Slurm job ${job.jobId} (state ${end.state})`,
      };
    if (end.state === 'UNKNOWN')
      return {
        code: null,
        timedOut: false,
        failure: `lost track of Slurm job ${job.jobId}: neither scontrol nor sacct knows it`,
      };
    const outcome = describeEnd(job.jobId, end, { mem: executor.mem, timeLimitMs: limit });
    say(outcome.message);
    return outcome.ok
      ? { code: 0, timedOut: false }
      : { code: outcome.code, timedOut: outcome.timedOut, failure: outcome.message };
  }

  private async runStage(plan: StagePlan): Promise<boolean> {
    const stage = plan.stage;
    const started = Date.now();
    const home = this.ctx.home ?? this.ctx.projectDir;
    const logPath = path.join(LOGS_DIR, this.runId, `${stage.name}.log`);
    mkdirSync(path.dirname(path.join(home, logPath)), { recursive: true });
    this.ctx.db
      .prepare('UPDATE run_stages SET log_path = ? WHERE run_id = ? AND stage = ?')
      .run(logPath, this.runId, stage.name);
    const paramsFile = path.join(this.ctx.projectDir, TMP_DIR, this.runId, `${stage.name}.params.json`);
    writeFileAtomic(paramsFile, JSON.stringify(nestParams(plan.current.params), null, 2));
    const log = createWriteStream(path.join(home, logPath), { flags: 'a' });
    // Deps are hashed now, after the stages that write them have run, for the lock.
    for (const d of stage.deps) plan.current.deps[d] = await this.hasher.hash(d);
    // Models too: a stage earlier in this run may have registered a version or moved the alias.
    const models: { env: string[]; model: ResolvedModel }[] = [];
    let modelProblem: string | null = null;
    for (const m of stage.models) {
      try {
        const model = resolveModelDep(this.ctx.db, this.opts.models?.[m.ref] ?? m.ref);
        plan.current.deps[m.ref] = model.lockHash;
        models.push({ env: m.env, model });
      } catch (err) {
        plan.current.deps[m.ref] = null;
        modelProblem ??= `dep ${m.ref}: ${err instanceof BenchtopError ? `${err.message.replace(/\.$/, '')}${err.hint ? ` (${err.hint.replace(/\.$/, '')})` : ''}` : String(err)}`;
      }
    }
    const signature = signatureOf(stage, plan.current);
    const cacheable = RunCache.applies(stage);
    try {
      if (modelProblem !== null) {
        log.write(`benchtop: stage ${stage.name} cannot run: ${modelProblem}\n`);
        this.setStage(stage.name, 'failed', { durationMs: Date.now() - started, reason: modelProblem });
        return false;
      }
      if (plan.modelRecheck && stage.models.every((m) => plan.current.deps[m.ref] === plan.modelRecheck![m.ref])) {
        const refs = stage.models.map((m) => m.ref).join(', ');
        log.write(`benchtop: ${refs} still name the versions the stage last ran with; nothing to do.\n`);
        plan.state = 'up-to-date'; // its metrics files are then read into this run, as other up-to-date stages' are
        this.setStage(stage.name, 'up-to-date', { durationMs: Date.now() - started, reason: `${refs} did not move` });
        return true;
      }
      if (cacheable && !this.opts.force) {
        this.setStage(stage.name, 'running', { attempts: 0, reason: plan.reasons.join('; ') });
        try {
          if (await this.runCache.restore(stage, signature)) {
            log.write(
              'benchtop: these inputs were seen before; outputs restored from the run cache instead of running.\n',
            );
            await this.finishStage(plan);
            this.setStage(stage.name, 'succeeded', {
              exitCode: 0,
              durationMs: Date.now() - started,
              reason: 'restored from the run cache',
            });
            return true;
          }
        } catch (err) {
          log.write(
            `benchtop: could not restore from the run cache (${err instanceof Error ? err.message : String(err)}); running the stage.\n`,
          );
        }
      }
      const modelEnv: Record<string, string> = {};
      try {
        for (const { env, model } of models) {
          const at = await materializeModel(home, model, path.join(this.ctx.projectDir, TMP_DIR, this.runId, 'models'));
          for (const v of env) modelEnv[v] = at;
          log.write(`benchtop: ${env[0]} = ${at} (${model.name} version ${model.version})\n`);
        }
      } catch (err) {
        const reason = `could not place the model for the stage: ${err instanceof Error ? err.message : String(err)}`;
        log.write(`benchtop: stage ${stage.name} ${reason}\n`);
        this.setStage(stage.name, 'failed', { durationMs: Date.now() - started, reason });
        return false;
      }
      for (let attempt = 1; ; attempt++) {
        this.setStage(stage.name, 'running', { attempts: attempt, reason: plan.reasons.join('; ') });
        // Outputs go before the stage runs, so a stale one can never pass for a new one; the path
        // policy is asked again here, on the disk as it is now, so nothing outside the outs goes.
        try {
          const doomed = stage.outs.filter((o) => !o.persist);
          for (const o of doomed) checkRemovable(this.ctx.projectDir, o.path, { field: 'outs' }); // all, before any goes
          for (const o of doomed) removeInProject(this.ctx.projectDir, o.path, { field: 'outs' });
        } catch (err) {
          const reason = `did not run: ${err instanceof Error ? err.message : String(err)}${err instanceof BenchtopError && err.hint ? ` ${err.hint}` : ''}`;
          log.write(`benchtop: stage ${stage.name} ${reason}\n`);
          this.setStage(stage.name, 'failed', { durationMs: Date.now() - started, reason });
          return false;
        }
        const attempted = await this.attempt(plan, log, paramsFile, modelEnv);
        const durationMs = Date.now() - started;
        if (this.cancelled) {
          this.setStage(stage.name, 'cancelled', { exitCode: attempted.code, durationMs, reason: 'cancelled' });
          return false;
        }
        const end = await this.settleAttempt(plan, log, attempted, durationMs, signature);
        if (typeof end === 'boolean') return end;
        log.write(`benchtop: stage ${stage.name} ${end.failure} (attempt ${attempt} of ${stage.retries + 1})\n`);
        if (attempt > stage.retries) {
          this.setStage(stage.name, 'failed', { exitCode: end.code, durationMs, reason: end.failure });
          return false;
        }
        await sleep(stage.retryDelayMs * 2 ** (attempt - 1), this.controller.signal);
      }
    } finally {
      await new Promise<void>((r) => log.end(() => r()));
    }
  }

  /**
   * What an attempt's end makes of the stage: succeeded (outputs into the run cache and the lock)
   * or failed for good, recorded (true / false); or why the attempt failed, for a retry to decide.
   */
  private async settleAttempt(
    plan: StagePlan,
    log: WriteStream,
    { code, timedOut, failure: why }: Attempted,
    durationMs: number,
    signature: string,
  ): Promise<boolean | { failure: string; code: number | null }> {
    const stage = plan.stage;
    let failure: string | null = why
      ? why
      : timedOut
        ? `timed out after ${stage.timeoutMs} ms`
        : code !== 0
          ? `exited with code ${code}`
          : null;
    if (!failure) {
      const missing = stage.outs.filter((o) => !existsSync(path.join(this.ctx.projectDir, o.path))).map((o) => o.path);
      if (missing.length) failure = `finished but did not write ${missing.join(', ')}`;
    }
    if (failure) return { failure, code };
    if (RunCache.applies(stage)) {
      await this.runCache
        .save(stage, signature, this.runId)
        .catch((err: unknown) => log.write(`benchtop: could not save to the run cache: ${String(err)}\n`));
    }
    try {
      await this.finishStage(plan, log);
    } catch (err) {
      // Not retried: the command did its work; what failed is the registry, and a retry would only register again.
      if (!(err instanceof RegistrationError)) throw err;
      log.write(`benchtop: stage ${stage.name} ${err.message}\n`);
      this.sayLive(stage.name, `${err.message}`);
      this.setStage(stage.name, 'failed', { exitCode: 0, durationMs, reason: err.message });
      return false;
    }
    this.setStage(stage.name, 'succeeded', { exitCode: 0, durationMs, reason: '' });
    return true;
  }

  /** A stage's declared metrics files into the run's metrics (step 0, keys by path). */
  private readMetricsFiles(stage: Stage): void {
    for (const o of stage.outs.filter((x) => x.kind === 'metric')) {
      if (!existsSync(path.join(this.ctx.projectDir, o.path))) continue;
      try {
        const values = readMetricsFile(path.join(this.ctx.projectDir, o.path));
        writeTransaction(this.ctx.db, () => {
          const put = this.ctx.db.prepare(
            'INSERT OR REPLACE INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, 0, ?, ?)',
          );
          for (const [k, v] of Object.entries(values)) put.run(this.runId, k, v, now());
        });
      } catch (err) {
        this.sayLive(stage.name, `could not read metrics file ${o.path}: ${String(err)}`);
      }
    }
  }

  /**
   * After success: metrics files into the store, outs registered as model versions where they say
   * so, output hashes into the lock (only once all that worked, so a failed registration reruns).
   */
  /**
   * Git-ignores a succeeded stage's outputs (one anchored line each), as they are rebuilt by the
   * pipeline and kept by the run cache rather than committed. Not for an out with cache: false (the
   * user keeps it by hand), nor when benchtop.yaml says gitignore_outs: false, nor for a tracked
   * script's outs (not the pipeline's). A folder holding data pointers (.bt) is left alone, so the
   * pointers that version the data stay visible to git.
   */
  private ignoreOuts(stage: Stage, log?: WriteStream): void {
    if (this.opts.script || this.pipeline.gitignoreOuts === false) return;
    const entries: string[] = [];
    for (const o of stage.outs) {
      if (!o.cache || o.path.endsWith(POINTER_SUFFIX) || o.path === '.gitignore') continue;
      const abs = path.join(this.ctx.projectDir, o.path);
      let isDir: boolean;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        continue;
      }
      if (isDir && readdirSync(abs, { recursive: true }).some((f) => String(f).endsWith(POINTER_SUFFIX))) continue;
      entries.push(anchoredEntry(o.path, isDir));
    }
    try {
      ignoreStageOuts(this.ctx.projectDir, entries);
    } catch (err) {
      // The stage did its work; an unwritable .gitignore only leaves its outputs visible to git.
      log?.write(
        `benchtop: could not add the outputs to .gitignore: ${err instanceof Error ? err.message : String(err)}\n`,
      );
    }
  }

  private async finishStage(plan: StagePlan, log?: WriteStream): Promise<void> {
    const stage = plan.stage;
    this.ignoreOuts(stage, log);
    const outs: Record<string, string | null> = {};
    for (const o of stage.outs) outs[o.path] = await this.hasher.hash(o.path);
    this.readMetricsFiles(stage);
    writeTransaction(this.ctx.db, () => {
      const put = this.ctx.db.prepare(
        'INSERT OR REPLACE INTO run_artifacts (run_id, stage, role, path, hash) VALUES (?, ?, ?, ?, ?)',
      );
      for (const [p, h] of Object.entries(plan.current.deps)) put.run(this.runId, stage.name, 'dep', p, h);
      for (const [p, h] of Object.entries(outs)) put.run(this.runId, stage.name, 'out', p, h);
    });
    // Lineage: the version of each tracked dataset among the deps, as a run input.
    await recordLineage(this.ctx.db, this.ctx.projectDir, this.hasher, this.runId, stage.deps).catch((err: unknown) =>
      this.emit({
        name: 'run.log',
        payload: {
          runId: this.runId,
          stage: stage.name,
          stream: 'stderr',
          line: `benchtop: could not record the data versions used: ${String(err)}`,
          at: now(),
        },
      }),
    );
    const registered = await registerStageOuts(
      this.ctx.projectDir,
      this.ctx.home ?? this.ctx.projectDir,
      this.ctx.db,
      this.runId,
      stage,
      (line) => {
        log?.write(`benchtop: ${line}\n`);
        this.emit({
          name: 'run.log',
          payload: { runId: this.runId, stage: stage.name, stream: 'stdout', line: `benchtop: ${line}`, at: now() },
        });
      },
    );
    if (this.opts.script) return; // a tracked script is not part of the pipeline's lock
    // A stage that depends on an alias and moved it itself (it beat the champion, and is now the
    // champion) is not out of date for that: the lock takes the alias as it now stands, so the next
    // run does not compare the new champion with itself. The run's artifacts keep what it read.
    const deps = { ...plan.current.deps };
    for (const m of stage.models) {
      if (this.opts.models?.[m.ref]) continue;
      const { name, selector } = parseModelDep(m.ref);
      if (registered.some((r) => r.name === name && r.alias === selector && r.movedFrom !== undefined))
        deps[m.ref] = modelDepHash(this.ctx.db, m.ref);
    }
    const lock = readLock(this.ctx.projectDir);
    lock.stages[stage.name] = { ...plan.current, deps, outs };
    writeLock(this.ctx.projectDir, lock);
  }

  private async createRecord(plans: StagePlan[]): Promise<void> {
    const db = this.ctx.db;
    // Isolated working copies are not repositories: they record the commit they came from.
    const commit = this.ctx.commit !== undefined ? this.ctx.commit : await headCommit(this.ctx.projectDir);
    const dirty = this.ctx.commit !== undefined ? false : await isDirty(this.ctx.projectDir);
    const experiment = this.opts.experiment ?? 'pipeline';
    writeTransaction(db, () => {
      db.prepare('INSERT OR IGNORE INTO experiments (name, description) VALUES (?, ?)').run(
        experiment,
        'Runs of benchtop.yaml',
      );
      const exp = (db.prepare('SELECT id FROM experiments WHERE name = ?').get(experiment) as { id: number }).id;
      db.prepare(
        `INSERT INTO runs (id, experiment_id, name, status, started_at, git_commit, git_dirty, pid, kind, trigger, source) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        this.runId,
        exp,
        this.opts.script?.name ?? this.opts.name ?? uniqueRunName(db, this.runId),
        now(),
        commit,
        dirty === null ? null : dirty ? 1 : 0,
        process.pid,
        this.opts.script ? 'script' : 'pipeline',
        this.opts.trigger ?? 'manual',
        this.opts.script ? 'exec' : 'pipeline',
      );
      const add = db.prepare('INSERT INTO run_stages (run_id, stage, position, status, reason) VALUES (?, ?, ?, ?, ?)');
      plans.forEach((p, i) =>
        add.run(this.runId, p.stage.name, i, p.state === 'will-run' ? 'queued' : 'up-to-date', p.reasons.join('; ')),
      );
      const tag = db.prepare('INSERT OR REPLACE INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
      for (const [k, v] of Object.entries(this.opts.tags ?? {})) tag.run(this.runId, k, v);
      const param = db.prepare('INSERT OR REPLACE INTO run_params (run_id, key, value) VALUES (?, ?, ?)');
      for (const p of plans)
        for (const [file, values] of Object.entries(p.current.params))
          for (const [k, v] of Object.entries(values))
            param.run(
              this.runId,
              file === 'params.yaml' ? k : `${file}:${k}`,
              typeof v === 'string' ? v : JSON.stringify(v),
            );
    });
    this.emit({ name: 'run.status', payload: { runId: this.runId, status: 'running', at: now() } });
  }

  async execute(): Promise<RunSummary> {
    const plans = await this.plan();
    this.opts.slurmArray?.planned(plans.filter((p) => p.state === 'will-run').map((p) => p.stage.name));
    for (const p of plans)
      this.outcomes.set(p.stage.name, {
        name: p.stage.name,
        status: p.state === 'will-run' ? 'queued' : 'up-to-date',
        reason: p.reasons.join('; '),
        attempts: 0,
        exitCode: null,
        durationMs: null,
      });
    if (this.opts.dry || (!this.opts.alwaysRecord && !plans.some((p) => p.state === 'will-run'))) {
      if (!this.opts.dry)
        this.emit({ name: 'run.status', payload: { runId: this.runId, status: 'succeeded', at: now() } });
      return { runId: this.runId, status: 'succeeded', recorded: false, stages: [...this.outcomes.values()] };
    }
    await this.createRecord(plans);
    try {
      return await this.runStages(plans);
    } catch (err) {
      // Never leave a run "running" behind an unexpected failure: end its stages and record it.
      this.cancel();
      try {
        writeTransaction(this.ctx.db, () => {
          this.ctx.db
            .prepare(
              `UPDATE run_stages SET status = 'cancelled', reason = ? WHERE run_id = ? AND status IN ('queued', 'running')`,
            )
            .run(`the run failed: ${String(err)}`, this.runId);
          this.ctx.db.prepare(`UPDATE runs SET status = 'failed', ended_at = ? WHERE id = ?`).run(now(), this.runId);
        });
      } catch {
        // The database itself is gone (closed project): the next open marks the run interrupted.
      }
      this.emit({ name: 'run.status', payload: { runId: this.runId, status: 'failed', at: now() } });
      // A full disk may stop the run's own records too: its metrics still go to a file, and the
      // error says so instead of showing SQLite's bare message.
      const kept = this.keepUnsavedMetrics();
      if (isStorageFull(err)) {
        throw new BenchtopError(
          'INTERNAL',
          `Run ${this.runId} could not be recorded: ${(err as Error).message}.${kept ? ` ${kept}` : ''}`,
          { hint: 'Free some disk space, then run again.' },
        );
      }
      if (kept)
        this.emit({
          name: 'run.log',
          payload: { runId: this.runId, stage: 'benchtop', stream: 'stderr', line: `benchtop: ${kept}`, at: now() },
        });
      throw err;
    }
  }

  /**
   * Takes over this run's Slurm jobs, left pending or running by a process that stopped (the
   * caller has claimed the run: slurm-follow.ts). Each job is followed to its end and its stage
   * recorded as if it had run here (log, metrics, outputs into the run cache and the lock); stages
   * that never started are cancelled, saying how to go on. Resolves null when `signal` stops the
   * following first (the project closed): the run is then left for the next process.
   */
  async followLeftJobs(jobs: LeftJob[], signal?: AbortSignal): Promise<RunSummary | null> {
    const rows = this.ctx.db
      .prepare(
        'SELECT stage, status, reason, attempts, exit_code, duration_ms, started_at FROM run_stages WHERE run_id = ? ORDER BY position',
      )
      .all(this.runId) as {
      stage: string;
      status: StageRunStatus;
      reason: string | null;
      attempts: number;
      exit_code: number | null;
      duration_ms: number | null;
      started_at: string | null;
    }[];
    for (const r of rows)
      this.outcomes.set(r.stage, {
        name: r.stage,
        status: r.status,
        reason: r.reason ?? '',
        attempts: r.attempts,
        exitCode: r.exit_code,
        durationMs: r.duration_ms,
      });
    const followed = new Set(jobs.map((j) => j.stage));
    for (const r of rows) {
      if (r.status === 'queued') this.setStage(r.stage, 'cancelled', { reason: NOT_STARTED_REASON });
      else if (r.status === 'running' && !followed.has(r.stage))
        this.setStage(r.stage, 'cancelled', { reason: 'interrupted: Benchtop stopped before the stage finished' });
    }
    this.emit({ name: 'run.status', payload: { runId: this.runId, status: 'running', at: now() } });
    const startedAt = new Map(rows.map((r) => [r.stage, r.started_at]));
    const ends = await Promise.all(jobs.map((j) => this.followLeftJob(j, startedAt.get(j.stage) ?? null, signal)));
    if (ends.includes(null)) return null;
    return this.finishRun();
  }

  private async followLeftJob(left: LeftJob, startedAt: string | null, signal?: AbortSignal): Promise<boolean | null> {
    const { record } = left;
    const stage = record.stage;
    const plan: StagePlan = { stage, state: 'will-run', reasons: [], current: record.current };
    const started = startedAt ? Date.parse(startedAt) : Date.now();
    const log = createWriteStream(path.join(this.ctx.projectDir, record.logPath), { flags: 'a' });
    try {
      this.setStage(stage.name, 'running', {
        reason: `Slurm job ${left.jobId}, taken over from a process that stopped`,
      });
      this.sayToLog(
        stage.name,
        log,
        `following Slurm job ${left.jobId} of run ${this.runId}, left by a process that stopped`,
      );
      const job = SlurmJob.attach(record.executor, left.jobId, record.output);
      const attempted = await this.followSlurmJob(stage, record.executor, job, log, {
        fromByte: left.readBytes,
        ...(signal ? { signal } : {}),
      });
      if (attempted === null) return null;
      const durationMs = Date.now() - started;
      if (this.cancelled) {
        this.setStage(stage.name, 'cancelled', { exitCode: attempted.code, durationMs, reason: 'cancelled' });
        return false;
      }
      const end = await this.settleAttempt(plan, log, attempted, durationMs, signatureOf(stage, record.current));
      if (typeof end === 'boolean') return end;
      // No retry: the process that would have resubmitted it is gone; `benchtop run` runs it again.
      log.write(`benchtop: stage ${stage.name} ${end.failure}\n`);
      this.setStage(stage.name, 'failed', { exitCode: end.code, durationMs, reason: end.failure });
      return false;
    } finally {
      await new Promise<void>((r) => log.end(() => r()));
    }
  }

  private async runStages(plans: StagePlan[]): Promise<RunSummary> {
    const dag = buildDag(this.pipeline.stages);
    const jobs = Math.max(1, this.opts.jobs ?? os.availableParallelism());
    const pending = new Map(plans.filter((p) => p.state === 'will-run').map((p) => [p.stage.name, p]));
    const active = new Map<string, Promise<void>>();
    const blocked = (s: Stage): boolean => [...dag.upstream.get(s.name)!].some((u) => pending.has(u) || active.has(u));

    while ((pending.size || active.size) && !this.cancelled) {
      for (const [name, plan] of pending) {
        if (active.size >= jobs || this.cancelled) break;
        if (blocked(plan.stage)) continue;
        pending.delete(name);
        active.set(
          name,
          this.runStage(plan).then((ok) => {
            active.delete(name);
            if (ok || this.cancelled) return;
            // Everything downstream of a failed stage is skipped; other branches go on.
            for (const d of withDownstream([name], dag)) {
              if (d !== name && pending.delete(d)) this.setStage(d, 'skipped', { reason: `because ${name} failed` });
            }
          }),
        );
      }
      if (active.size === 0) break;
      await Promise.race(active.values());
    }
    await Promise.all(active.values());
    for (const name of pending.keys()) this.setStage(name, 'cancelled', { reason: 'cancelled before it started' });
    // Up-to-date stages' metrics belong to this run too: its record then holds the pipeline's
    // current figures, whatever part of it ran.
    for (const p of plans) if (p.state === 'up-to-date') this.readMetricsFiles(p.stage);
    return this.finishRun();
  }

  /** Records the run's end from its stages' outcomes, and says so. */
  private finishRun(): RunSummary {
    const error = this.keepUnsavedMetrics();

    const statuses = [...this.outcomes.values()].map((o) => o.status);
    const status: RunSummary['status'] = this.cancelled
      ? 'cancelled'
      : statuses.includes('failed') || error
        ? 'failed'
        : 'succeeded';
    writeTransaction(this.ctx.db, () => {
      this.ctx.db.prepare(`UPDATE runs SET status = ?, ended_at = ? WHERE id = ?`).run(status, now(), this.runId);
    });
    rmSync(path.join(this.ctx.projectDir, TMP_DIR, this.runId), { recursive: true, force: true });
    this.emit({ name: 'run.status', payload: { runId: this.runId, status, at: now() } });
    return {
      runId: this.runId,
      status,
      recorded: true,
      stages: [...this.outcomes.values()],
      ...(error ? { error } : {}),
    };
  }

  /**
   * Metric points the database would not take (a full disk) go to a file beside the run's logs, so
   * they are never lost without a word; the run then fails with a reason naming the file.
   */
  private keepUnsavedMetrics(): string | null {
    const { unsaved, error } = this.metricWriter.settle();
    if (unsaved.length === 0) return null;
    const file = path.join(this.ctx.home ?? this.ctx.projectDir, LOGS_DIR, this.runId, 'metrics-unsaved.jsonl');
    const why = error ? error.message.replace(/\.$/, '') : 'the write failed';
    const points = `${unsaved.length} metric point${unsaved.length === 1 ? '' : 's'}`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      // NaN and ±Infinity as their names: JSON would turn them into null.
      appendFileSync(
        file,
        unsaved
          .map((p) =>
            JSON.stringify({
              key: p.key,
              value: Number.isFinite(p.value) ? p.value : String(p.value),
              step: p.step,
              at: p.at,
            }),
          )
          .join('\n') + '\n',
      );
      return `${points} could not be saved to the project database (${why}). They are kept in ${file}, one JSON point per line: free some disk space, then log them again from that file.`;
    } catch (err) {
      return `${points} could not be saved to the project database (${why}), nor kept in ${file} (${err instanceof Error ? err.message : String(err)}): free some disk space and run again.`;
    }
  }
}
