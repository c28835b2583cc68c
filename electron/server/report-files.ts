// Runs in: main (browser-mode server). Reopening an exported report in a browser tab: read-only, only
// files directly in the open project's reports/ folder, and only with a link signed by the launch
// token. A tab cannot send the token header, and the token itself never goes into a URL; the
// signature (HMAC of the file's path under the token) opens that one file and nothing else.
import { createHmac } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { resolveReportFile } from '../core/reports/list';
import { sameSecret } from '../core/util/http-guard';
import { REPORTS_DIR } from '../core/util/layout';
import { baseHeaders } from './static-files';

/** Where reports are served: `/reports/<file name>?sig=<signature>`. */
export const REPORT_ROUTE = '/reports/';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * Reports are documents, never programs: no script runs (the sandbox also gives the page an origin
 * of its own, so even a hand-edited file cannot reach the app's storage), nothing is fetched, and
 * only the inline styles and data: images a Benchtop report uses are allowed.
 */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; sandbox";

/** The signature the renderer computes (Web Crypto HMAC-SHA-256 over `reports/<name>`, hex). */
export function reportSignature(token: string, name: string): string {
  return createHmac('sha256', token).update(`${REPORTS_DIR}/${name}`).digest('hex');
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

export function serveReport(opts: {
  projectDir: string | null;
  token: string;
  pathname: string;
  search: string;
  res: ServerResponse;
  head: boolean;
}): void {
  const { res } = opts;
  let name: string;
  try {
    name = decodeURIComponent(opts.pathname.slice(REPORT_ROUTE.length));
  } catch {
    return refuse(res, 400, 'Bad report name.');
  }
  const sig = new URLSearchParams(opts.search).get('sig') ?? '';
  // The signature is checked before the file system is touched: without it nothing is revealed, not even whether a file exists.
  // The same constant-time compare as the launch token's.
  if (!sameSecret(sig, reportSignature(opts.token, name)))
    return refuse(
      res,
      401,
      'This report link is not valid for this Benchtop session: open the report again from the Reports view.',
    );
  if (!opts.projectDir) return refuse(res, 404, 'No project is open.');
  const file = resolveReportFile(opts.projectDir, name);
  if (!file) return refuse(res, 404, 'No such report in the reports/ folder.');
  const ext = path.extname(file).slice(1).toLowerCase();
  const headers: Record<string, string> = {
    ...baseHeaders(),
    'Content-Type': TYPES[ext]!,
    'Content-Length': String(statSync(file).size),
    'Cache-Control': 'no-store',
    // resolveReportFile accepted the name: letters, digits, . _ - and spaces, nothing to escape.
    'Content-Disposition': `inline; filename="${name}"`,
  };
  // Chromium's PDF viewer does not run in a sandboxed document; a PDF runs no script against this origin anyway.
  if (ext !== 'pdf') headers['Content-Security-Policy'] = REPORT_CSP;
  res.writeHead(200, headers);
  if (opts.head) res.end();
  else createReadStream(file).pipe(res);
}
