// Runs in: main (core). Exported reports (reports/*.html|pdf|json) for the Reports section.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import type { ReportKind, reportsList } from '../../../shared/contract/schemas';
import { REPORTS_DIR } from '../util/layout';
import { realFileInside } from '../util/path-policy';

type ReportsList = z.infer<typeof reportsList>;

/** The prefixes Benchtop's writers give their files (drift-…, compare-…, model-card-…). */
const PREFIXES: readonly [string, ReportKind][] = [
  ['drift-', 'drift'],
  ['compare-', 'comparison'],
  ['model-card-', 'model-card'],
];
const KINDS = new Set<string>(['drift', 'comparison', 'model-card']);

/** The kind an HTML report declares in its head (`<meta name="benchtop-report" content="drift">`), read from its first bytes. */
function declaredKind(file: string): ReportKind | null {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2048);
    const n = readSync(fd, head, 0, head.length, 0);
    const m = /<meta name="benchtop-report" content="([a-z-]+)">/.exec(head.subarray(0, n).toString('utf8'));
    return m && KINDS.has(m[1]!) ? (m[1] as ReportKind) : null;
  } finally {
    closeSync(fd);
  }
}

export function reportKind(name: string, file: string | null): ReportKind {
  const lower = name.toLowerCase();
  for (const [prefix, kind] of PREFIXES) if (lower.startsWith(prefix)) return kind;
  if (file && /\.html$/i.test(name)) {
    try {
      return declaredKind(file) ?? 'other';
    } catch {
      return 'other';
    }
  }
  return 'other';
}

export function listReports(projectDir: string): ReportsList {
  const root = path.join(projectDir, REPORTS_DIR);
  if (!existsSync(root)) return { folder: REPORTS_DIR, reports: [] };
  const reports: ReportsList['reports'] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const m = /\.(html|pdf|json)$/i.exec(entry.name);
    if (!entry.isFile() || !m) continue;
    const file = path.join(root, entry.name);
    const st = statSync(file);
    reports.push({
      path: `${REPORTS_DIR}/${entry.name}`,
      name: entry.name.replace(/\.[^.]+$/, ''),
      kind: reportKind(entry.name, file),
      format: m[1]!.toLowerCase() as 'html' | 'pdf' | 'json',
      size: st.size,
      modifiedAt: st.mtime.toISOString(),
    });
  }
  reports.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
  return { folder: REPORTS_DIR, reports };
}

/** The same rule as the report writer's file names: no folders, no dot-dot, one of three endings. */
const REPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,150}\.(html|pdf|json)$/;

/** A report file name (`x.html`) to its file directly in reports/, or null (symlinks out, folders, other names). */
export function resolveReportFile(projectDir: string, name: string): string | null {
  if (!REPORT_NAME.test(name) || name.includes('..')) return null;
  const root = path.join(projectDir, REPORTS_DIR);
  return realFileInside(root, path.join(root, name), { directly: true });
}

/** A path as reports.list gives it (`reports/<name>`) to its file, or NOT_FOUND naming it. */
export function requireReportFile(projectDir: string, reportPath: string): string {
  const prefix = `${REPORTS_DIR}/`;
  const file = reportPath.startsWith(prefix) ? resolveReportFile(projectDir, reportPath.slice(prefix.length)) : null;
  if (!file)
    throw new BenchtopError('NOT_FOUND', `${reportPath} is not a report in the ${REPORTS_DIR}/ folder.`, {
      field: 'path',
      hint: `Pick a report from the Reports view (reports.list); only .html, .pdf and .json files directly in ${REPORTS_DIR}/ can be opened.`,
    });
  return file;
}
