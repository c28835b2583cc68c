// Runs in: main (core). Putting the demo project back to its starting state. Data is sacred, even
// in a demo: the current folder is renamed to a dated backup beside it (never deleted), then a
// fresh demo project is created at the same path. Only a project whose config says `demo: true`.
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { initProject } from './init';
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

/**
 * Creates a fresh demo project in a hidden folder beside `dir`, while the current one stays open and
 * answering; returns its path. A failed creation removes only that new folder (it holds nothing of
 * the user's).
 */
export async function prepareFreshDemo(dir: string): Promise<string> {
  const fresh = path.join(path.dirname(dir), `.${path.basename(dir)}.reset-${randomBytes(4).toString('hex')}`);
  try {
    (await initProject(fresh, { demo: true })).workspace.close();
  } catch (err) {
    rmSync(fresh, { recursive: true, force: true });
    throw err;
  }
  return fresh;
}

/**
 * Moves the (closed) demo folder `dir` to a dated backup and the fresh one into its place, both
 * renames in the same tick, so no call ever finds the path half-swapped. When the second rename
 * fails, the first is undone. Returns the backup's path.
 */
export function swapInFreshDemo(dir: string, fresh: string, now = new Date()): string {
  const backup = backupPath(dir, now);
  try {
    renameSync(dir, backup);
  } catch (err) {
    throw new BenchtopError(
      'CONFLICT',
      `${dir} could not be moved aside to ${path.basename(backup)}: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`,
      {
        hint: 'Close programs that use files in the demo folder (a terminal inside it, an editor), then try again.',
      },
    );
  }
  try {
    renameSync(fresh, dir);
  } catch (err) {
    renameSync(backup, dir);
    throw err;
  }
  return backup;
}
