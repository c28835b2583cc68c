// Runs in: main (core). `benchtop data untrack PATH`: stop tracking data without losing any of it.
// The pointer is removed (its deletion staged, for the next `data commit`) with its .gitignore line;
// the data stays on disk, its objects stay in the cache, and its past versions stay in `data log`.
// Also the fold-in behind `data add --absorb`: tracked files inside a folder about to be tracked.
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { BenchtopError } from '../../../shared/contract/errors';
import { hasRepo } from '../git/git';
import { removeGitignoreEntries } from '../workspace/gitignore';
import { dataPathOf, pointerPathOf } from './pointer';
import { projectRelative } from './paths';
import { findPointers } from './pointer';
import { gitFs } from '../git/git-fs';

/** Tracked paths (data paths, not pointers) strictly inside `rel`. */
export function trackedInside(pointers: readonly string[], rel: string): string[] {
  return pointers.map(dataPathOf).filter((d) => d.startsWith(`${rel}/`));
}

/** The tracked folder that holds `rel`, if any. */
export function trackedAround(pointers: readonly string[], rel: string): string | null {
  return pointers.map(dataPathOf).find((d) => rel.startsWith(`${d}/`)) ?? null;
}

/** Removes the pointers of these data paths and their .gitignore lines, staging both in git. */
export async function dropPointers(projectDir: string, rels: readonly string[]): Promise<void> {
  for (const rel of rels) fs.rmSync(path.join(projectDir, pointerPathOf(rel)), { force: true });
  const gitignoreChanged = removeGitignoreEntries(
    projectDir,
    rels.map((r) => `/${r}`),
  );
  if (!hasRepo(projectDir)) return;
  const indexed = new Set(await git.listFiles({ fs: gitFs, dir: projectDir }));
  for (const rel of rels)
    if (indexed.has(pointerPathOf(rel))) await git.remove({ fs: gitFs, dir: projectDir, filepath: pointerPathOf(rel) });
  if (gitignoreChanged) await git.add({ fs: gitFs, dir: projectDir, filepath: '.gitignore' });
}

export async function untrackData(projectDir: string, given: readonly string[], base = projectDir): Promise<string[]> {
  if (given.length === 0)
    throw new BenchtopError('INVALID_INPUT', 'Name at least one tracked file or folder.', {
      field: 'paths',
      hint: 'For example: benchtop data untrack data/train.csv',
    });
  const pointers = findPointers(projectDir);
  const rels = given.map((g) => projectRelative(projectDir, g, base));
  for (const rel of rels) {
    if (!pointers.includes(pointerPathOf(rel)))
      throw new BenchtopError('NOT_FOUND', `${rel} is not tracked.`, {
        field: 'paths',
        hint: 'See tracked data with `benchtop data status`. Nothing was changed.',
      });
  }
  await dropPointers(projectDir, rels);
  return rels;
}
