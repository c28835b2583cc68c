// Runs in: main (core). Putting the demo project back to its starting state. Data is sacred, even
// in a demo: the current folder is renamed to a dated backup beside it (never deleted), then a
// fresh demo project is created at the same path. Only a project whose config says `demo: true`.
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { initProject } from '../workspace/init';
import type { Workspace } from '../workspace/workspace';

/** Refuses anything but a demo project, before anything is stopped or moved. */
export function requireDemo(ws: Workspace): void {
  if (!ws.config.demo) {
    throw new BenchtopError('UNSUPPORTED', `${ws.name} (${ws.dir}) is not the demo project, so it cannot be reset.`, {
      hint: 'Only a project created as the demo (`demo: true` in .benchtop/config.yaml) can be reset; your own projects are never replaced.',
    });
  }
}

/** `demo-backup-2026-11-30-0512` beside `demo`, with a counter when that name is taken. */
export function backupPath(dir: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const base = `${dir}-backup-${stamp}`;
  let candidate = base;
  for (let i = 2; existsSync(candidate); i++) candidate = `${base}-${i}`;
  return candidate;
}

export interface ResetResult {
  workspace: Workspace;
  /** Where the previous demo folder now is. */
  backup: string;
}

/**
 * Moves the (closed) demo folder `dir` aside and creates a fresh demo there. If creating it fails,
 * the half-made folder is moved aside too and the backup goes back where it was, so the user is left
 * with the project they had.
 */
export async function resetDemoFolder(dir: string, now = new Date()): Promise<ResetResult> {
  const backup = backupPath(dir, now);
  try {
    renameSync(dir, backup);
  } catch (err) {
    throw new BenchtopError('CONFLICT', `${dir} could not be moved aside to ${path.basename(backup)}: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`, {
      hint: 'Close programs that use files in the demo folder (a terminal inside it, an editor), then try again.',
    });
  }
  try {
    const { workspace } = await initProject(dir, { demo: true });
    return { workspace, backup };
  } catch (err) {
    if (existsSync(dir)) renameSync(dir, backupPath(`${dir}-failed-reset`, now));
    renameSync(backup, dir);
    throw err;
  }
}
