// Runs in: main (core). The recent-projects list, kept in the user data folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../../shared/contract/schemas';
import { writeFileAtomic } from '../util/atomic-write';

const MAX_RECENT = 12;
const entrySchema = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
const fileSchema = z.array(entrySchema);

function recentFile(dataDir: string): string {
  return path.join(dataDir, 'recent-projects.json');
}

function read(dataDir: string): z.infer<typeof fileSchema> {
  const file = recentFile(dataDir);
  if (!existsSync(file)) return [];
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    // A damaged list is not worth failing a launch over; it is rebuilt on the next open.
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function listRecent(dataDir: string): RecentProject[] {
  return read(dataDir).map((e) => ({ ...e, exists: existsSync(path.join(e.path, '.benchtop', 'config.yaml')) }));
}

export function rememberRecent(dataDir: string, project: { path: string; name: string }, now = new Date()): void {
  const rest = read(dataDir).filter((e) => e.path !== project.path);
  const next = [{ path: project.path, name: project.name, openedAt: now.toISOString() }, ...rest].slice(0, MAX_RECENT);
  writeFileAtomic(recentFile(dataDir), JSON.stringify(next, null, 2) + '\n');
}
