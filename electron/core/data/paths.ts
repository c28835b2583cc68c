// Runs in: main (core). Turning a path the user gave into a project-relative one, refusing what
// must never be tracked or written: anything outside the project (by `..` or by a symlink), and
// whatever the path policy (util/path-policy.ts) protects: the project folder itself, the git
// folder, Benchtop's own folder, the pipeline files and pointer files themselves.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { isInside, policyError, realPathOf, refusal } from '../util/path-policy';

/** `given` is relative to `base` (the CLI's cwd) or absolute. Returns a posix path relative to the project. */
export function projectRelative(projectDir: string, given: string, base = projectDir, field = 'path'): string {
  if (given.includes('\0')) throw new BenchtopError('INVALID_INPUT', 'The path contains a NUL character.', { field });
  const root = realpathSync(projectDir);
  const abs = path.resolve(base, given);
  // Follow symlinks as far as the path exists, so a link that leads out is caught.
  const real = realPathOf(abs);
  if (!isInside(root, real)) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `${given} is outside the project folder ${projectDir}${abs !== real ? ' (through a symbolic link)' : ''}.`,
      { field, hint: 'Track data that lives inside the project; copy it in first.' },
    );
  }
  const rel = path.relative(root, real).split(path.sep).join('/') || '.';
  // Tracking writes a pointer beside the path and checkout replaces it: the write rules apply.
  const why = refusal(rel, 'write');
  if (why) throw policyError(given, why, field);
  return rel;
}
