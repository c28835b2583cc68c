// Runs in: main and renderer (shared). The contract for reports kept under reports/: each method's
// summary, lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, method, none, runId } from './common';

export const reportKind = z.enum(['drift', 'comparison', 'model-card', 'other']);

export type ReportKind = z.infer<typeof reportKind>;

/** The paper a PDF is printed on; the locale's (Letter in the US, Canada, Mexico…, else A4) when not given. */
export const paperSize = z.enum(['a4', 'letter']);

export type Paper = z.infer<typeof paperSize>;

export const reportRow = z.object({
  path: z.string(),
  name: z.string(),
  /** From the file name's prefix (drift-, compare-, model-card-), else from the kind an HTML page declares. */
  kind: reportKind,
  format: z.enum(['html', 'pdf', 'json']),
  size: z.number().int(),
  modifiedAt: z.string(),
});

export type ReportRow = z.infer<typeof reportRow>;

export const reportsList = z.object({ folder: z.string(), reports: z.array(reportRow) });

export const reportsMethods = domainMethods<`reports.${string}`>()({
  'reports.list': method({
    access: 'read',
    summary: 'Exported reports in the reports/ folder.',
    input: none,
    output: reportsList,
  }),
  'reports.open': method({
    access: 'read',
    summary:
      "Open an exported report in the system's viewer (desktop only; browser mode opens a signed /reports/ link instead). Elsewhere only checks that it is a report in reports/.",
    input: z.object({ path: z.string().min(1).max(300) }).strict(),
    output: z.object({ opened: z.boolean(), file: z.string() }),
  }),
  'reports.compare': method({
    access: 'read',
    summary:
      'Write a self-contained HTML report comparing runs (params, metrics, curves, charts) into reports/; never over an existing file.',
    input: z
      .object({
        ids: z.array(runId).min(2).max(50),
        /** A file name inside reports/ (…html); a fresh name from the date when left out. */
        file: z.string().min(1).max(200).optional(),
        /** The metric that params are plotted against (parallel coordinates, scatter); the first one when left out. */
        metric: z.string().min(1).max(250).optional(),
      })
      .strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
});
