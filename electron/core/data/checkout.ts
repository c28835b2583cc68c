// Runs in: main (core). `benchtop data checkout REV [PATH...]`: bring the data of a past version
// back into the workspace. Everything is checked before anything is written: the pointers of REV
// parse, every object is in the cache, and no file the user changed would be lost (unless forced).
import fs, { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeFileAtomic } from '../util/atomic-write';
import { hasRepo, resolveRevision } from '../git/git';
import { PooledHasher } from './hash-pool';
import { linkModeOf, placeObjects, type LinkMode, type PlaceItem, type Placed } from './materialize';
import { decodeManifest, type ManifestEntry } from './manifest';
import { dataPathOf, parsePointer, pointerPathOf, readPointer, type DataPointer } from './pointer';
import { projectRelative } from './paths';
import { cached, workspaceHash } from './status';
import { dataStore } from './track';
import { VerifiedObjects } from './verified-objects';
import { checkRemovable } from '../util/path-policy';
import { gitFs } from '../git/git-fs';

export interface CheckoutProgress {
  path: string;
  done: number;
  total: number;
}

export interface CheckoutResult {
  commit: string;
  restored: { path: string; files: number; bytes: number }[];
  unchanged: string[];
  /** How the restored files reached the workspace (a reflink or link may have fallen back to a copy). */
  placed: Placed;
  /** Objects whose bytes were hashed on the way out of the cache. */
  hashed: number;
  /** Objects taken on their verification record: unchanged since their bytes last matched (see verified-objects.ts). */
  trusted: number;
}

export interface CheckoutOptions {
  force?: boolean;
  base?: string;
  link?: LinkMode;
  /** Hash every object even when its verification record holds. */
  verify?: boolean;
  onProgress?: (p: CheckoutProgress) => void;
}

/** The commit a revision names (as git reads it), with a hint about where data versions are listed. */
export function resolveRev(projectDir: string, rev: string): Promise<string> {
  return resolveRevision(projectDir, rev, 'See versions with `benchtop data log PATH`.');
}

/** Every pointer file in a commit's tree, with its bytes. */
export async function pointersAt(projectDir: string, commit: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  await git.walk({
    fs: gitFs,
    dir: projectDir,
    trees: [git.TREE({ ref: commit })],
    map: async (filepath, [entry]) => {
      if (!entry) return null;
      if ((await entry.type()) === 'blob' && filepath.endsWith('.bt'))
        found.set(filepath, Buffer.from((await entry.content())!));
      return true;
    },
  });
  return found;
}

interface Plan {
  rel: string;
  pointerText: Buffer;
  target: DataPointer;
  entries: ManifestEntry[] | null;
  /** Files now in a tracked folder that the target version does not have. */
  remove: string[];
}

/**
 * A pointer whose size is not that of the bytes it names was edited or damaged (its hash may be
 * too): restoring from it would give the user something other than what they recorded.
 */
export function checkPointerSize(pointerName: string, p: DataPointer, actual: number): void {
  if (actual === p.size) return;
  throw new BenchtopError(
    'BAD_FILE',
    `${pointerName} says size ${p.size}, but the data it names in the cache is ${actual} bytes, so it was not restored.`,
    {
      field: 'path',
      hint: 'The pointer was edited or damaged: restore it from git (`git checkout -- FILE` or an earlier commit), or run `benchtop data add` on the data again. Nothing was changed.',
    },
  );
}

export async function checkoutData(
  projectDir: string,
  db: Database,
  rev: string,
  given: readonly string[] = [],
  opts: CheckoutOptions = {},
): Promise<CheckoutResult> {
  if (!hasRepo(projectDir))
    throw new BenchtopError('NOT_FOUND', 'This project has no git repository, so it has no data versions.', {
      hint: 'Run `benchtop init` first.',
    });
  const commit = await resolveRev(projectDir, rev);
  return checkoutPointers(
    projectDir,
    db,
    commit,
    commit.slice(0, 7),
    await pointersAt(projectDir, commit),
    given,
    opts,
  );
}

/**
 * Brings the workspace to the given pointers (path → pointer text). `commit` is what the result
 * reports; `label` names the source in messages. `data pull` uses it with the working tree's own
 * pointers.
 */
export async function checkoutPointers(
  projectDir: string,
  db: Database,
  commit: string,
  label: string,
  all: Map<string, Buffer>,
  given: readonly string[] = [],
  opts: CheckoutOptions = {},
): Promise<CheckoutResult> {
  const wanted = given.map((g) => pointerPathOf(projectRelative(projectDir, g, opts.base ?? projectDir)));
  for (const w of wanted)
    if (!all.has(w))
      throw new BenchtopError('NOT_FOUND', `${dataPathOf(w)} is not tracked in ${label}.`, {
        field: 'path',
        hint: `See its versions with \`benchtop data log ${dataPathOf(w)}\`.`,
      });
  const pointers = wanted.length ? wanted : [...all.keys()].sort();
  const store = dataStore(projectDir);
  const hasher = new PooledHasher(projectDir, db);
  const mode = opts.link ?? linkModeOf(projectDir);
  const placed: Placed = { copy: 0, reflink: 0, hardlink: 0, symlink: 0 };
  const checked = { hashed: 0, trusted: 0 };
  const verified = new VerifiedObjects(db);
  const place = async (items: PlaceItem[], onDone?: (done: number) => void): Promise<void> => {
    const r = await placeObjects(store, items, mode, {
      verified,
      rehash: opts.verify ?? false,
      ...(onDone ? { onDone } : {}),
    });
    for (const k of Object.keys(r.placed) as LinkMode[]) placed[k] += r.placed[k];
    checked.hashed += r.hashed;
    checked.trusted += r.trusted;
    // Written from checked objects: the next status need not read them again.
    hasher.remember(
      items.map((i) => ({ rel: path.relative(projectDir, i.dest).split(path.sep).join('/'), hash: i.hash })),
    );
  };
  const plans: Plan[] = [];
  const unchanged: string[] = [];
  const refusals: string[] = [];
  for (const pointerRel of pointers) {
    const rel = dataPathOf(pointerRel);
    // A pointer names where its data goes: the path policy's write rules, on the disk as it is
    // now (a folder replaced by a link out of the project is not written through).
    checkRemovable(projectDir, rel, { field: 'path' });
    const text = all.get(pointerRel)!;
    const target = parsePointer(text.toString('utf8'), `${label}:${pointerRel}`);
    if (!cached(projectDir, target)) {
      throw new BenchtopError('NOT_FOUND', `The data of ${rel} at ${label} is not in the cache.`, {
        field: 'path',
        hint: 'Fetch it with `benchtop data pull` from a remote that has it; nothing was changed.',
      });
    }
    const current = existsSync(path.join(projectDir, pointerRel)) ? readPointer(projectDir, pointerRel) : null;
    const entries = target.kind === 'folder' ? decodeManifest(store.readBytes(target.hash), target.hash) : null;
    checkPointerSize(
      `${label}:${pointerRel}`,
      target,
      entries ? entries.reduce((n, e) => n + e.size, 0) : fs.statSync(store.pathOf(target.hash)).size,
    );
    const now = await workspaceHash(projectDir, hasher, rel, target.kind);
    if (now?.hash === target.hash) {
      unchanged.push(rel);
      if (!current || current.hash !== target.hash)
        plans.push({ rel, pointerText: text, target, entries: null, remove: [] });
      continue;
    }
    // The workspace holds something no pointer saved: the user's work, kept unless forced.
    // Bytes already in the cache are saved in some version (a pointer changed by `git checkout` or
    // `git pull` leaves the data of the previous one, which is not unsaved work).
    const saved = now !== null && /^[0-9a-f]{64}$/.test(now.hash) && store.has(now.hash);
    if (now && (!current || now.hash !== current.hash) && !saved && !opts.force) refusals.push(rel);
    const remove: string[] = [];
    if (entries && now?.entries) {
      const keep = new Set(entries.map((e) => e.path));
      for (const e of now.entries) if (!keep.has(e.path)) remove.push(e.path);
    }
    plans.push({ rel, pointerText: text, target, entries, remove });
  }
  if (refusals.length) {
    throw new BenchtopError(
      'CONFLICT',
      `${refusals.join(', ')} ${refusals.length === 1 ? 'has' : 'have'} changes that are not saved in any version; checking out would overwrite them.`,
      {
        field: 'path',
        hint: 'Save them first with `benchtop data add` and `benchtop data commit`, or pass --force to discard them. Nothing was changed.',
      },
    );
  }
  const restored: CheckoutResult['restored'] = [];
  for (const plan of plans) {
    const abs = path.join(projectDir, plan.rel);
    if (plan.target.kind === 'file' && !unchanged.includes(plan.rel)) {
      if (existsSync(abs) && fs.statSync(abs).isDirectory()) rmSync(abs, { recursive: true });
      opts.onProgress?.({ path: plan.rel, done: 0, total: 1 });
      await place([{ hash: plan.target.hash, dest: abs }]);
      opts.onProgress?.({ path: plan.rel, done: 1, total: 1 });
      restored.push({ path: plan.rel, files: 1, bytes: plan.target.size });
    } else if (plan.entries) {
      if (existsSync(abs) && fs.statSync(abs).isFile()) rmSync(abs);
      // A file already holding the right bytes is left alone.
      const present = plan.entries
        .map((e) => `${plan.rel}/${e.path}`)
        .filter((f) => fs.statSync(path.join(projectDir, f), { throwIfNoEntry: false })?.isFile());
      const have = await hasher.hashFiles(present);
      const items = plan.entries
        .filter((e) => have.get(`${plan.rel}/${e.path}`)?.hash !== e.hash)
        .map((e) => ({ hash: e.hash, dest: path.join(abs, ...e.path.split('/')) }));
      const skipped = plan.entries.length - items.length;
      await place(items, (done) =>
        opts.onProgress?.({ path: plan.rel, done: skipped + done, total: plan.entries!.length }),
      );
      opts.onProgress?.({ path: plan.rel, done: plan.entries.length, total: plan.entries.length });
      for (const r of plan.remove) rmSync(path.join(abs, ...r.split('/')), { force: true });
      restored.push({ path: plan.rel, files: plan.entries.length, bytes: plan.target.size });
    }
    const pointerFile = path.join(projectDir, pointerPathOf(plan.rel));
    if (!existsSync(pointerFile) || !fs.readFileSync(pointerFile).equals(plan.pointerText))
      writeFileAtomic(pointerFile, plan.pointerText);
  }
  return { commit, restored, unchanged, placed, ...checked };
}
