// Runs in: main (core). The contract's `pipelines.*` handlers: the pipeline's plan, runs and sweeps,
// through the open project's pipeline service.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { Workspace } from '../workspace/workspace';
import { parseOverride } from './load';
import type { PipelineService } from './service';
import { readPipelineView } from './view';

type PipelineHandlers = Pick<Handlers, Extract<keyof Handlers, `pipelines.${string}`>>;

export interface PipelineContext {
  project(): Workspace;
  pipelines(): PipelineService;
  /** Signals a run another process (a terminal's `benchtop run`) is running; true when there was one. */
  cancelForeignRun(ws: Workspace, runId: string): boolean;
}

export function pipelineHandlers(ctx: PipelineContext): PipelineHandlers {
  return {
    'pipelines.get': () => readPipelineView(ctx.project().dir),
    'pipelines.status': () => ctx.pipelines().status(),
    'pipelines.run': async ({ overrides, reason, ...opts }) => ({
      runId: (
        await ctx.pipelines().start({
          ...opts,
          overrides: overrides.map(parseOverride),
          trigger: reason ? `triggered: ${reason}` : 'manual',
        })
      ).runId,
    }),
    'pipelines.cancel': ({ runId }) => {
      const ws = ctx.project();
      // A terminal's run, shown live here, is cancelled as Ctrl+C there would.
      return { cancelled: ctx.pipelines().cancel(runId) || ctx.cancelForeignRun(ws, runId) };
    },
    'pipelines.runs': ({ limit }) => ({ runs: ctx.pipelines().runs(limit) }),
    'pipelines.log': ({ runId, stage }) => ctx.pipelines().log(runId, stage),
    'pipelines.sweep': ({ sweeps, overrides, jobs }) =>
      ctx.pipelines().startSweep({ sweeps, overrides: overrides.map(parseOverride), jobs }),
    'pipelines.sweepStatus': () => ctx.pipelines().sweepStatus(),
    'pipelines.cancelSweep': () => ({ cancelled: ctx.pipelines().cancelSweep() }),
  };
}
