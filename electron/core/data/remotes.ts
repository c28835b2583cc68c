// Runs in: main (core). Data remotes: folders (a local disk, a NAS mount, a USB drive) or
// S3-compatible buckets (s3://bucket/prefix) holding cache objects in the cache's own layout,
// named in .benchtop/config.yaml under `remotes:`.
import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, YAMLMap } from 'yaml';
import { BenchtopError } from '../../../shared/contract/errors';
import { isInside, realPathOf } from '../util/path-policy';
import { editConfig, readConfig } from '../workspace/config';

export interface Remote {
  name: string;
  kind: 'folder' | 's3';
  /** As written in the config: relative to the project, or absolute; s3://bucket/prefix for S3. */
  url: string;
  /** The folder it resolves to on this machine; the URL for S3. */
  path: string;
  isDefault: boolean;
  /** Whether the folder is there now (a drive may be unplugged); S3 is only reached when used, so true. */
  exists: boolean;
  endpoint: string | null;
  profile: string | null;
  region: string | null;
}

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket's root. */
  prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const isS3Url = (url: string): boolean => /^s3:\/\//i.test(url);

/** Bucket and prefix of an s3:// URL; refuses what no S3-compatible store would accept. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url.trim());
  const bucket = m?.[1] ?? '';
  if (!m || !BUCKET.test(bucket))
    throw new BenchtopError('INVALID_INPUT', `"${url.slice(0, 200)}" does not name an S3 bucket.`, {
      field: 'path',
      hint: 'Write s3://BUCKET/PREFIX, the bucket in lower case (3 to 63 letters, digits, dots and hyphens).',
    });
  const prefix = m[2]!.replace(/^\/+|\/+$/g, '');
  if (prefix !== '' && prefix.split('/').some((p) => p === '' || p === '.' || p === '..'))
    throw new BenchtopError('INVALID_INPUT', `The prefix of ${url} has an empty, . or .. part.`, {
      field: 'path',
      hint: 'For example: s3://team-data/benchtop/project-a.',
    });
  return { bucket, prefix };
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
    const { url, endpoint, profile, region } = remotes[name]!;
    const isDefault = marked.length ? marked[0] === name : names.length === 1;
    const s3 = { endpoint: endpoint ?? null, profile: profile ?? null, region: region ?? null };
    if (isS3Url(url)) return { name, kind: 's3' as const, url, path: url, isDefault, exists: true, ...s3 };
    const abs = path.resolve(projectDir, url);
    return {
      name,
      kind: 'folder' as const,
      url,
      path: abs,
      isDefault,
      exists: existsSync(abs) && statSync(abs).isDirectory(),
      endpoint: null,
      profile: null,
      region: null,
    };
  });
}

/** Adds a remote; its folder is created when missing. Relative paths are kept relative to the project, so a committed config works in every clone. */
export function addRemote(
  projectDir: string,
  name: string,
  given: string,
  opts: { base?: string; makeDefault?: boolean; endpoint?: string; profile?: string; region?: string } = {},
): Remote[] {
  checkName(name);
  if (isS3Url(given)) return addS3Remote(projectDir, name, given, opts);
  if (opts.endpoint !== undefined || opts.profile !== undefined || opts.region !== undefined)
    throw new BenchtopError('INVALID_INPUT', `${given} is a folder; --endpoint, --profile and --region are for S3.`, {
      field: 'path',
      hint: 'For a bucket write s3://BUCKET/PREFIX.',
    });
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
  writeRemote(projectDir, name, { url }, existing, opts.makeDefault);
  return listRemotes(projectDir);
}

function writeRemote(
  projectDir: string,
  name: string,
  entry: Record<string, string>,
  existing: Remote[],
  makeDefault: boolean | undefined,
): void {
  editConfig(projectDir, (doc) => {
    let map = doc.get('remotes', true);
    if (!isMap(map)) {
      map = new YAMLMap();
      doc.set('remotes', map);
    }
    // `remotes: {}` as first written is a flow map; entries read better as a block.
    (map as YAMLMap).flow = false;
    if (makeDefault) for (const r of existing) doc.deleteIn(['remotes', r.name, 'default']);
    doc.setIn(['remotes', name], doc.createNode(makeDefault ? { ...entry, default: true } : entry));
  });
}

/** An S3 remote is only written down: reaching it needs credentials this machine may not have yet. */
function addS3Remote(
  projectDir: string,
  name: string,
  given: string,
  opts: { makeDefault?: boolean; endpoint?: string; profile?: string; region?: string },
): Remote[] {
  const { bucket, prefix } = parseS3Url(given);
  const url = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
  if (opts.endpoint !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(opts.endpoint);
    } catch {
      /* refused below */
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password)
      throw new BenchtopError('INVALID_INPUT', `"${opts.endpoint.slice(0, 200)}" is not an http(s) endpoint URL.`, {
        field: 'endpoint',
        hint: 'For example: http://localhost:9000 (MinIO) or https://ACCOUNT.r2.cloudflarestorage.com (R2); credentials never go in it.',
      });
  }
  for (const [field, v] of [
    ['profile', opts.profile],
    ['region', opts.region],
  ] as const)
    if (v !== undefined && !/^[A-Za-z0-9_.+@-]{1,100}$/.test(v))
      throw new BenchtopError('INVALID_INPUT', `"${v.slice(0, 100)}" cannot be a ${field}.`, { field });
  const existing = listRemotes(projectDir);
  if (existing.some((r) => r.name === name))
    throw new BenchtopError('ALREADY_EXISTS', `There is already a remote named ${name}.`, {
      field: 'name',
      hint: `Remove it first with \`benchtop data remote remove ${name}\`, or choose another name.`,
    });
  const clash = existing.find((r) => r.url === url && r.endpoint === (opts.endpoint ?? null));
  if (clash)
    throw new BenchtopError('ALREADY_EXISTS', `Remote ${clash.name} already uses ${url}.`, {
      field: 'path',
      hint: 'One name per bucket and prefix is enough.',
    });
  const entry: Record<string, string> = { url };
  if (opts.endpoint !== undefined) entry.endpoint = opts.endpoint;
  if (opts.profile !== undefined) entry.profile = opts.profile;
  if (opts.region !== undefined) entry.region = opts.region;
  writeRemote(projectDir, name, entry, existing, opts.makeDefault);
  return listRemotes(projectDir);
}

export function removeRemote(projectDir: string, name: string): Remote[] {
  checkName(name);
  if (!listRemotes(projectDir).some((r) => r.name === name))
    throw new BenchtopError('NOT_FOUND', `There is no remote named ${name}.`, {
      field: 'name',
      hint: 'List remotes with `benchtop data remote list`.',
    });
  // The folder (or bucket) and its objects stay: other clones may still use them.
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
        hint: 'Add one with `benchtop data remote add NAME PATH` (a folder on a NAS or USB drive, or s3://BUCKET/PREFIX).',
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
