// Runs in: main (core). Versions of tracked data are commits of their pointers: `data commit`
// commits the pointers, `data log` reads a pointer back from every commit that changed it.
import git from 'isomorphic-git';
import { BenchtopError } from '../../../shared/contract/errors';
import { commitPaths, hasRepo, workTreeStatus } from '../git/git';
import { parsePointer, pointerPathOf, type DataPointer } from './pointer';
import { projectRelative } from './paths';
import { findPointers } from './pointer';
import { gitFs } from '../git/git-fs';

function requireRepo(projectDir: string): void {
  if (!hasRepo(projectDir))
    throw new BenchtopError(
      'NOT_FOUND',
      `${projectDir} is not a git repository, so data versions cannot be committed.`,
      { hint: 'Run `benchtop init` in the project first.' },
    );
}

/** Commits every pointer that is new, changed or deleted (and .gitignore). Returns the commit, or null when nothing changed. */
export async function commitData(
  projectDir: string,
  message: string,
): Promise<{ commit: string; pointers: string[] } | null> {
  requireRepo(projectDir);
  if (message.trim() === '')
    throw new BenchtopError('INVALID_INPUT', 'A commit needs a message.', {
      field: 'message',
      hint: 'benchtop data commit -m "what changed in the data"',
    });
  const matrix = await workTreeStatus(projectDir, (f) => f.endsWith('.bt') || f === '.gitignore');
  const changed = matrix
    .filter(([, head, workdir, stage]) => !(head === 1 && workdir === 1 && stage === 1))
    .map(([f]) => f);
  const pointers = changed.filter((f) => f.endsWith('.bt'));
  if (pointers.length === 0) return null;
  // Only these paths go into the commit: whatever else the user staged stays staged, as it was.
  const commit = await commitPaths(projectDir, changed, message.trim());
  return { commit, pointers };
}

export interface DataVersion {
  commit: string;
  date: string;
  author: string;
  message: string;
  pointer: DataPointer | null;
  /** Set when the pointer in that commit could not be read. */
  problem: string | null;
}

/** Versions of one tracked path, newest first: each commit whose pointer differs from its parent's. */
export async function dataLog(
  projectDir: string,
  given: string,
  base = projectDir,
  depth = 500,
): Promise<DataVersion[]> {
  requireRepo(projectDir);
  const rel = projectRelative(projectDir, given, base);
  const pointerRel = pointerPathOf(rel);
  let commits: Awaited<ReturnType<typeof git.log>>;
  try {
    // force: a pointer removed since (untracked, or folded into its folder by --absorb) keeps its history.
    commits = await git.log({ fs: gitFs, dir: projectDir, filepath: pointerRel, depth, force: true });
  } catch {
    commits = [];
  }
  if (commits.length === 0 && !findPointers(projectDir).includes(pointerRel)) {
    throw new BenchtopError('NOT_FOUND', `${rel} is not tracked.`, {
      field: 'path',
      hint: 'Track it with `benchtop data add`, then `benchtop data commit -m MSG`.',
    });
  }
  const out: DataVersion[] = [];
  for (const c of commits) {
    let pointer: DataPointer | null = null;
    let problem: string | null = null;
    try {
      const { blob } = await git.readBlob({ fs: gitFs, dir: projectDir, oid: c.oid, filepath: pointerRel });
      pointer = parsePointer(Buffer.from(blob).toString('utf8'), `${c.oid.slice(0, 7)}:${pointerRel}`);
    } catch (err) {
      // The commit that deleted the pointer has none to read.
      problem = err instanceof Error ? err.message : String(err);
    }
    out.push({
      commit: c.oid,
      date: new Date(c.commit.author.timestamp * 1000).toISOString(),
      author: c.commit.author.name,
      message: c.commit.message.trim(),
      pointer,
      problem: pointer ? null : problem,
    });
  }
  return out;
}
