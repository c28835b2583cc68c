// Runs in: main (core). Experiments on the pipeline: sweeps (a grid of param values run as a
// queue, each in its own working copy) and reproductions of past runs from their exact commit.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYamlValue } from 'yaml';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { headCommit, resolveRevision } from '../git/git';
import { overlaps } from './graph';
import { loadPipeline, parseOverride, ParamsFiles, type ParamOverride } from './load';
import type { Stage } from './definition';
import { PipelineRun, type RunSummary } from './runner';
import { SlurmArrayBatcher } from './slurm-array';
import { TMP_DIR } from '../util/layout';
import { copyOfCommit, copyOfWorkingTree, type WorkingCopy } from './working-copy';

/** `train.lr=0.1,0.3` twice over → the grid of every combination, as override sets. */
export function expandSweep(specs: readonly string[]): ParamOverride[][] {
  let grid: ParamOverride[][] = [[]];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const values =
      eq > 0
        ? spec
            .slice(eq + 1)
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== '')
        : [];
    if (values.length === 0)
      throw new BenchtopError('INVALID_INPUT', `"${spec}" is not key=a,b,c.`, {
        field: 'sweep',
        hint: 'Write it as train.lr=0.01,0.1,1 (values separated by commas).',
      });
    const options = values.map((v) => parseOverride(`${spec.slice(0, eq)}=${v}`));
    grid = grid.flatMap((combo) => options.map((o) => [...combo, o]));
  }
  return grid;
}

export interface SweepRunResult {
  overrides: ParamOverride[];
  summary: RunSummary | null;
  error: string | null;
  metrics: Record<string, number>;
}

/** The last value of each metric of a run. */
export function finalMetrics(db: Database, runId: string): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT m.key, m.value FROM run_metrics m WHERE m.run_id = ? AND m.step = (SELECT MAX(step) FROM run_metrics WHERE run_id = m.run_id AND key = m.key) ORDER BY m.key`,
    )
    .all(runId) as { key: string; value: number }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export type SweepItemStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'error';

export interface SweepOptions {
  sweeps: string[];
  /** Called whenever an item of the queue changes state. */
  onProgress?: (index: number, status: SweepItemStatus, result: SweepRunResult) => void;
  /** Fixed id (the caller reports it before the sweep ends). */
  sweepId?: string;
  /** Fixed `-S` values applied to every run of the sweep. */
  overrides?: ParamOverride[];
  targets?: string[];
  /** How many runs at once; with `executor`, how many tasks of each array run at once. */
  jobs?: number;
  signal?: AbortSignal;
  /**
   * A Slurm executor of benchtop.yaml for every stage of every run: all the runs start at once and
   * each stage goes to Slurm as one array job, a task per run.
   */
  executor?: string;
}

export function newSweepId(): string {
  return `sweep-${randomBytes(3).toString('hex')}`;
}

export async function runSweep(
  projectDir: string,
  db: Database,
  emit: (e: BenchtopEvent) => void,
  opts: SweepOptions,
): Promise<{ sweepId: string; runs: SweepRunResult[] }> {
  const grid = expandSweep(opts.sweeps).map((combo) => [...(opts.overrides ?? []), ...combo]);
  // Check every override against the params files before anything runs.
  for (const combo of grid) new ParamsFiles(projectDir, combo).checkOverrides();
  const declared = loadPipeline(projectDir);
  if (!declared)
    throw new BenchtopError('NOT_FOUND', 'This project has no benchtop.yaml.', {
      hint: 'Describe the stages in benchtop.yaml first.',
    });
  const executor = opts.executor;
  if (executor !== undefined && declared.executors?.[executor]?.type !== 'slurm') {
    const slurm = Object.entries(declared.executors ?? {})
      .filter(([, e]) => e.type === 'slurm')
      .map(([name]) => name);
    throw new BenchtopError('INVALID_INPUT', `benchtop.yaml declares no Slurm executor named "${executor}".`, {
      field: 'executor',
      hint: slurm.length
        ? `Use one of its Slurm executors (${slurm.join(', ')}), or declare ${executor} under executors: with type: slurm.`
        : `Declare it under executors: in benchtop.yaml, such as ${executor}: { type: slurm, partition: gpu }.`,
    });
  }
  const sweepId = opts.sweepId ?? newSweepId();
  // With an executor, the arrays' %N caps how many run at once, not the number of workers here.
  const arrays =
    executor === undefined
      ? null
      : new SlurmArrayBatcher({ dir: path.join(projectDir, TMP_DIR, sweepId), throttle: opts.jobs ?? 2 });
  const members = grid.map((_, i) => arrays?.member(i));
  const commit = await headCommit(projectDir);
  const results: SweepRunResult[] = grid.map((overrides) => ({ overrides, summary: null, error: null, metrics: {} }));
  let next = 0;
  const runs = new Set<PipelineRun>();
  opts.signal?.addEventListener(
    'abort',
    () => {
      runs.forEach((r) => r.cancel());
      void arrays?.cancel();
    },
    { once: true },
  );
  const progress = (i: number, status: SweepItemStatus): void => opts.onProgress?.(i, status, results[i]!);
  results.forEach((_, i) => progress(i, 'queued'));
  const worker = async (): Promise<void> => {
    while (next < grid.length && !opts.signal?.aborted) {
      const i = next++;
      progress(i, 'running');
      let copy: WorkingCopy;
      try {
        copy = copyOfWorkingTree(projectDir, db, `${sweepId}-${i}`);
      } catch (err) {
        members[i]?.ended(); // the other runs' arrays go on without it
        throw err;
      }
      try {
        const loaded = loadPipeline(copy.dir)!;
        const pipeline =
          executor === undefined ? loaded : { ...loaded, stages: loaded.stages.map((s) => ({ ...s, executor })) };
        const tags: Record<string, string> = { sweep: sweepId };
        const run = new PipelineRun(
          { projectDir: copy.dir, home: projectDir, db, emit, commit, hashKeyPrefix: copy.hashKeyPrefix },
          pipeline,
          {
            overrides: results[i]!.overrides,
            targets: opts.targets ?? [],
            jobs: 1,
            trigger: `sweep ${sweepId}`,
            tags,
            alwaysRecord: true,
            ...(members[i] ? { slurmArray: members[i] } : {}),
          },
        );
        runs.add(run);
        const summary = await run.execute();
        runs.delete(run);
        results[i]!.summary = summary;
        results[i]!.metrics = summary.recorded ? finalMetrics(db, summary.runId) : {};
        progress(i, summary.status);
      } catch (err) {
        results[i]!.error = err instanceof Error ? err.message : String(err);
        progress(i, 'error');
      } finally {
        members[i]?.ended();
        copy.dispose();
      }
    }
  };
  const workers = arrays ? grid.length : Math.max(1, Math.min(opts.jobs ?? 2, grid.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    // The arrays' scripts and their own output files (the runs' logs are kept in their runs).
    if (arrays) rmSync(path.join(projectDir, TMP_DIR, sweepId), { recursive: true, force: true });
  }
  for (let i = next; i < grid.length; i++) progress(i, 'cancelled');
  return { sweepId, runs: results };
}

export interface Reproduction {
  original: { runId: string; commit: string; metrics: Record<string, number> };
  reproduced: RunSummary;
  metrics: Record<string, number>;
  /** Files the commit did not hold, taken from the working tree (data kept out of git). */
  fromWorkingTree: string[];
}

/** Re-runs a past pipeline run from its commit and params, in an isolated copy, forced. */
export async function reproduceRun(
  projectDir: string,
  db: Database,
  emit: (e: BenchtopEvent) => void,
  runId: string,
): Promise<Reproduction> {
  const row = db.prepare(`SELECT git_commit AS gitCommit, kind FROM runs WHERE id = ?`).get(runId) as
    | { gitCommit: string | null; kind: string }
    | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `There is no run ${runId} in this project.`, {
      hint: 'List runs with `benchtop status` or in the Pipelines view.',
    });
  if (row.kind !== 'pipeline')
    throw new BenchtopError('UNSUPPORTED', `Run ${runId} is not a pipeline run, so it cannot be reproduced.`);
  if (!row.gitCommit)
    throw new BenchtopError(
      'UNSUPPORTED',
      `Run ${runId} recorded no git commit (the project had none), so it cannot be reproduced exactly.`,
      { hint: 'Commit your work before running; later runs can then be reproduced.' },
    );
  const commit = await resolveRevision(projectDir, row.gitCommit);
  const key = `repro-${runId}-${randomBytes(2).toString('hex')}`;
  const { copy, fromWorkingTree } = await copyOfCommit(projectDir, db, key, commit, () => {
    // Source data only: what stages write, they write again in the copy.
    const p = loadPipeline(projectDir);
    if (!p) return [];
    return [...new Set(p.stages.flatMap((s) => s.deps))].filter(
      (d) => !p.stages.some((st) => st.outs.some((o) => overlaps(o.path, d))),
    );
  });
  try {
    const pipeline = loadPipeline(copy.dir);
    if (!pipeline) throw new BenchtopError('NOT_FOUND', `Commit ${commit.slice(0, 7)} has no benchtop.yaml.`);
    // The params the run actually used (it may have had -S values or uncommitted edits).
    const recorded = db.prepare('SELECT key, value FROM run_params WHERE run_id = ?').all(runId) as {
      key: string;
      value: string;
    }[];
    const params = new ParamsFiles(copy.dir);
    const overrides: ParamOverride[] = [];
    for (const { key, value } of recorded) {
      const [file, k] = key.includes(':')
        ? [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)]
        : ['params.yaml', key];
      // Params are stored as text: strings as they are, other values as JSON (which YAML reads).
      const current = params.value({ file, key: k });
      if (!current.found) continue; // Params a stage logged itself, not read from a params file.
      overrides.push({ file, key: k, value: typeof current.value === 'string' ? value : parseYamlValue(value) });
    }
    // The model versions it read (the lock hash `model:NAME/N:<sha>` it recorded for each models:/ dep).
    const models: Record<string, string> = {};
    for (const d of db
      .prepare(`SELECT path, hash FROM run_artifacts WHERE run_id = ? AND role = 'dep' AND path LIKE 'models:%'`)
      .all(runId) as { path: string; hash: string | null }[]) {
      const m = /^model:(.+\/\d+):[0-9a-f]+$/.exec(d.hash ?? '');
      if (m) models[d.path] = m[1]!;
    }
    const run = new PipelineRun(
      { projectDir: copy.dir, home: projectDir, db, emit, commit, hashKeyPrefix: copy.hashKeyPrefix },
      pipeline,
      {
        force: true,
        models,
        overrides,
        trigger: `reproduce ${runId}`,
        tags: { reproduces: runId },
      },
    );
    const reproduced = await run.execute();
    return {
      original: { runId, commit, metrics: finalMetrics(db, runId) },
      reproduced,
      metrics: finalMetrics(db, reproduced.runId),
      fromWorkingTree,
    };
  } finally {
    copy.dispose();
  }
}

/**
 * `benchtop exec -- CMD`: any command tracked as a run. It gets the same environment as a stage
 * and reports through the same line protocol (the helpers work unchanged), live, from any language.
 */
export async function runScript(
  projectDir: string,
  db: Database,
  emit: (e: BenchtopEvent) => void,
  command: string,
  opts: { name?: string; experiment?: string; signal?: AbortSignal; onStart?: (runId: string) => void } = {},
): Promise<RunSummary> {
  const stage: Stage = {
    name: 'script',
    source: 'script',
    cmd: [command],
    deps: [],
    models: [],
    params: [],
    outs: [],
    env: {},
    wdir: '.',
    retries: 0,
    retryDelayMs: 0,
    timeoutMs: null,
    alwaysChanged: true,
    frozen: false,
    desc: undefined,
  };
  const run = new PipelineRun(
    { projectDir, db, emit },
    { stages: [stage], schedules: [] },
    {
      script: { name: opts.name ?? command.slice(0, 120) },
      experiment: opts.experiment ?? 'scripts',
      trigger: 'exec',
      jobs: 1,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  // The caller learns the id before the command starts, so it can cancel it by id.
  opts.onStart?.(run.runId);
  return run.execute();
}
