// Runs in: main (core). The pipeline as the shells see it: status, runs in the background (one at
// a time per project, so runs never overwrite each other's outputs), cancel, history and logs.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import {
  type JobColumns,
  type PipelineRunRow,
  type PipelineStatus,
  type StageRunRow,
  type SweepView,
  withJob,
} from '../../../shared/contract/schemas';
import { expandSweep, newSweepId, runSweep, type SweepOptions, type SweepRunResult } from './sweeps';
import type { Pipeline } from './definition';
import { FileHasher } from '../util/hashing';
import { loadPipeline, ParamsFiles, type ParamOverride } from './load';
import { readLock } from './lock';
import { modelDepHash } from './models/deps';
import { planPipeline } from './plan';
import { PipelineRun, type RunOptions, type RunSummary } from './runner';
import { followLeftRuns, releaseRun, unfollowedRuns } from './slurm-follow';

const MAX_LOG_BYTES = 1024 * 1024;

export type SweepResult = { sweepId: string; runs: SweepRunResult[] };

export class PipelineService {
  private active: { run: PipelineRun; done: Promise<RunSummary> } | null = null;
  /** The last run started, kept after it ends so a caller can still wait for its summary. */
  private last: { runId: string; done: Promise<RunSummary> } | null = null;
  private sweep: {
    view: SweepView;
    controller: AbortController;
    done: Promise<void>;
    /** Set when the sweep ends: its runs in full, or what stopped it. */
    outcome?: { result: SweepResult } | { error: unknown };
  } | null = null;
  /** Runs taken over from processes that stopped, followed here until their Slurm jobs end. */
  private readonly followers = new Map<string, PipelineRun>();
  /** Runs this service claimed, to give back should the project close first. */
  private readonly claimed = new Set<string>();
  /** The taking over in progress; the next one waits for it. */
  private following: Promise<void> = Promise.resolve();
  private readonly detach = new AbortController();

  constructor(
    private readonly projectDir: string,
    private readonly db: Database,
    private readonly emit: (event: BenchtopEvent) => void,
    /** Takes the project lock (one writer per project) for a run or sweep; held until it ends. */
    private readonly lock: () => Promise<() => void> = async () => () => undefined,
  ) {}

  /** Runs `work` holding the project lock; the run or sweep is already this service's active one meanwhile. */
  private async locked<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await work();
    } finally {
      release();
    }
  }

  get activeRunId(): string | null {
    return this.active?.run.runId ?? null;
  }

  private pipeline() {
    const p = loadPipeline(this.projectDir);
    if (!p)
      throw new BenchtopError('NOT_FOUND', 'This project has no benchtop.yaml.', {
        hint: 'Describe the stages in benchtop.yaml at the project root.',
      });
    return p;
  }

  async status(overrides: ParamOverride[] = []): Promise<PipelineStatus> {
    const pipeline = loadPipeline(this.projectDir);
    if (!pipeline) return { stages: [], activeRunId: this.activeRunId };
    const params = new ParamsFiles(this.projectDir, overrides);
    params.checkOverrides();
    const plans = await planPipeline(
      pipeline,
      readLock(this.projectDir),
      new FileHasher(this.projectDir, this.db),
      params,
      {},
      (ref) => modelDepHash(this.db, ref),
    );
    return {
      stages: plans.map((p) => ({ name: p.stage.name, state: p.state, reasons: p.reasons })),
      activeRunId: this.activeRunId,
    };
  }

  /** Starts a run and returns as soon as it is recorded; `done` settles when it ends. */
  async start(opts: RunOptions, loaded?: Pipeline): Promise<{ runId: string; done: Promise<RunSummary> }> {
    if (this.active) {
      throw new BenchtopError('BUSY', `Pipeline run ${this.active.run.runId} is still running in this project.`, {
        hint: 'Wait for it to finish, or cancel it first.',
      });
    }
    const pipeline = loaded ?? this.pipeline();
    for (const t of opts.targets ?? []) {
      if (!pipeline.stages.some((s) => s.name === t || s.source === t)) {
        throw new BenchtopError('NOT_FOUND', `There is no stage named ${t} in benchtop.yaml.`, {
          field: 'targets',
          hint: `Stages: ${pipeline.stages.map((s) => s.name).join(', ')}.`,
        });
      }
    }
    const run = new PipelineRun({ projectDir: this.projectDir, db: this.db, emit: this.emit }, pipeline, opts);
    // A job left by a process that stopped ends first: its stage is then skipped, not submitted twice.
    const done = this.followLeftRuns()
      .then(() => this.locked(() => run.execute()))
      .finally(() => {
        if (this.active?.run === run) this.active = null;
      });
    // Callers that started a run in the background may never await it: an unexpected failure is
    // reported as a log event instead of crashing the process as an unhandled rejection.
    done.catch((err: unknown) =>
      this.emit({
        name: 'run.log',
        payload: {
          runId: run.runId,
          stage: '',
          stream: 'stderr',
          line: `benchtop: the run failed: ${err instanceof Error ? err.message : String(err)}`,
          at: new Date().toISOString(),
        },
      }),
    );
    this.active = { run, done };
    this.last = { runId: run.runId, done };
    // Surface planning errors (a broken lock file) to the caller instead of as an unhandled rejection.
    await Promise.race([done.then(() => undefined), new Promise<void>((r) => setImmediate(r))]);
    return { runId: run.runId, done };
  }

  /** The summary of the active (or last) run once it ends (`benchtop run` waits for its run). */
  wait(runId: string): Promise<RunSummary> {
    if (this.last?.runId !== runId)
      throw new BenchtopError('NOT_FOUND', `Pipeline run ${runId} is not running in this session.`, {
        hint: 'Wait for the runs this process started; past runs are in the list of runs.',
      });
    return this.last.done;
  }

  /** Every run of the running (or last) sweep once it ends (`benchtop run --sweep` waits for it). */
  async waitSweep(sweepId: string): Promise<SweepResult> {
    const sweep = this.sweep;
    if (sweep?.view.sweepId !== sweepId)
      throw new BenchtopError('NOT_FOUND', `Sweep ${sweepId} is not running in this session.`, {
        hint: 'Wait for the sweeps this process started.',
      });
    await sweep.done;
    const outcome = sweep.outcome!;
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /** Starts a sweep in the background; `sweep.changed` events report each item's progress. */
  async startSweep(opts: Omit<SweepOptions, 'onProgress' | 'sweepId' | 'signal'>): Promise<SweepView> {
    if (this.sweep?.view.running)
      throw new BenchtopError('BUSY', `Sweep ${this.sweep.view.sweepId} is still running.`, {
        hint: 'Wait for it, or cancel it first.',
      });
    const grid = expandSweep(opts.sweeps);
    if (grid.length > 256)
      throw new BenchtopError('INVALID_INPUT', `That sweep has ${grid.length} combinations; the limit is 256.`, {
        field: 'sweeps',
        hint: 'Sweep fewer values at once.',
      });
    const controller = new AbortController();
    const sweepId = newSweepId();
    const label = (o: ParamOverride): string => (o.file === 'params.yaml' ? o.key : `${o.file}:${o.key}`);
    const view: SweepView = {
      sweepId,
      running: true,
      items: grid.map((combo) => ({
        params: Object.fromEntries([...(opts.overrides ?? []), ...combo].map((o) => [label(o), String(o.value)])),
        status: 'queued',
        runId: null,
        error: null,
        metrics: {},
      })),
    };
    const publish = (): void => this.emit({ name: 'sweep.changed', payload: structuredClone(view) });
    const record: NonNullable<PipelineService['sweep']> = { view, controller, done: Promise.resolve() };
    const done = this.locked(() =>
      runSweep(this.projectDir, this.db, this.emit, {
        ...opts,
        sweepId,
        signal: controller.signal,
        onProgress: (i, status, result) => {
          const item = view.items[i]!;
          item.status = status;
          item.runId = result.summary?.runId ?? null;
          item.error = result.error;
          item.metrics = result.metrics;
          publish();
        },
      }),
    )
      .then((result) => {
        record.outcome = { result };
      })
      .catch((err: unknown) => {
        record.outcome = { error: err };
        for (const item of view.items)
          if (item.status === 'queued' || item.status === 'running')
            (item.status = 'error'), (item.error = String(err));
      })
      .then(() => {
        view.running = false;
        publish();
      });
    record.done = done;
    this.sweep = record;
    // Problems found before anything runs (an unknown param) reach the caller, as they were raised.
    await Promise.race([done, new Promise<void>((r) => setImmediate(r))]);
    const failedEarly = view.items.find((i) => i.status === 'error');
    if (failedEarly && !view.running) {
      const early = record.outcome && 'error' in record.outcome ? record.outcome.error : null;
      if (early instanceof BenchtopError) throw early;
      throw new BenchtopError('INVALID_INPUT', failedEarly.error ?? 'the sweep could not start', { field: 'sweeps' });
    }
    return structuredClone(view);
  }

  sweepStatus(): SweepView | null {
    return this.sweep ? structuredClone(this.sweep.view) : null;
  }

  cancelSweep(): boolean {
    if (!this.sweep?.view.running) return false;
    this.sweep.controller.abort();
    return true;
  }

  cancel(runId: string): boolean {
    const followed = this.followers.get(runId);
    if (followed) {
      followed.cancel();
      return true;
    }
    if (this.active?.run.runId !== runId) return false;
    this.active.run.cancel();
    return true;
  }

  /**
   * Takes over the runs whose process stopped while their Slurm jobs were pending or running
   * (slurm-follow.ts), holding the project lock as a run does, and follows them to their end;
   * resolves once they (and any this service already follows) have ended.
   */
  followLeftRuns(): Promise<void> {
    const next = this.following.then(async () => {
      if (this.detach.signal.aborted || unfollowedRuns(this.db).length === 0) return;
      await this.locked(() =>
        followLeftRuns(
          { projectDir: this.projectDir, db: this.db, emit: this.emit },
          {
            signal: this.detach.signal,
            onClaim: (runId) => this.claimed.add(runId),
            onRun: (run) => this.followers.set(run.runId, run),
          },
        ),
      );
    });
    this.following = next
      .catch(() => undefined)
      .finally(() => {
        this.followers.clear();
        this.claimed.clear();
      });
    return next;
  }

  /** Stops following (the project closes); the runs are given back for the next process, their jobs go on. */
  detachFollowers(): void {
    this.detach.abort();
    // Only a run still open and still this process's is given back (releaseRun checks both).
    for (const runId of this.claimed) releaseRun(this.db, runId);
  }

  /** Waits for the active run, if any (used when closing the project). */
  async settle(): Promise<void> {
    await this.active?.done.catch(() => undefined);
    await this.sweep?.done;
  }

  runs(limit: number): PipelineRunRow[] {
    const runs = this.db
      .prepare(
        `SELECT id, status, trigger, started_at AS startedAt, ended_at AS endedAt, git_commit AS gitCommit FROM runs WHERE kind = 'pipeline' ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(limit) as Omit<PipelineRunRow, 'stages'>[];
    const stages = this.db.prepare(
      `SELECT stage AS name, status, reason, started_at AS startedAt, ended_at AS endedAt, duration_ms AS durationMs, attempts, exit_code AS exitCode,
                job_id AS jobId, job_node AS jobNode, queue_wait_ms AS queueWaitMs
         FROM run_stages WHERE run_id = ? ORDER BY position`,
    );
    return runs.map((r) => ({ ...r, stages: (stages.all(r.id) as JobColumns<StageRunRow>[]).map(withJob) }));
  }

  log(runId: string, stage: string): { text: string; truncated: boolean } {
    const row = this.db
      .prepare('SELECT log_path AS logPath FROM run_stages WHERE run_id = ? AND stage = ?')
      .get(runId, stage) as { logPath: string | null } | undefined;
    if (!row)
      throw new BenchtopError('NOT_FOUND', `Run ${runId} has no stage ${stage}.`, {
        hint: 'Pick a run and stage from the list of runs.',
      });
    const file = row.logPath ? path.join(this.projectDir, row.logPath) : null;
    if (!file || !existsSync(file)) return { text: '', truncated: false };
    const size = statSync(file).size;
    const length = Math.min(size, MAX_LOG_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return { text: buffer.toString('utf8'), truncated: size > length };
  }
}
