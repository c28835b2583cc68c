// Runs in: main (core). The contract's `drift.*` and `monitors.*` handlers: drift reports, and
// monitors that check batches against a reference, raise alerts and may start a retraining run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { PipelineService } from '../pipeline/service';
import { renderDriftHtml, writeDriftReport } from '../reports/drift';
import { defaultPaper } from '../reports/paper';
import { type PrintPdf, printWithChromium } from '../reports/pdf';
import { type Written, writeReportFile } from '../reports/writer';
import { writeMonitorReport } from '../reports/monitor';
import type { Workspace } from '../workspace/workspace';
import { computeDriftReport } from './drift';
import { listMonitors } from './list';
import { acknowledgeAlert, addMonitor, checkMonitor, deleteMonitor, getMonitor, listAlerts } from './monitors';
import { alertEvent } from './monitors/read';

type MonitoringHandlers = Pick<Handlers, Extract<keyof Handlers, `drift.${string}` | `monitors.${string}`>>;

export interface MonitoringContext {
  project(): Workspace;
  emit(e: BenchtopEvent): void;
  pipelines(): PipelineService;
  /** The shell's PDF printer (Electron's in the desktop app); headless Chromium when absent. */
  printPdf?: PrintPdf;
}

/** The open project, or null when none is open (other failures still throw). */
function openProjectOrNull(ctx: MonitoringContext): Workspace | null {
  try {
    return ctx.project();
  } catch (err) {
    if (err instanceof BenchtopError && err.code === 'NO_PROJECT') return null;
    throw err;
  }
}

export function monitoringHandlers(ctx: MonitoringContext): MonitoringHandlers {
  const db = () => ctx.project().db;
  return {
    'drift.export': async ({ format, file, paper, ...request }) => {
      const ws = ctx.project();
      const report = await computeDriftReport(ws.dir, ws.db, request);
      const written = await writeDriftReport(ws.dir, report, {
        format,
        project: ws.name,
        ...(file ? { file } : {}),
        ...(ctx.printPdf ? { print: ctx.printPdf } : {}),
        ...(paper ? { paper } : {}),
      });
      return { ...written, datasetDrift: report.summary.datasetDrift, share: report.summary.share };
    },
    'drift.report': async ({ base, html, pdf, paper, ...request }) => {
      if (base !== undefined && !path.isAbsolute(base))
        throw new BenchtopError('INVALID_INPUT', 'base must be an absolute folder.', { field: 'base' });
      // Plain files need no project: a shell that names where its paths start may go without one.
      const ws = base === undefined ? ctx.project() : openProjectOrNull(ctx);
      const from = base ?? ws!.dir;
      const targets = { html, pdf };
      // Refused before the work, not after it: Benchtop never overwrites a file.
      for (const [field, f] of Object.entries(targets))
        if (f !== undefined && existsSync(path.resolve(from, f)))
          throw new BenchtopError(
            'ALREADY_EXISTS',
            `${path.resolve(from, f)} exists already; Benchtop does not overwrite files.`,
            {
              field,
              hint: 'Choose another file name, or move the file away first.',
            },
          );
      let last = 0;
      const report = await computeDriftReport(ws?.dir ?? from, ws?.db ?? null, request, {
        base: from,
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 100) return;
          last = now;
          ctx.emit({ name: 'drift.progress', payload: p });
        },
      });
      if (html === undefined && pdf === undefined) return report;
      const page = renderDriftHtml(report, ws ? { project: ws.name } : {});
      const written: { html?: Written; pdf?: Written } = {};
      if (html !== undefined) written.html = writeReportFile(path.resolve(from, html), page);
      if (pdf !== undefined)
        written.pdf = writeReportFile(
          path.resolve(from, pdf),
          await (ctx.printPdf ?? printWithChromium)(page, paper ?? defaultPaper()),
        );
      return { ...report, written };
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
        onAlert: (a) => ctx.emit(alertEvent(a)),
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
