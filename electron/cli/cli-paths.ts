// Runs in: CLI (Node). Paths typed on the command line are relative to the current folder, while
// contract methods take them relative to the project folder (the app has no current folder): these
// turn one into the other before the call, keeping messages as close to the typed path as possible.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../shared/contract/errors';
import type { Call } from './core-client';

async function projectDir(call: Call): Promise<string> {
  const project = await call('project.current', {});
  return project!.path;
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
  const dir = await projectDir(call);
  const rel = path.relative(realpathSync(dir), path.resolve(given));
  if (rel === '') return '.';
  if (rel.split(path.sep)[0] === '..' || path.isAbsolute(rel))
    throw new BenchtopError('INVALID_INPUT', `${given} is outside the project folder ${dir}.`, {
      field,
      hint: 'Track data that lives inside the project; copy it in first.',
    });
  return rel.split(path.sep).join('/');
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
