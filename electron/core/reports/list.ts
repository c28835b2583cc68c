// Runs in: main (core). Exported reports (reports/*.html|pdf|json) for the Reports section.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { reportsList } from '../../../shared/contract/schemas';
import { REPORTS_DIR } from '../workspace/layout';

type ReportsList = z.infer<typeof reportsList>;

export function listReports(projectDir: string): ReportsList {
  const root = path.join(projectDir, REPORTS_DIR);
  if (!existsSync(root)) return { folder: REPORTS_DIR, reports: [] };
  const reports: ReportsList['reports'] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const m = /\.(html|pdf|json)$/i.exec(entry.name);
    if (!entry.isFile() || !m) continue;
    const st = statSync(path.join(root, entry.name));
    reports.push({
      path: `${REPORTS_DIR}/${entry.name}`,
      name: entry.name.replace(/\.[^.]+$/, ''),
      format: m[1]!.toLowerCase() as 'html' | 'pdf' | 'json',
      size: st.size,
      modifiedAt: st.mtime.toISOString(),
    });
  }
  reports.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
  return { folder: REPORTS_DIR, reports };
}
