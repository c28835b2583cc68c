// Runs in: main (core). Isolated working copies under .benchtop/tmp/work/, so that sweep runs in
// parallel, and reproductions of old runs, never overwrite each other's (or the project's) files.
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { exportCommit } from '../git/git';
import { TMP_DIR } from '../util/layout';

export interface WorkingCopy {
  dir: string;
  /** Stat-cache namespace of this copy. */
  hashKeyPrefix: string;
  /** Removes the copy and its stat-cache entries. */
  dispose(): void;
}

/** Everything but git's and Benchtop's own folders, copied (reflinked where the disk can). */
function copyTree(from: string, to: string, rel = ''): void {
  for (const e of readdirSync(path.join(from, rel), { withFileTypes: true })) {
    const child = path.join(rel, e.name);
    if (rel === '' && (e.name === '.git' || e.name === '.benchtop')) continue;
    if (e.isDirectory()) {
      mkdirSync(path.join(to, child), { recursive: true });
      copyTree(from, to, child);
    } else if (e.isFile()) {
      copyFileSync(path.join(from, child), path.join(to, child), constants.COPYFILE_FICLONE);
    }
  }
}

function create(projectDir: string, db: Database, key: string): WorkingCopy {
  const dir = path.join(projectDir, TMP_DIR, 'work', key);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hashKeyPrefix = `work/${key}/`;
  return {
    dir,
    hashKeyPrefix,
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
      db.prepare('DELETE FROM file_hashes WHERE path >= ? AND path < ?').run(hashKeyPrefix, `${hashKeyPrefix}\uffff`);
    },
  };
}

/** A copy of the working tree as it is now, uncommitted changes included. */
export function copyOfWorkingTree(projectDir: string, db: Database, key: string): WorkingCopy {
  const copy = create(projectDir, db, key);
  copyTree(projectDir, copy.dir);
  return copy;
}

/**
 * A copy of the project at `commit`. Files the commit does not hold but the pipeline needs (data
 * kept out of git) are taken from the working tree, and listed in the result.
 */
export async function copyOfCommit(
  projectDir: string,
  db: Database,
  key: string,
  commit: string,
  needed: () => string[],
): Promise<{ copy: WorkingCopy; fromWorkingTree: string[] }> {
  const copy = create(projectDir, db, key);
  await exportCommit(projectDir, commit, copy.dir);
  const fromWorkingTree: string[] = [];
  for (const rel of needed()) {
    const dest = path.join(copy.dir, rel);
    const src = path.join(projectDir, rel);
    if (existsSync(dest) || !existsSync(src)) continue;
    if (statSync(src).isDirectory()) {
      mkdirSync(dest, { recursive: true });
      copyTree(src, dest);
    } else {
      mkdirSync(path.dirname(dest), { recursive: true });
      copyFileSync(src, dest, constants.COPYFILE_FICLONE);
    }
    fromWorkingTree.push(rel);
  }
  return { copy, fromWorkingTree };
}
