// Runs in: CLI (Node). `benchtop run | dag | logs`: the pipeline from the terminal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchtopEvent } from '../../shared/contract/events';
import { buildDag, topoOrder } from '../core/pipeline/graph';
import { loadPipeline, parseOverride } from '../core/pipeline/load';
import { reproduceRun, runScript, runSweep, type SweepOptions } from '../core/pipeline/sweeps';
import { PipelineScheduler } from '../core/pipeline/scheduler';
import { PipelineService } from '../core/pipeline/service';
import { LOGS_DIR } from '../core/util/layout';
import { acquireProjectLock, describeHolder } from '../core/workspace/project-lock';
import { Workspace } from '../core/workspace/workspace';
import type { GlobalOptions } from './commands';
import { cell, printJson, table, UsageError } from './output';

function open(opts: GlobalOptions): Workspace {
  return Workspace.open(path.resolve(opts.dir ?? process.cwd()));
}

export interface RunCommandOptions extends GlobalOptions {
  set?: string[];
  sweep?: string[];
  force?: boolean;
  downstream?: boolean;
  jobs?: string;
  dry?: boolean;
}

const SYMBOL: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  skipped: '-',
  cancelled: '⊘',
  'up-to-date': '=',
  running: '▶',
  queued: '…',
};

/** Returns the exit code: 0 when every stage that ran succeeded. */
export async function runCommand(targets: string[], opts: RunCommandOptions): Promise<number> {
  const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1))
    throw new UsageError(`--jobs must be a whole number of at least 1, not "${opts.jobs}".`);
  const ws = open(opts);
  let pipeline: ReturnType<typeof loadPipeline>;
  try {
    pipeline = loadPipeline(ws.dir);
  } catch (err) {
    ws.close();
    throw err;
  }
  const width = Math.max(8, ...(pipeline?.stages.map((s) => s.name.length) ?? []));
  const emit = (e: BenchtopEvent): void => {
    if (opts.json) return;
    if (e.name === 'run.log')
      (e.payload.stream === 'stderr' ? process.stderr : process.stdout).write(
        `${e.payload.stage.padEnd(width)} | ${e.payload.line}\n`,
      );
    else if (e.name === 'stage.status' && e.payload.status !== 'queued' && e.payload.status !== 'up-to-date') {
      const why = e.payload.reason ? ` (${e.payload.reason})` : '';
      process.stdout.write(`${SYMBOL[e.payload.status] ?? ' '} ${e.payload.stage} ${e.payload.status}${why}\n`);
    }
  };
  const service = new PipelineService(ws.dir, ws.db, emit);
  try {
    const overrides = (opts.set ?? []).map(parseOverride);
    if (opts.dry) {
      const status = await service.status(overrides);
      if (opts.json) printJson(status);
      else
        for (const s of status.stages)
          console.log(
            `${s.state === 'will-run' ? '▶' : SYMBOL['up-to-date']} ${s.name}: ${s.state === 'will-run' ? `would run: ${s.reasons.join('; ')}` : s.state}`,
          );
      return 0;
    }
    if (opts.sweep?.length)
      return await sweepCommand(
        ws,
        emit,
        { sweeps: opts.sweep, overrides, targets, ...(jobs ? { jobs } : {}) },
        Boolean(opts.json),
      );
    const runOpts = {
      targets,
      overrides,
      force: Boolean(opts.force),
      downstream: Boolean(opts.downstream),
      ...(jobs ? { jobs } : {}),
    };
    const { runId, done } = await service.start(runOpts, pipeline ?? undefined);
    // Ctrl-C cancels: every stage's process tree is ended and the run is recorded as cancelled.
    const onSignal = (): void => {
      if (!opts.json) process.stderr.write('\nbenchtop: cancelling…\n');
      service.cancel(runId);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const summary = await done;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (opts.json) printJson(summary);
    else if (!summary.recorded) console.log('Nothing to run: every stage is up to date.');
    else {
      const ran = summary.stages.filter((s) => s.status !== 'up-to-date');
      const upToDate = summary.stages.length - ran.length;
      console.log(
        `Run ${runId} ${summary.status}: ${ran.filter((s) => s.status === 'succeeded').length} ran, ${upToDate} up to date${ran.some((s) => s.status === 'failed') ? `, ${ran.filter((s) => s.status === 'failed').length} failed` : ''}.`,
      );
      if (summary.error) console.error(`benchtop: ${summary.error}`);
    }
    return summary.status === 'succeeded' ? 0 : 1;
  } finally {
    ws.close();
  }
}

export async function pipelineStatusLines(ws: Workspace): Promise<{ json: unknown; lines: string[] }> {
  const status = await new PipelineService(ws.dir, ws.db, () => undefined).status();
  const lines = status.stages.map((s) =>
    s.state === 'will-run' ? `  ${s.name}: will run: ${s.reasons.join('; ')}` : `  ${s.name}: ${s.state}`,
  );
  return {
    json: status.stages,
    lines: status.stages.length ? ['pipeline:', ...lines] : ['pipeline: no benchtop.yaml'],
  };
}

export function dagCommand(opts: GlobalOptions & { dot?: boolean }): void {
  const ws = open(opts);
  try {
    const pipeline = loadPipeline(ws.dir);
    if (!pipeline) throw new Error(`${ws.dir} has no benchtop.yaml.`);
    const dag = buildDag(pipeline.stages);
    const order = topoOrder(pipeline.stages, dag);
    // Upstream stages listed in run order, so the output is the same on every machine.
    const ups = (name: string): string[] => order.filter((o) => dag.upstream.get(name)!.has(o.name)).map((o) => o.name);
    const edges = order.flatMap((s) => ups(s.name).map((u) => [u, s.name] as const));
    if (opts.json)
      return printJson({ stages: order.map((s) => s.name), edges: edges.map(([from, to]) => ({ from, to })) });
    if (opts.dot) {
      console.log('digraph pipeline {');
      console.log('  rankdir=LR;');
      for (const s of order) console.log(`  ${JSON.stringify(s.name)};`);
      for (const [from, to] of edges) console.log(`  ${JSON.stringify(from)} -> ${JSON.stringify(to)};`);
      console.log('}');
      return;
    }
    for (const s of order) console.log(ups(s.name).length ? `${s.name} ← ${ups(s.name).join(', ')}` : s.name);
  } finally {
    ws.close();
  }
}

export function logsCommand(runId: string, stage: string | undefined, opts: GlobalOptions): void {
  const ws = open(opts);
  try {
    const dir = path.join(ws.dir, LOGS_DIR, runId);
    if (!/^[A-Za-z0-9_-]+$/.test(runId) || !existsSync(dir))
      throw new Error(`There are no logs for run ${runId} in ${ws.dir}.`);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    const chosen = stage ? files.filter((f) => f === `${stage}.log`) : files;
    if (stage && chosen.length === 0)
      throw new Error(
        `Run ${runId} has no log for stage ${stage} (it has: ${files.map((f) => f.slice(0, -4)).join(', ')}).`,
      );
    for (const f of chosen) {
      if (!stage) console.log(`==> ${f.slice(0, -4)} <==`);
      process.stdout.write(readFileSync(path.join(dir, f), 'utf8'));
    }
  } finally {
    ws.close();
  }
}

/** `benchtop scheduler`: runs the project's scheduled pipelines until stopped. */
export async function schedulerCommand(opts: GlobalOptions): Promise<number> {
  const ws = open(opts);
  const service = new PipelineService(
    ws.dir,
    ws.db,
    (e) => {
      if (e.name === 'stage.status' && ['succeeded', 'failed', 'cancelled'].includes(e.payload.status))
        console.log(`${e.payload.stage} ${e.payload.status}${e.payload.reason ? ` (${e.payload.reason})` : ''}`);
      if (e.name === 'run.status' && e.payload.status !== 'running')
        console.log(`run ${e.payload.runId} ${e.payload.status}`);
    },
    () =>
      acquireProjectLock(ws.dir, {
        command: 'benchtop scheduler',
        waitMs: Infinity,
        onWait: (h) => console.log(`waiting for the project lock ${describeHolder(h)}…`),
      }),
  );
  const scheduler = new PipelineScheduler(ws.dir, ws.db, service, (e) => console.log(e.message));
  scheduler.start();
  if (scheduler.schedules.length === 0) {
    scheduler.stop();
    ws.close();
    throw new Error(`${path.join(ws.dir, 'benchtop.yaml')} has no schedule: add one, e.g. schedule: "@daily".`);
  }
  for (const s of scheduler.schedules) console.log(`schedule ${s.cron}: next run at ${s.next ?? 'never'}`);
  console.log('The scheduler is running; Ctrl+C stops it.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  scheduler.stop();
  if (service.activeRunId) service.cancel(service.activeRunId);
  await service.settle();
  ws.close();
  return 0;
}

async function sweepCommand(
  ws: Workspace,
  emit: (e: BenchtopEvent) => void,
  opts: SweepOptions,
  json: boolean,
): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const quiet = (e: BenchtopEvent): void => {
    // Sweep runs interleave: show stage outcomes, not every log line.
    if (e.name === 'stage.status' && (e.payload.status === 'failed' || e.payload.status === 'succeeded')) emit(e);
  };
  try {
    const result = await runSweep(ws.dir, ws.db, json ? () => undefined : quiet, {
      ...opts,
      signal: controller.signal,
    });
    if (json) {
      printJson(result);
    } else {
      const keys = [...new Set(result.runs.flatMap((r) => r.overrides.map((o) => o.key)))];
      const metricKeys = [...new Set(result.runs.flatMap((r) => Object.keys(r.metrics)))]
        .filter((k) => !k.includes('.'))
        .slice(0, 6);
      const rows = [['run', 'status', ...keys, ...metricKeys]];
      for (const r of result.runs) {
        rows.push([
          r.summary?.runId ?? '-',
          r.error ? 'error' : (r.summary?.status ?? 'not run'),
          ...keys.map((k) => cell(r.overrides.filter((o) => o.key === k).at(-1)?.value)),
          ...metricKeys.map((k) => (k in r.metrics ? cell(r.metrics[k]) : '-')),
        ]);
      }
      console.log(`Sweep ${result.sweepId}: ${result.runs.length} runs, each in its own working copy.`);
      console.log(table(rows));
      for (const r of result.runs.filter((x) => x.error)) console.error(`benchtop: ${r.error}`);
    }
    return result.runs.every((r) => r.summary?.status === 'succeeded') ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `benchtop reproduce RUN`: re-runs a past run from its commit and params; metrics side by side. */
export async function reproduceCommand(runId: string, opts: GlobalOptions): Promise<number> {
  const ws = open(opts);
  try {
    const r = await reproduceRun(ws.dir, ws.db, () => undefined, runId);
    if (opts.json) {
      printJson(r);
    } else {
      console.log(
        `Reproduced ${runId} from commit ${r.original.commit.slice(0, 7)} as ${r.reproduced.runId}: ${r.reproduced.status}.`,
      );
      if (r.fromWorkingTree.length)
        console.log(`Not in that commit, taken from the working tree: ${r.fromWorkingTree.join(', ')}.`);
      const keys = [...new Set([...Object.keys(r.original.metrics), ...Object.keys(r.metrics)])].sort();
      const rows = [['metric', 'original', 'reproduced', 'difference']];
      for (const k of keys) {
        const a = r.original.metrics[k];
        const b = r.metrics[k];
        rows.push([
          k,
          a === undefined ? '-' : cell(a),
          b === undefined ? '-' : cell(b),
          a === undefined || b === undefined ? '-' : cell(b - a),
        ]);
      }
      console.log(table(rows));
    }
    return r.reproduced.status === 'succeeded' ? 0 : 1;
  } finally {
    ws.close();
  }
}

/** `benchtop exec [--name N] [--experiment E] -- CMD...`: a command tracked as a run. */
export async function execCommand(
  command: string[],
  opts: GlobalOptions & { name?: string; experiment?: string },
): Promise<number> {
  if (command.length === 0) throw new UsageError('`benchtop exec` needs a command: benchtop exec -- python3 train.py');
  const ws = open(opts);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Arguments are quoted for the shell, so what was typed is what runs.
    const quoted = command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    const summary = await runScript(
      ws.dir,
      ws.db,
      (e) => {
        if (opts.json) return;
        if (e.name === 'run.log')
          (e.payload.stream === 'stderr' ? process.stderr : process.stdout).write(`${e.payload.line}\n`);
      },
      quoted,
      {
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.experiment ? { experiment: opts.experiment } : {}),
        signal: controller.signal,
      },
    );
    if (opts.json) printJson(summary);
    else {
      console.log(
        `Run ${summary.runId} ${summary.status}${summary.stages[0]?.reason ? ` (${summary.stages[0].reason})` : ''}.`,
      );
      if (summary.error) console.error(`benchtop: ${summary.error}`);
    }
    return summary.status === 'succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    ws.close();
  }
}
