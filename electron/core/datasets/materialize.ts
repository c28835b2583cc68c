// Runs in: main (core). Putting cached objects into the workspace: a verified copy (the default), a
// reflink clone where the filesystem has them, or, opted into, a hardlink or symlink to the object.
// Linked objects are made read-only, so an edit in place fails instead of corrupting the cache;
// `benchtop data unlink` turns links back into plain copies.
import { chmodSync, constants, copyFileSync, linkSync, lstatSync, renameSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { DATA_LINK_MODES, type DataLinkMode } from '../../../shared/contract/schemas';
import type { ObjectStore } from '../versioning/object-store';
import { readConfig } from '../workspace/config';
import { runHashTasks, type HashTask } from './hash-pool';
import { decodeManifest } from './manifest';
import { pointerPathOf, readPointer } from './pointer';
import { projectRelative } from './paths';
import { dataStore } from './track';

export const LINK_MODES = DATA_LINK_MODES;
export type LinkMode = DataLinkMode;
/** How files actually reached the workspace (a reflink or a hardlink may fall back to a copy). */
export type Placed = Record<LinkMode, number>;

/** `data.link` from .benchtop/config.yaml; copy when unset. */
export function linkModeOf(projectDir: string): LinkMode {
  return readConfig(projectDir).data?.link ?? 'copy';
}

export function parseLinkMode(value: string): LinkMode {
  if ((LINK_MODES as readonly string[]).includes(value)) return value as LinkMode;
  throw new BenchtopError('INVALID_INPUT', `"${value}" is not a link mode.`, { field: 'link', hint: `Use one of: ${LINK_MODES.join(', ')}.` });
}

export interface PlaceItem {
  hash: string;
  /** Absolute path in the workspace. */
  dest: string;
}

const tmpBeside = (dest: string): string => path.join(path.dirname(dest), `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);

/** Errors that mean "this filesystem (pair) cannot do that", after which a copy is the answer. */
const UNSUPPORTED = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'EPERM', 'EMLINK']);
const unsupported = (err: unknown): boolean => UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '');

/**
 * Writes each object to its destination. Every object's bytes are checked against its name first
 * (copies: the bytes written; clones and links: the object itself), and only when all match are the
 * temp files renamed into place, so a corrupt object changes nothing.
 */
export async function placeObjects(store: ObjectStore, items: readonly PlaceItem[], mode: LinkMode, onDone?: (done: number, total: number) => void): Promise<Placed> {
  const placed: Placed = { copy: 0, reflink: 0, hardlink: 0, symlink: 0 };
  const tasks: HashTask[] = [];
  const plans: { item: PlaceItem; tmp: string; how: LinkMode }[] = [];
  let canClone = mode === 'reflink';
  try {
    for (const item of items) {
      const obj = store.pathOf(item.hash);
      const size = statSync(obj).size;
      mkdirSync(path.dirname(item.dest), { recursive: true });
      const tmp = tmpBeside(item.dest);
      let how: LinkMode = 'copy';
      if (canClone) {
        try {
          copyFileSync(obj, tmp, constants.COPYFILE_FICLONE_FORCE);
          how = 'reflink';
        } catch (err) {
          if (!unsupported(err)) throw err;
          canClone = false; // one refusal answers for the whole filesystem
        }
      }
      if (mode === 'hardlink' || mode === 'symlink') how = mode;
      plans.push({ item, tmp, how });
      // What is hashed is what lands in the workspace wherever it can be: a copy is written by the
      // thread that hashes it, from the same buffer in the same read (one pass over the bytes, and
      // the digest is that of the bytes written); a reflink shares the object's blocks, so they are
      // hashed through the clone; a link is checked by hashing the (read-only) object itself.
      if (how === 'copy') tasks.push({ file: obj, copyTo: tmp, size });
      else tasks.push({ file: how === 'reflink' ? tmp : obj, size });
    }
    // Nothing is renamed into place until every hash matched.
    const hashes = await runHashTasks(tasks, onDone);
    hashes.forEach((actual, i) => {
      const hash = plans[i]!.item.hash;
      if (actual !== hash) {
        throw new BenchtopError('BAD_FILE', `The cached object ${hash.slice(0, 12)}… is corrupt (its bytes hash to ${actual.slice(0, 12)}…).`, { hint: 'Run `benchtop data verify`, then restore it with `benchtop data pull` or add the data again. Nothing was changed.' });
      }
    });
    for (const p of plans) {
      const obj = store.pathOf(p.item.hash);
      if (p.how === 'hardlink' || p.how === 'symlink') {
        // Read-only object: writing through the link fails instead of changing the cache.
        chmodSync(obj, 0o444);
        try {
          if (p.how === 'hardlink') linkSync(obj, p.tmp);
          else symlinkSync(path.relative(path.dirname(p.item.dest), obj), p.tmp);
        } catch (err) {
          if (!unsupported(err)) throw err;
          const [actual] = await runHashTasks([{ file: obj, copyTo: p.tmp, size: statSync(obj).size }]);
          if (actual !== p.item.hash) throw new BenchtopError('BAD_FILE', `The cached object ${p.item.hash.slice(0, 12)}… changed while it was being copied.`);
          p.how = 'copy';
        }
      } else if (p.how === 'reflink') {
        chmodSync(p.tmp, 0o644); // a clone keeps the object's mode, which may be read-only
      }
      renameSync(p.tmp, p.item.dest);
      placed[p.how]++;
    }
  } finally {
    for (const p of plans) rmSync(p.tmp, { force: true });
  }
  return placed;
}

/** Whether `file` is a link (hard or symbolic) to `obj`. */
function linksTo(file: string, obj: string): boolean {
  try {
    const l = lstatSync(file);
    const o = statSync(obj);
    if (l.isSymbolicLink()) {
      const t = statSync(file);
      return t.ino === o.ino && t.dev === o.dev;
    }
    return l.isFile() && l.ino === o.ino && l.dev === o.dev;
  } catch {
    return false;
  }
}

export interface UnlinkResult {
  path: string;
  /** Links replaced by writable copies. */
  copied: number;
}

/** `benchtop data unlink PATH…`: hardlinks and symlinks into the cache become plain, writable copies. */
export async function unlinkData(projectDir: string, given: readonly string[], base = projectDir): Promise<UnlinkResult[]> {
  if (given.length === 0) throw new BenchtopError('INVALID_INPUT', 'Name at least one tracked file or folder.', { field: 'paths', hint: 'For example: benchtop data unlink data/images' });
  const store = dataStore(projectDir);
  const plans = given.map((g) => {
    const rel = projectRelative(projectDir, g, base);
    const pointer = readPointer(projectDir, pointerPathOf(rel));
    const files = pointer.kind === 'file' ? [{ rel, hash: pointer.hash }] : decodeManifest(store.readBytes(pointer.hash), pointer.hash).map((e) => ({ rel: `${rel}/${e.path}`, hash: e.hash }));
    return { rel, items: files.map((f) => ({ hash: f.hash, dest: path.join(projectDir, ...f.rel.split('/')) })).filter((i) => linksTo(i.dest, store.pathOf(i.hash))) };
  });
  const results: UnlinkResult[] = [];
  for (const p of plans) {
    // Renaming the copy over the link replaces the link itself, never the object it points to.
    await placeObjects(store, p.items, 'copy');
    results.push({ path: p.rel, copied: p.items.length });
  }
  return results;
}
