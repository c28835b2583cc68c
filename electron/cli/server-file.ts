// Runs in: CLI (Node). `.benchtop/server.json`: how scripts in a project find the running
// `benchtop ui` server (url, port, token, pid). Readable by the user alone, since the token opens
// the whole API; written atomically so a script never reads half of it; removed when the server stops.
// It is also the claim "one `benchtop ui` per project": created exclusively (written beside it, then
// hard-linked into place, which fails if it exists), so of two servers started at the same instant
// exactly one gets it and the other refuses.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/util/atomic-write';
import { createExclusive, removeUnderGuard } from '../core/util/exclusive-file';
import { BENCHTOP_DIR } from '../core/util/layout';
import { ensureGitignore, processAlive } from '../core/app/shell-support';

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

/** A guard file still there after this long was left by a process that died while taking over. */
const ABANDONED_MS = 10_000;

function readServerFile(file: string): ServerInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    return typeof info.pid === 'number' && typeof info.token === 'string' ? info : null;
  } catch {
    return null;
  }
}

/**
 * Removes a server.json judged stale (its server is gone, or it was this process's own), under a
 * guard, so one just claimed by another server is never removed. False when another process is
 * taking it over right now.
 */
function removeStale(file: string, stale: ServerInfo | null): boolean {
  // Only the very file judged stale goes; anything else was claimed meanwhile.
  return removeUnderGuard(file, () => (readServerFile(file)?.token ?? null) === (stale?.token ?? null), ABANDONED_MS);
}

export type ServerClaim = { ok: true; file: string } | { ok: false; other: ServerInfo };

/**
 * Claims the project for this server by creating its server.json exclusively. Another live server's
 * file is left alone and returned (the caller refuses, naming it); a dead server's file, or this
 * process's own from before, is replaced.
 */
export async function claimServerFile(projectDir: string, info: ServerInfo): Promise<ServerClaim> {
  // Projects made before server.json existed learn to ignore it here, before the token is written.
  ensureGitignore(projectDir);
  const file = path.join(projectDir, SERVER_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = `${JSON.stringify(info, null, 2)}\n`;
  const deadline = Date.now() + 2 * ABANDONED_MS;
  for (;;) {
    if (createExclusive(file, body, 0o600)) return { ok: true, file };
    const current = readServerFile(file);
    if (current && current.pid !== process.pid && processAlive(current.pid)) return { ok: false, other: current };
    // Unreadable: being written without hard links, or left broken; it is replaced once old.
    let old = true;
    if (!current) {
      try {
        old = Date.now() - statSync(file).mtimeMs > ABANDONED_MS;
      } catch {
        old = false;
      }
    }
    if (!old || !removeStale(file, current)) {
      if (Date.now() > deadline)
        throw new Error(`${file} stayed busy; remove it if no benchtop ui serves this project.`);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
    }
  }
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
