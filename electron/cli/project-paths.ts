// Runs in: CLI (Node). Paths typed on the command line are relative to where the command runs; the
// contract takes them relative to the project. This only translates one into the other: the core
// still checks each path on disk (symbolic links that lead out, the path policy) as it does for the app.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../shared/contract/errors';

/** The real path of `abs` as far as it exists, with the rest appended (a path may not exist yet). */
function realAsFarAsExists(abs: string): string {
  const rest: string[] = [];
  let at = abs;
  while (!existsSync(at)) {
    const up = path.dirname(at);
    if (up === at) return abs;
    rest.unshift(path.basename(at));
    at = up;
  }
  return path.join(realpathSync(at), ...rest);
}

const inside = (root: string, abs: string): string | null => {
  const rel = path.relative(root, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
};

/**
 * `given` (relative to the current folder, or absolute) as a path relative to the project folder,
 * with `/` separators. Written as typed when it lies inside the project as written, so the core sees
 * (and refuses) a link that leads out; otherwise after following links, so a path through a link to
 * the project still works. Outside the project it fails as the core would.
 */
export function projectPath(projectDir: string, given: string, field = 'paths'): string {
  const abs = path.resolve(given);
  const root = realpathSync(projectDir);
  const rel = inside(projectDir, abs) ?? inside(root, abs) ?? inside(root, realAsFarAsExists(abs));
  if (rel !== null) return rel;
  throw new BenchtopError('INVALID_INPUT', `${given} is outside the project folder ${projectDir}.`, {
    field,
    hint: 'Track data that lives inside the project; copy it in first.',
  });
}

export const projectPaths = (projectDir: string, given: readonly string[], field = 'paths'): string[] =>
  given.map((g) => projectPath(projectDir, g, field));
