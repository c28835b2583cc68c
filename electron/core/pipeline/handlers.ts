// Runs in: main (core). The contract's `pipelines.*` handlers: the pipeline's plan, runs and sweeps,
// through the open project's pipeline service.
import type { Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { AppInfo } from '../../../shared/contract/schemas';
import type { Workspace } from '../workspace/workspace';
import { parseOverride } from './load';
import { readRunLogs } from './run-logs';
import type { PipelineService } from './service';
import { reproduceRun, runScript } from './sweeps';
import { pipelineDag, readPipelineView } from './view';

type PipelineHandlers = Pick<Handlers, Extract<keyof Handlers, `pipelines.${string}`>>;

export interface PipelineContext {
  project(): Workspace;
  pipelines(): PipelineService;
  emit(e: BenchtopEvent): void;
  /** Which shell drives the core: `pipelines.exec` runs any command line, so only for the CLI. */
  mode: AppInfo['mode'];
  /** The schedules armed by this process's scheduler; null when it runs none. */
  schedules(): { cron: string; next: string | null }[] | null;
  /** Signals a run another process (a terminal's `benchtop run`) is running; true when there was one. */
  cancelForeignRun(ws: Workspace, runId: string): boolean;
}

export function pipelineHandlers(ctx: PipelineContext): PipelineHandlers {
  /** `pipelines.exec` runs in progress, by run id, so `pipelines.cancel` reaches them too. */
  const execs = new Map<string, AbortController>();
  return {
    'pipelines.get': () => readPipelineView(ctx.project().dir),
    'pipelines.status': ({ overrides }) => ctx.pipelines().status(overrides.map(parseOverride)),
    'pipelines.dag': () => pipelineDag(ctx.project().dir),
    'pipelines.run': async ({ overrides, reason, ...opts }) => ({
      runId: (
        await ctx.pipelines().start({
          ...opts,
          overrides: overrides.map(parseOverride),
          trigger: reason ? `triggered: ${reason}` : 'manual',
        })
      ).runId,
    }),
    'pipelines.wait': ({ runId }) => ctx.pipelines().wait(runId),
    'pipelines.cancel': ({ runId }) => {
      const ws = ctx.project();
      const exec = execs.get(runId);
      exec?.abort();
      // A terminal's run, shown live here, is cancelled as Ctrl+C there would.
      return { cancelled: Boolean(exec) || ctx.pipelines().cancel(runId) || ctx.cancelForeignRun(ws, runId) };
    },
    'pipelines.runs': ({ limit }) => ({ runs: ctx.pipelines().runs(limit) }),
    'pipelines.log': ({ runId, stage }) => ctx.pipelines().log(runId, stage),
    'pipelines.logs': ({ runId, stage }) => ({ logs: readRunLogs(ctx.project().dir, runId, stage) }),
    'pipelines.sweep': ({ sweeps, overrides, targets, jobs, executor }) =>
      ctx.pipelines().startSweep({
        sweeps,
        overrides: overrides.map(parseOverride),
        targets,
        jobs,
        ...(executor !== undefined ? { executor } : {}),
      }),
    'pipelines.sweepStatus': () => ctx.pipelines().sweepStatus(),
    'pipelines.cancelSweep': () => ({ cancelled: ctx.pipelines().cancelSweep() }),
    'pipelines.schedules': () => {
      ctx.project();
      const schedules = ctx.schedules();
      return { running: schedules !== null, schedules: schedules ?? [] };
    },
    'pipelines.waitSweep': ({ sweepId }) => ctx.pipelines().waitSweep(sweepId),
    // Its stages run quietly, beside (not as) the live run: no events, as before it had a contract.
    'pipelines.reproduce': ({ runId }) => {
      const ws = ctx.project();
      return reproduceRun(ws.dir, ws.db, () => undefined, runId);
    },
    'pipelines.exec': async ({ command, name, experiment }) => {
      if (ctx.mode !== 'cli')
        throw new BenchtopError('UNSUPPORTED', 'Running a command line is only for `benchtop exec` in a terminal.', {
          hint: 'Run it in a terminal: benchtop exec -- COMMAND.',
        });
      const ws = ctx.project();
      const controller = new AbortController();
      let id: string | null = null;
      try {
        return await runScript(ws.dir, ws.db, (e) => ctx.emit(e), command, {
          ...(name ? { name } : {}),
          ...(experiment ? { experiment } : {}),
          signal: controller.signal,
          onStart: (runId) => {
            id = runId;
            execs.set(runId, controller);
          },
        });
      } finally {
        if (id) execs.delete(id);
      }
    },
  };
}
