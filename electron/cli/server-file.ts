// Runs in: CLI (Node). `.benchtop/server.json`: how scripts in a project find the running
// `benchtop ui` server (url, port, token, pid). Readable by the user alone, since the token opens
// the whole API; written atomically so a script never reads half of it; removed when the server stops.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/util/atomic-write';
import { ensureGitignore } from '../core/workspace/gitignore';
import { BENCHTOP_DIR } from '../core/workspace/layout';
import { processAlive } from '../core/workspace/project-lock';

export const SERVER_FILE = path.join(BENCHTOP_DIR, 'server.json');

export interface ServerInfo {
  url: string;
  port: number;
  token: string;
  pid: number;
}

/** The server named by the project's server.json while its process still runs; null if none or stale. */
export function liveServer(projectDir: string): ServerInfo | null {
  try {
    const info = JSON.parse(readFileSync(path.join(projectDir, SERVER_FILE), 'utf8')) as ServerInfo;
    if (typeof info.pid !== 'number' || info.pid === process.pid) return null;
    return processAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export function writeServerFile(projectDir: string, info: ServerInfo): string {
  // Projects made before server.json existed learn to ignore it here, before the token is written.
  ensureGitignore(projectDir);
  const file = path.join(projectDir, SERVER_FILE);
  writeFileAtomic(file, `${JSON.stringify(info, null, 2)}\n`, 0o600);
  return file;
}

/** Removes the file only if it is still this server's: another `benchtop ui` may have replaced it. */
export function removeServerFile(projectDir: string, token: string): void {
  const file = path.join(projectDir, SERVER_FILE);
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerInfo>;
    if (info.token === token) rmSync(file, { force: true });
  } catch {
    // Missing or unreadable: nothing of ours to remove.
  }
}
