// Runs in: main (core). Turning a path the user gave into a project-relative one, refusing what
// must never be tracked or written: anything outside the project (by `..` or by a symlink), the
// git folder, Benchtop's own folder, and pointer files themselves.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { BENCHTOP_DIR } from '../workspace/layout';
import { POINTER_SUFFIX } from './pointer';

/** `given` is relative to `base` (the CLI's cwd) or absolute. Returns a posix path relative to the project. */
export function projectRelative(projectDir: string, given: string, base = projectDir, field = 'path'): string {
  if (given.includes('\0')) throw new BenchtopError('INVALID_INPUT', 'The path contains a NUL character.', { field });
  const root = realpathSync(projectDir);
  const abs = path.resolve(base, given);
  // Follow symlinks as far as the path exists, so a link that leads out is caught.
  let real = abs;
  let tail = '';
  while (!existsSync(real) && path.dirname(real) !== real) {
    tail = path.join(path.basename(real), tail);
    real = path.dirname(real);
  }
  real = path.join(realpathSync(real), tail);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new BenchtopError('INVALID_INPUT', `${given} is outside the project folder ${projectDir}${abs !== real ? ' (through a symbolic link)' : ''}.`, { field, hint: 'Track data that lives inside the project; copy it in first.' });
  }
  const rel = path.relative(root, real).split(path.sep).join('/');
  if (rel === '') throw new BenchtopError('INVALID_INPUT', 'The project folder itself cannot be tracked as data.', { field, hint: 'Name a file or a folder inside it, such as data/.' });
  const first = rel.split('/')[0];
  if (first === '.git' || first === BENCHTOP_DIR) throw new BenchtopError('INVALID_INPUT', `${given} is inside ${first}/, which Benchtop and git manage.`, { field, hint: 'Track your own files, such as data/train.csv.' });
  if (rel.endsWith(POINTER_SUFFIX)) throw new BenchtopError('INVALID_INPUT', `${given} is a pointer file; name the data it points to.`, { field, hint: `Use ${rel.slice(0, -POINTER_SUFFIX.length)}.` });
  return rel;
}
