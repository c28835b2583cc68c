// Runs in: main (core). The contract's `drift.*` and `monitors.*` handlers: drift reports, and
// monitors that check batches against a reference, raise alerts and may start a retraining run.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { PipelineService } from '../pipeline/service';
import { writeDriftReport } from '../reports/drift';
import { writeMonitorReport } from '../reports/monitor';
import type { Workspace } from '../workspace/workspace';
import { computeDriftReport } from './drift';
import { listMonitors } from './list';
import { acknowledgeAlert, addMonitor, checkMonitor, deleteMonitor, getMonitor, listAlerts } from './monitors';

type MonitoringHandlers = Pick<Handlers, Extract<keyof Handlers, `drift.${string}` | `monitors.${string}`>>;

export interface MonitoringContext {
  project(): Workspace;
  emit(e: BenchtopEvent): void;
  pipelines(): PipelineService;
  /** The shell's PDF printer (Electron's in the desktop app); headless Chromium when absent. */
  printPdf?: (html: string) => Promise<Buffer>;
}

export function monitoringHandlers(ctx: MonitoringContext): MonitoringHandlers {
  const db = () => ctx.project().db;
  return {
    'drift.export': async ({ format, file, ...request }) => {
      const ws = ctx.project();
      const report = await computeDriftReport(ws.dir, ws.db, request);
      const written = await writeDriftReport(ws.dir, report, {
        format,
        project: ws.name,
        ...(file ? { file } : {}),
        ...(ctx.printPdf ? { print: ctx.printPdf } : {}),
      });
      return { ...written, datasetDrift: report.summary.datasetDrift, share: report.summary.share };
    },
    'drift.report': async (request) => {
      const ws = ctx.project();
      return computeDriftReport(ws.dir, ws.db, request);
    },
    'monitors.list': () => listMonitors(db()),
    'monitors.add': (input) => {
      const ws = ctx.project();
      return addMonitor(ws.dir, ws.db, input);
    },
    'monitors.get': ({ name }) => getMonitor(db(), name),
    'monitors.check': ({ name }) => {
      const ws = ctx.project();
      return checkMonitor(ws.dir, ws.db, name, {
        project: ws.name,
        retrain: async (reason) => (await ctx.pipelines().start({ trigger: `triggered: ${reason}` })).runId,
        onAlert: (a) =>
          ctx.emit({
            name: 'monitors.alert',
            payload: {
              id: a.id,
              monitor: a.monitor,
              rule: a.rule,
              message: a.message,
              batch: a.batch,
              at: a.at,
              runId: a.runId,
            },
          }),
      });
    },
    'monitors.delete': ({ name }) => deleteMonitor(db(), name),
    'monitors.alerts': ({ name, open }) => ({ alerts: listAlerts(db(), name, open) }),
    'monitors.acknowledge': ({ id }) => acknowledgeAlert(db(), id),
    'monitors.report': ({ name, file }) => {
      const ws = ctx.project();
      return writeMonitorReport(ws.dir, getMonitor(ws.db, name), { project: ws.name, ...(file ? { file } : {}) });
    },
  };
}
