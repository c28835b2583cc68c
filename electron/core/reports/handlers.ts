// Runs in: main (core). The contract's `reports.list` and `reports.open` handlers (`reports.compare`
// needs the runs, so tracking/handlers.ts serves it).
import type { Handlers } from '../../../shared/contract/dispatch';
import type { Workspace } from '../workspace/workspace';
import { listReports, requireReportFile } from './list';

type ReportHandlers = Pick<Handlers, 'reports.list' | 'reports.open'>;

export interface ReportContext {
  project(): Workspace;
}

export function reportHandlers(ctx: ReportContext): ReportHandlers {
  return {
    'reports.list': () => listReports(ctx.project().dir),
    // The desktop shell overrides this to open the file; the core cannot show anything itself.
    'reports.open': ({ path: reportPath }) => ({
      opened: false,
      file: requireReportFile(ctx.project().dir, reportPath),
    }),
  };
}
