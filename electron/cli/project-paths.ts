// Runs in: CLI (Node). Paths typed on the command line are relative to where the command runs; the
// contract takes them relative to the project (the app has no current folder). This only translates one into the other: the core
// still checks each path on disk (symbolic links that lead out, the path policy) as it does for the app.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../shared/contract/errors';
import type { Call } from './core-client';

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

/** The open project's folder, as the core reports it (project.info: no git status just for a path). */
async function projectDir(call: Call): Promise<string> {
  return (await call('project.info', {})).path;
}

/**
 * A file for a method that takes any file, relative to the project folder: as typed when the
 * current folder is the project (so messages quote it as typed), else made absolute.
 */
export async function fromHere(call: Call, file: string): Promise<string> {
  if (path.isAbsolute(file)) return file;
  return realpathSync(await projectDir(call)) === process.cwd() ? file : path.resolve(file);
}

/**
 * A file or folder that must be inside the project, as a project-relative path (what a
 * `projectRelativePath` field takes); one outside is refused as the core refuses it.
 */
export async function insideProject(call: Call, given: string, field = 'path'): Promise<string> {
  return projectPath(await projectDir(call), given, field);
}

/**
 * A data source for drift and monitors (a table file, `data/x.csv@REV` or `run:RUN_ID/path`): a
 * file path is taken from the current folder, a run's artifact path is left as it is.
 */
export async function sourceFromHere(call: Call, spec: string): Promise<string> {
  if (spec.startsWith('run:') || path.isAbsolute(spec)) return spec;
  const root = realpathSync(await projectDir(call));
  if (root === process.cwd()) return spec;
  const rel = path.relative(root, path.resolve(spec)).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}
