// Runs in: main (core). Temp files that killed commands leave behind. A `data add`, `data pull` or
// `models import` writes each object to a temp file in the cache and renames it into place; killed
// in between, the temp file stays, and nothing else ever names it (hundreds of MB were seen). They
// are swept when a project is opened, and `benchtop doctor` lists and removes them.
//
// Only files untouched for a day are orphans: a command still writing one keeps moving its mtime,
// and no single temp file takes a day to write. BENCHTOP_TMP_MAX_AGE_MS overrides the age (the
// fault-injection tests set it low to check that nothing a killed command left survives an open).
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, TMP_DIR } from '../util/layout';

const DAY_MS = 24 * 3600 * 1000;

/** Folders whose files are all temp files of Benchtop's own writers, relative to the project. */
export const TEMP_DIRS: readonly string[] = [
  path.join(CACHE_DIR, 'tmp'),
  path.join(CACHE_DIR, 'objects', 'tmp'),
  path.join(TMP_DIR, 'uploads'),
];

export function tempMaxAgeMs(): number {
  const v = process.env.BENCHTOP_TMP_MAX_AGE_MS;
  return v && /^\d+$/.test(v) ? Number(v) : DAY_MS;
}

export interface OrphanTemp {
  /** Relative to the project. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** Temp files older than the age limit; one readdir per folder, nothing when a folder is missing. */
export function findOrphanTemps(projectDir: string, maxAgeMs = tempMaxAgeMs(), now = Date.now()): OrphanTemp[] {
  const out: OrphanTemp[] = [];
  for (const rel of TEMP_DIRS) {
    let names: string[];
    try {
      names = readdirSync(path.join(projectDir, rel));
    } catch {
      continue;
    }
    for (const name of names) {
      const st = lstatSync(path.join(projectDir, rel, name), { throwIfNoEntry: false });
      if (!st || st.isDirectory()) continue;
      if (now - st.mtimeMs >= maxAgeMs)
        out.push({ path: path.join(rel, name).split(path.sep).join('/'), size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return out;
}

/** Removes the orphan temp files; returns those removed. Never throws: a sweep must not stop an open. */
export function sweepOrphanTemps(projectDir: string, maxAgeMs = tempMaxAgeMs()): OrphanTemp[] {
  const removed: OrphanTemp[] = [];
  try {
    for (const t of findOrphanTemps(projectDir, maxAgeMs)) {
      try {
        rmSync(path.join(projectDir, t.path), { force: true });
        removed.push(t);
      } catch {
        /* left for the next open or `benchtop doctor --fix` */
      }
    }
  } catch {
    /* as above */
  }
  return removed;
}
