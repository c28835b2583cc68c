// Runs in: CLI (Node). `benchtop run | dag | logs | exec | reproduce | scheduler`: the pipeline from
// the terminal, through the contract's pipelines.* methods; live output comes from the core's events.
import path from 'node:path';
import type { BenchtopEvent } from '../../shared/contract/events';
import type { Core } from '../core/app/core';
import { describeHolder } from '../core/app/shell-support';
import type { GlobalOptions } from './project';
import { type Call, callMethod, cliCore, reportInbox, withProject } from './core-client';
import { enclosingProjectDir } from './project';
import { cell, printJson, table, UsageError } from './output';

export interface RunCommandOptions extends GlobalOptions {
  set?: string[];
  sweep?: string[];
  force?: boolean;
  downstream?: boolean;
  jobs?: string;
  dry?: boolean;
  name?: string;
  executor?: string;
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
  if (opts.name !== undefined && opts.sweep?.length)
    throw new UsageError('--name names one run; a --sweep starts several, named each on its own.');
  if (opts.executor !== undefined && !opts.sweep?.length)
    throw new UsageError("--executor goes with --sweep; for a single run, set the stage's executor: in benchtop.yaml.");
  return withProject(opts, async (call, core) => {
    // A broken benchtop.yaml fails below, with its problem, when the plan or the run reads it.
    const view = await call('pipelines.get', {});
    const width = Math.max(8, ...view.stages.map((s) => s.name.length));
    // The runner records a stage as running when it is planned and again as each attempt starts;
    // the terminal says so once per stage.
    const announced = new Set<string>();
    const emit = (e: BenchtopEvent): void => {
      if (opts.json) return;
      if (e.name === 'run.log')
        (e.payload.stream === 'stderr' ? process.stderr : process.stdout).write(
          `${e.payload.stage.padEnd(width)} | ${e.payload.line}\n`,
        );
      else if (e.name === 'stage.status' && e.payload.status !== 'queued' && e.payload.status !== 'up-to-date') {
        if (e.payload.status === 'running' && announced.has(e.payload.stage)) return;
        if (e.payload.status === 'running') announced.add(e.payload.stage);
        const why = e.payload.reason ? ` (${e.payload.reason})` : '';
        process.stdout.write(`${SYMBOL[e.payload.status] ?? ' '} ${e.payload.stage} ${e.payload.status}${why}\n`);
      }
    };
    const overrides = opts.set ?? [];
    if (opts.dry) {
      const status = await call('pipelines.status', { overrides });
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
        call,
        core,
        emit,
        {
          sweeps: opts.sweep,
          overrides,
          targets,
          ...(jobs ? { jobs } : {}),
          ...(opts.executor !== undefined ? { executor: opts.executor } : {}),
        },
        Boolean(opts.json),
      );
    const unsubscribe = core.events.subscribe(emit);
    let runId: string | null = null;
    // Ctrl-C cancels: every stage's process tree is ended and the run is recorded as cancelled.
    const onSignal = (): void => {
      if (!opts.json) process.stderr.write('\nbenchtop: cancelling…\n');
      if (runId) void call('pipelines.cancel', { runId }).catch(() => undefined);
    };
    try {
      runId = (
        await call('pipelines.run', {
          targets,
          overrides,
          force: Boolean(opts.force),
          downstream: Boolean(opts.downstream),
          ...(jobs ? { jobs } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
        })
      ).runId;
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const summary = await call('pipelines.wait', { runId });
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
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe();
    }
  });
}

export async function pipelineStatusLines(call: Call): Promise<{ json: unknown; lines: string[] }> {
  const status = await call('pipelines.status', {});
  const lines = status.stages.map((s) =>
    s.state === 'will-run' ? `  ${s.name}: will run: ${s.reasons.join('; ')}` : `  ${s.name}: ${s.state}`,
  );
  return {
    json: status.stages,
    lines: status.stages.length ? ['pipeline:', ...lines] : ['pipeline: no benchtop.yaml'],
  };
}

export async function dagCommand(opts: GlobalOptions & { dot?: boolean }): Promise<void> {
  await withProject(opts, async (call) => {
    const { stages, edges } = await call('pipelines.dag', {});
    // Edges come in run order, so each stage's upstreams are listed the same on every machine.
    const ups = (name: string): string[] => edges.filter((e) => e.to === name).map((e) => e.from);
    if (opts.json) return printJson({ stages, edges });
    if (opts.dot) {
      console.log('digraph pipeline {');
      console.log('  rankdir=LR;');
      for (const s of stages) console.log(`  ${JSON.stringify(s)};`);
      for (const { from, to } of edges) console.log(`  ${JSON.stringify(from)} -> ${JSON.stringify(to)};`);
      console.log('}');
      return;
    }
    for (const s of stages) console.log(ups(s).length ? `${s} ← ${ups(s).join(', ')}` : s);
  });
}

export async function logsCommand(runId: string, stage: string | undefined, opts: GlobalOptions): Promise<void> {
  await withProject(opts, async (call) => {
    const { logs } = await call('pipelines.logs', { runId, ...(stage ? { stage } : {}) });
    for (const l of logs) {
      if (!stage) console.log(`==> ${l.stage} <==`);
      process.stdout.write(l.text);
    }
  });
}

/** `benchtop scheduler`: runs the project's scheduled pipelines until stopped. */
export async function schedulerCommand(opts: GlobalOptions): Promise<number> {
  // A CLI Core that runs the scheduler: each scheduled run waits for the project lock as long as it
  // takes (saying so), since this command holds no lock of its own between runs.
  const core = cliCore({
    scheduler: (e) => console.log(e.message),
    lockWaitMs: Infinity,
    onLockWait: (h) => console.log(`waiting for the project lock ${describeHolder(h)}…`),
  });
  // Heard from before the project opens: a missed run may be caught up as soon as it does.
  const unsubscribe = core.events.subscribe((e) => {
    if (e.name === 'stage.status' && ['succeeded', 'failed', 'cancelled'].includes(e.payload.status))
      console.log(`${e.payload.stage} ${e.payload.status}${e.payload.reason ? ` (${e.payload.reason})` : ''}`);
    if (e.name === 'run.status' && e.payload.status !== 'running')
      console.log(`run ${e.payload.runId} ${e.payload.status}`);
  });
  try {
    const project = await core.open(enclosingProjectDir(opts) ?? process.cwd());
    reportInbox(core);
    const { schedules } = await callMethod(core.handlers, 'pipelines.schedules', {});
    if (schedules.length === 0)
      throw new Error(`${path.join(project.path, 'benchtop.yaml')} has no schedule: add one, e.g. schedule: "@daily".`);
    for (const s of schedules) console.log(`schedule ${s.cron}: next run at ${s.next ?? 'never'}`);
    console.log('The scheduler is running; Ctrl+C stops it.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    return 0;
  } finally {
    // Stops the scheduler, cancels a run in progress and waits for its stages, then closes.
    await core.shutdown();
    unsubscribe();
  }
}

async function sweepCommand(
  call: Call,
  core: Core,
  emit: (e: BenchtopEvent) => void,
  opts: { sweeps: string[]; overrides: string[]; targets: string[]; jobs?: number; executor?: string },
  json: boolean,
): Promise<number> {
  let sweepId: string | null = null;
  let cancelled = false;
  const onSignal = (): void => {
    cancelled = true;
    if (sweepId) void call('pipelines.cancelSweep', {}).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const unsubscribe = core.events.subscribe((e) => {
    // Sweep runs interleave: show stage outcomes, not every log line.
    if (json) return;
    if (e.name === 'stage.status' && (e.payload.status === 'failed' || e.payload.status === 'succeeded')) emit(e);
  });
  try {
    sweepId = (await call('pipelines.sweep', opts)).sweepId;
    // Ctrl+C while the sweep was being started: cancel it now that it has an id.
    if (cancelled) await call('pipelines.cancelSweep', {});
    const result = await call('pipelines.waitSweep', { sweepId });
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
    unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `benchtop reproduce RUN`: re-runs a past run from its commit and params; metrics side by side. */
export async function reproduceCommand(runId: string, opts: GlobalOptions): Promise<number> {
  return withProject(opts, async (call) => {
    const r = await call('pipelines.reproduce', { runId });
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
  });
}

/** `benchtop exec [--name N] [--experiment E] -- CMD...`: a command tracked as a run. */
export async function execCommand(
  command: string[],
  opts: GlobalOptions & { name?: string; experiment?: string },
): Promise<number> {
  if (command.length === 0) throw new UsageError('`benchtop exec` needs a command: benchtop exec -- python3 train.py');
  return withProject(opts, async (call, core) => {
    // The run's id arrives with its first event; Ctrl+C before that cancels as soon as it does.
    let runId: string | null = null;
    let cancelled = false;
    const cancel = (): void => {
      if (runId) void call('pipelines.cancel', { runId }).catch(() => undefined);
    };
    const onSignal = (): void => {
      cancelled = true;
      cancel();
    };
    const unsubscribe = core.events.subscribe((e) => {
      if ((e.name === 'run.status' || e.name === 'run.log') && !runId) {
        runId = e.payload.runId;
        if (cancelled) cancel();
      }
      if (opts.json) return;
      if (e.name === 'run.log')
        (e.payload.stream === 'stderr' ? process.stderr : process.stdout).write(`${e.payload.line}\n`);
    });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      // Arguments are quoted for the shell, so what was typed is what runs.
      const quoted = command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
      const summary = await call('pipelines.exec', {
        command: quoted,
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.experiment ? { experiment: opts.experiment } : {}),
      });
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
      unsubscribe();
    }
  });
}
