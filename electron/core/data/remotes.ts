// Runs in: main (core). Data remotes: folders (a local disk, a NAS mount, a USB drive) holding
// cache objects in the cache's own layout, named in .benchtop/config.yaml under `remotes:`.
import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, YAMLMap } from 'yaml';
import { BenchtopError } from '../../../shared/contract/errors';
import { isInside, realPathOf } from '../util/path-policy';
import { editConfig, readConfig } from '../workspace/config';

export interface Remote {
  name: string;
  /** As written in the config: relative to the project, or absolute. */
  url: string;
  /** The folder it resolves to on this machine. */
  path: string;
  isDefault: boolean;
  /** Whether the folder is there now (a drive may be unplugged). */
  exists: boolean;
}

const NAME = /^[A-Za-z0-9_-]+$/;

function checkName(name: string): void {
  if (!NAME.test(name) || name.length > 100) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${name.slice(0, 100)}" cannot be a remote name: use letters, digits, - and _ only.`,
      { field: 'name', hint: 'For example: nas, usb-backup, team_store.' },
    );
  }
}

export function listRemotes(projectDir: string): Remote[] {
  const { remotes } = readConfig(projectDir);
  const names = Object.keys(remotes).sort();
  const marked = names.filter((n) => remotes[n]!.default);
  return names.map((name) => {
    const url = remotes[name]!.url;
    const abs = path.resolve(projectDir, url);
    return {
      name,
      url,
      path: abs,
      isDefault: marked.length ? marked[0] === name : names.length === 1,
      exists: existsSync(abs) && statSync(abs).isDirectory(),
    };
  });
}

/** Adds a remote; its folder is created when missing. Relative paths are kept relative to the project, so a committed config works in every clone. */
export function addRemote(
  projectDir: string,
  name: string,
  given: string,
  opts: { base?: string; makeDefault?: boolean } = {},
): Remote[] {
  checkName(name);
  if (given.trim() === '' || given.includes('\0'))
    throw new BenchtopError('INVALID_INPUT', 'The remote needs a folder path.', {
      field: 'path',
      hint: 'For example: /mnt/nas/benchtop or ../data-store.',
    });
  const existing = listRemotes(projectDir);
  if (existing.some((r) => r.name === name))
    throw new BenchtopError('ALREADY_EXISTS', `There is already a remote named ${name}.`, {
      field: 'name',
      hint: `Remove it first with \`benchtop data remote remove ${name}\`, or choose another name.`,
    });
  const abs = path.resolve(opts.base ?? projectDir, given);
  if (existsSync(abs) && !statSync(abs).isDirectory())
    throw new BenchtopError('INVALID_INPUT', `${abs} is a file, not a folder.`, {
      field: 'path',
      hint: 'Name a folder (it is created when missing).',
    });
  // Where the folder is (or will be) once links are followed, checked before anything is created.
  const real = realPathOf(abs);
  const root = realpathSync(projectDir);
  // Inside the project (its .git and .benchtop included) the remote would be committed to git,
  // copied into its own cache, or deleted with the project.
  if (isInside(root, real)) {
    throw new BenchtopError('INVALID_INPUT', `${abs} is inside the project; a remote must live outside it.`, {
      field: 'path',
      hint: 'Use a folder beside the project (../data-store), a NAS mount or a USB drive.',
    });
  }
  const clash = existing.find((r) => existsSync(r.path) && realpathSync(r.path) === real);
  if (clash)
    throw new BenchtopError('ALREADY_EXISTS', `Remote ${clash.name} already uses ${abs}.`, {
      field: 'path',
      hint: 'One name per folder is enough.',
    });
  try {
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK);
  } catch (err) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `${abs} cannot be used as a remote: ${err instanceof Error ? err.message : String(err)}.`,
      { field: 'path', hint: 'Name a folder you can write to; mount the drive first if it is one.' },
    );
  }
  const url = path.isAbsolute(given) ? abs : path.relative(projectDir, abs).split(path.sep).join('/');
  editConfig(projectDir, (doc) => {
    let map = doc.get('remotes', true);
    if (!isMap(map)) {
      map = new YAMLMap();
      doc.set('remotes', map);
    }
    // `remotes: {}` as first written is a flow map; entries read better as a block.
    (map as YAMLMap).flow = false;
    if (opts.makeDefault) for (const r of existing) doc.deleteIn(['remotes', r.name, 'default']);
    doc.setIn(['remotes', name], doc.createNode(opts.makeDefault ? { url, default: true } : { url }));
  });
  return listRemotes(projectDir);
}

export function removeRemote(projectDir: string, name: string): Remote[] {
  checkName(name);
  if (!listRemotes(projectDir).some((r) => r.name === name))
    throw new BenchtopError('NOT_FOUND', `There is no remote named ${name}.`, {
      field: 'name',
      hint: 'List remotes with `benchtop data remote list`.',
    });
  // The folder and its objects stay: other clones may still use them.
  editConfig(projectDir, (doc) => doc.deleteIn(['remotes', name]));
  return listRemotes(projectDir);
}

export function setDefaultRemote(projectDir: string, name: string): Remote[] {
  checkName(name);
  const remotes = listRemotes(projectDir);
  if (!remotes.some((r) => r.name === name))
    throw new BenchtopError('NOT_FOUND', `There is no remote named ${name}.`, {
      field: 'name',
      hint: 'List remotes with `benchtop data remote list`.',
    });
  editConfig(projectDir, (doc) => {
    for (const r of remotes) doc.deleteIn(['remotes', r.name, 'default']);
    doc.setIn(['remotes', name, 'default'], true);
  });
  return listRemotes(projectDir);
}

/** The remote named, or the default one; refuses when there is none or the choice is ambiguous. */
export function resolveRemote(projectDir: string, name?: string | null): Remote {
  const remotes = listRemotes(projectDir);
  let remote: Remote | undefined;
  if (name) {
    checkName(name);
    remote = remotes.find((r) => r.name === name);
    if (!remote)
      throw new BenchtopError('NOT_FOUND', `There is no remote named ${name}.`, {
        field: 'remote',
        hint: 'List remotes with `benchtop data remote list`.',
      });
  } else {
    if (remotes.length === 0)
      throw new BenchtopError('NOT_FOUND', 'This project has no data remote.', {
        field: 'remote',
        hint: 'Add one with `benchtop data remote add NAME PATH` (a folder on a NAS or USB drive).',
      });
    remote = remotes.find((r) => r.isDefault);
    if (!remote)
      throw new BenchtopError('INVALID_INPUT', `This project has ${remotes.length} remotes and none is the default.`, {
        field: 'remote',
        hint: `Name one with --remote (${remotes.map((r) => r.name).join(', ')}), or mark one with \`benchtop data remote default NAME\`.`,
      });
  }
  if (!remote.exists)
    throw new BenchtopError('NOT_FOUND', `The folder of remote ${remote.name} (${remote.path}) is not there.`, {
      field: 'remote',
      hint: 'Mount or plug in the drive, or fix the path in .benchtop/config.yaml.',
    });
  return remote;
}
