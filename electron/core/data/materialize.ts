// Runs in: main (core). Putting cached objects into the workspace: a verified copy (the default), a
// reflink clone where the filesystem has them, or, opted into, a hardlink or symlink to the object.
// Linked objects are made read-only, so an edit in place fails instead of corrupting the cache;
// `benchtop data unlink` turns links back into plain copies.
import {
  chmodSync,
  constants,
  copyFileSync,
  linkSync,
  lstatSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  mkdirSync,
} from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { DATA_LINK_MODES, type DataLinkMode } from '../../../shared/contract/schemas';
import { moveIntoPlace, tempPathFor } from '../util/atomic-write';
import { boundedPool } from '../util/bounded-pool';
import type { ObjectStore } from '../git/object-store';
import { readConfig } from '../workspace/config';
import { diskFull, isDiskFull, runHashTasks, type HashTask } from './hash-pool';
import { decodeManifest } from './manifest';
import { pointerPathOf, readPointer } from './pointer';
import { projectRelative } from './paths';
import { dataStore } from './track';
import { sameStamp, stampOf, type ObjectStamp, type VerifiedEntry, type VerifiedObjects } from './verified-objects';

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
  throw new BenchtopError('INVALID_INPUT', `"${value}" is not a link mode.`, {
    field: 'link',
    hint: `Use one of: ${LINK_MODES.join(', ')}.`,
  });
}

export interface PlaceItem {
  hash: string;
  /** Absolute path in the workspace. */
  dest: string;
}

/** Errors that mean "this filesystem (pair) cannot do that", after which a copy is the answer. */
const UNSUPPORTED = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'EPERM', 'EMLINK']);
const unsupported = (err: unknown): boolean => UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '');

export interface PlaceOptions {
  onDone?: (done: number, total: number) => void;
  /**
   * Objects whose bytes were seen to match their names, by stat: those still unchanged are copied
   * by the kernel (or linked) without being read again, and the ones read here are recorded.
   */
  verified?: VerifiedObjects;
  /** Hash every object even when its record holds (`data checkout --verify`). */
  rehash?: boolean;
}

export interface PlaceResult {
  placed: Placed;
  /** Objects whose bytes were hashed here. */
  hashed: number;
  /** Objects taken on their verification record (unchanged since their bytes last matched). */
  trusted: number;
}

/** Copies of trusted objects at once: enough to keep libuv's four threads busy. */
const COPY_CONCURRENCY = 4;

/**
 * Writes each object to its destination. Every object is checked before anything is renamed into
 * place: by its verification record when it holds (the object file is exactly as it was when its
 * bytes last hashed to its name), else by hashing (copies: the bytes written; clones and links: the
 * object itself). Only when all are good are the temp files renamed, so a corrupt object changes nothing.
 */
export async function placeObjects(
  store: ObjectStore,
  items: readonly PlaceItem[],
  mode: LinkMode,
  opts: PlaceOptions = {},
): Promise<PlaceResult> {
  const placed: Placed = { copy: 0, reflink: 0, hardlink: 0, symlink: 0 };
  const tasks: HashTask[] = [];
  const hashedPlans: number[] = [];
  const kernelCopies: number[] = [];
  const plans: { item: PlaceItem; obj: string; tmp: string; how: LinkMode; before: ObjectStamp; trusted: boolean }[] =
    [];
  // Folders this call made, removed again (when still empty) if it fails before placing anything.
  const madeDirs: string[] = [];
  let renamed = false;
  let canClone = mode === 'reflink';
  try {
    for (const item of items) {
      const obj = store.pathOf(item.hash);
      const before = stampOf(obj);
      if (!before)
        throw new BenchtopError('NOT_FOUND', `Object ${item.hash.slice(0, 12)}… is not in the cache.`, {
          hint: 'Fetch it with `benchtop data pull`, or add the data again. Nothing was changed.',
        });
      const trusted = !opts.rehash && opts.verified !== undefined && opts.verified.holdsStamp(item.hash, before);
      const made = mkdirSync(path.dirname(item.dest), { recursive: true });
      if (made) madeDirs.push(made);
      const tmp = tempPathFor(item.dest);
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
      plans.push({ item, obj, tmp, how, before, trusted });
      const size = Number(before.size);
      if (trusted) {
        if (how === 'copy') kernelCopies.push(plans.length - 1);
        continue;
      }
      // What is hashed is what lands in the workspace wherever it can be: a copy is written by the
      // thread that hashes it, from the same buffer in the same read (one pass over the bytes, and
      // the digest is that of the bytes written); a reflink shares the object's blocks, so they are
      // hashed through the clone; a link is checked by hashing the (read-only) object itself.
      hashedPlans.push(plans.length - 1);
      if (how === 'copy') tasks.push({ file: obj, copyTo: tmp, size });
      else tasks.push({ file: how === 'reflink' ? tmp : obj, size });
    }
    // A trusted object needs no pass through userland: the kernel copies it (copy_file_range),
    // which is what `cp` does; where the file system has clones, it clones it (sharing blocks
    // copy-on-write is still an independent copy), and silently copies where it has none.
    let copied = 0;
    const [failed] = await boundedPool(kernelCopies, COPY_CONCURRENCY, async (i) => {
      await copyFile(plans[i]!.obj, plans[i]!.tmp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      opts.onDone?.(++copied, items.length);
    });
    if (failed)
      throw isDiskFull((failed as NodeJS.ErrnoException).code)
        ? diskFull((failed as NodeJS.ErrnoException).path ?? 'a cache object')
        : failed;
    const skipped = items.length - tasks.length;
    const hashes = await runHashTasks(tasks, (done) => opts.onDone?.(skipped + done, items.length));
    hashes.forEach((actual, k) => {
      const hash = plans[hashedPlans[k]!]!.item.hash;
      if (actual !== hash) {
        opts.verified?.forget([hash]);
        throw new BenchtopError(
          'BAD_FILE',
          `The cached object ${hash.slice(0, 12)}… is corrupt (its bytes hash to ${actual.slice(0, 12)}…).`,
          {
            hint: 'Run `benchtop data verify`, then restore it with `benchtop data pull` or add the data again. Nothing was changed.',
          },
        );
      }
    });
    // Read and found good, and not touched while read: trusted next time.
    const fresh: VerifiedEntry[] = [];
    for (const i of hashedPlans) {
      const now = stampOf(plans[i]!.obj);
      if (now && sameStamp(now, plans[i]!.before)) fresh.push({ hash: plans[i]!.item.hash, stamp: now });
    }
    opts.verified?.record(fresh);
    const relinked: VerifiedEntry[] = [];
    for (const p of plans) {
      if (p.how === 'hardlink' || p.how === 'symlink') {
        // Read-only object: writing through the link fails instead of changing the cache. (Only when
        // it is not yet: a chmod moves the ctime, which its verification record watches.)
        if ((statSync(p.obj).mode & 0o777) !== 0o444) chmodSync(p.obj, 0o444);
        try {
          if (p.how === 'hardlink') linkSync(p.obj, p.tmp);
          else symlinkSync(path.relative(path.dirname(p.item.dest), p.obj), p.tmp);
        } catch (err) {
          if (!unsupported(err)) throw err;
          const [actual] = await runHashTasks([{ file: p.obj, copyTo: p.tmp, size: statSync(p.obj).size }]);
          if (actual !== p.item.hash)
            throw new BenchtopError(
              'BAD_FILE',
              `The cached object ${p.item.hash.slice(0, 12)}… changed while it was being copied.`,
            );
          p.how = 'copy';
        }
      } else if (p.how === 'reflink') {
        chmodSync(p.tmp, 0o644); // a clone keeps the object's mode, which may be read-only
      }
      const replaced = opts.verified ? heldObjectLinkedAt(p.item.dest, store, opts.verified) : null;
      moveIntoPlace(p.tmp, p.item.dest);
      renamed = true;
      placed[p.how]++;
      if (replaced) {
        // Replacing a hardlink took a link from its object, which moves the object's ctime; its
        // record held just before, so its bytes are the ones recorded and it stays trusted.
        const now = stampOf(store.pathOf(replaced));
        if (now) relinked.push({ hash: replaced, stamp: now });
      }
      if (p.how === 'hardlink' || p.how === 'symlink') {
        // The chmod, the new link and its rename moved the object's ctime; its bytes are the ones just checked.
        const now = stampOf(p.obj);
        if (now) relinked.push({ hash: p.item.hash, stamp: now });
      }
    }
    opts.verified?.record(relinked);
  } finally {
    for (const p of plans) rmSync(p.tmp, { force: true });
    if (!renamed) removeEmptyFolders(madeDirs);
  }
  return { placed, hashed: tasks.length, trusted: items.length - tasks.length };
}

/**
 * The object a workspace file is a hardlink of, when that object's verification record holds
 * (its stat, ctime included, unchanged since its bytes matched): else null.
 */
function heldObjectLinkedAt(dest: string, store: ObjectStore, verified: VerifiedObjects): string | null {
  const st = lstatSync(dest, { bigint: true, throwIfNoEntry: false });
  if (!st?.isFile() || st.nlink < 2n) return null;
  const hash = verified.hashAtInode(String(st.ino));
  if (hash === undefined) return null;
  const obj = statSync(store.pathOf(hash), { bigint: true, throwIfNoEntry: false });
  if (obj?.dev !== st.dev || obj.ino !== st.ino) return null;
  return verified.holdsStamp(hash, stampOf(store.pathOf(hash))) ? hash : null;
}

/** Removes the folders under each of `tops` (deepest first) and `tops` themselves, where empty. */
function removeEmptyFolders(tops: readonly string[]): void {
  const prune = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names)
      if (lstatSync(path.join(dir, n), { throwIfNoEntry: false })?.isDirectory()) prune(path.join(dir, n));
    try {
      rmdirSync(dir); // fails, as it should, when anything is left in it
    } catch {
      /* not empty */
    }
  };
  for (const top of [...tops].reverse()) prune(top);
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
export async function unlinkData(
  projectDir: string,
  given: readonly string[],
  base = projectDir,
): Promise<UnlinkResult[]> {
  if (given.length === 0)
    throw new BenchtopError('INVALID_INPUT', 'Name at least one tracked file or folder.', {
      field: 'paths',
      hint: 'For example: benchtop data unlink data/images',
    });
  const store = dataStore(projectDir);
  const plans = given.map((g) => {
    const rel = projectRelative(projectDir, g, base);
    const pointer = readPointer(projectDir, pointerPathOf(rel));
    const files =
      pointer.kind === 'file'
        ? [{ rel, hash: pointer.hash }]
        : decodeManifest(store.readBytes(pointer.hash), pointer.hash).map((e) => ({
            rel: `${rel}/${e.path}`,
            hash: e.hash,
          }));
    return {
      rel,
      items: files
        .map((f) => ({ hash: f.hash, dest: path.join(projectDir, ...f.rel.split('/')) }))
        .filter((i) => linksTo(i.dest, store.pathOf(i.hash))),
    };
  });
  const results: UnlinkResult[] = [];
  for (const p of plans) {
    // Renaming the copy over the link replaces the link itself, never the object it points to.
    await placeObjects(store, p.items, 'copy');
    results.push({ path: p.rel, copied: p.items.length });
  }
  return results;
}
