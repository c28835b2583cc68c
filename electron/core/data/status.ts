// Runs in: main (core). `benchtop data status`: for every pointer, whether the data in the
// workspace still matches it, whether its bytes are in the cache, and whether git has the pointer.
// Unchanged files are recognised by the stat cache, so a status over many files reads almost none.
import fs, { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { hasRepo } from '../git/git';
import { PooledHasher } from './hash-pool';
import { decodeManifest, encodeManifest, type ManifestEntry } from './manifest';
import { POINTER_SUFFIX } from '../util/layout';
import { dataPathOf, findPointers, readPointer, type DataPointer, type FolderListings } from './pointer';
import { dataStore, listFolder } from './track';
import { digestCacheFolders, digestFiles, FolderStamps, settled } from './folder-stamps';
import { gitFs } from '../git/git-fs';

export type WorkspaceState = 'unchanged' | 'modified' | 'deleted';
export type PointerGitState = 'new' | 'changed' | 'committed' | 'no-repository';

export interface DataStatusRow {
  path: string;
  pointer: string;
  kind: DataPointer['kind'] | null;
  size: number | null;
  files: number | null;
  rows: number | null;
  /** The pointer's hash (a folder's: its manifest's). */
  hash: string | null;
  workspace: WorkspaceState | null;
  /** Every object the pointer needs is in the cache. */
  inCache: boolean;
  git: PointerGitState;
  /** Why the pointer could not be read, when it could not. */
  problem: string | null;
}

/** The hash the workspace copy of tracked data has now (a folder: its manifest's), or null when gone. */
/** What workspaceHash needs: the pooled hasher, or the pipeline's FileHasher (one file at a time). */
export interface WorkspaceHasher {
  hash(rel: string): Promise<string | null>;
  hashFiles?: PooledHasher['hashFiles'];
}

export async function workspaceHash(
  projectDir: string,
  hasher: WorkspaceHasher,
  rel: string,
  kind: DataPointer['kind'],
  listed?: readonly string[],
): Promise<{ hash: string; entries: ManifestEntry[] | null } | null> {
  const abs = path.join(projectDir, rel);
  if (!existsSync(abs)) return null;
  const st = statSync(abs);
  if (kind === 'file' || st.isFile())
    return st.isFile() ? { hash: (await hasher.hash(rel))!, entries: null } : { hash: 'folder', entries: null };
  const files = listed ?? listFolder(projectDir, rel);
  let entries: ManifestEntry[];
  if (hasher.hashFiles) {
    const hashed = await hasher.hashFiles(files);
    entries = files.map((f) => ({ path: f.slice(rel.length + 1), ...hashed.get(f)! }));
  } else {
    entries = [];
    for (const f of files)
      entries.push({
        path: f.slice(rel.length + 1),
        hash: (await hasher.hash(f))!,
        size: statSync(path.join(projectDir, f)).size,
      });
  }
  return { hash: encodeManifest(entries).hash, entries };
}

/**
 * Whether every object of the pointer is in the cache (a folder's manifest and each of its files).
 * `entries`: the manifest's entries when already known (the workspace hashed to the same manifest).
 */
export function cached(projectDir: string, p: DataPointer, entries?: readonly ManifestEntry[] | null): boolean {
  const store = dataStore(projectDir);
  if (!store.has(p.hash)) return false;
  if (p.kind === 'file') return true;
  try {
    const files = entries ?? decodeManifest(fs.readFileSync(store.pathOf(p.hash)), p.hash);
    if (files.length < 2000) return files.every((e) => store.has(e.hash));
    // One listing per shard folder instead of a stat per object: 256 calls rather than 100,000.
    const present = new Set<string>();
    for (const shard of readdirSync(store.root))
      if (/^[0-9a-f]{2}$/.test(shard))
        for (const f of readdirSync(path.join(store.root, shard))) present.add(shard + f);
    return files.every((e) => present.has(e.hash));
  } catch {
    return false;
  }
}

async function gitState(projectDir: string, pointerRel: string): Promise<PointerGitState> {
  if (!hasRepo(projectDir)) return 'no-repository';
  let head: string | null = null;
  try {
    head = await git.resolveRef({ fs: gitFs, dir: projectDir, ref: 'HEAD' });
  } catch {
    return 'new';
  }
  try {
    const { blob } = await git.readBlob({ fs: gitFs, dir: projectDir, oid: head, filepath: pointerRel });
    return Buffer.from(blob).equals(fs.readFileSync(path.join(projectDir, pointerRel))) ? 'committed' : 'changed';
  } catch {
    return 'new';
  }
}

/**
 * Whether the workspace copy matches the pointer, and whether the cache holds all its objects. A
 * folder is first checked against its stamp (see folder-stamps.ts): the same file stats and cache
 * folders as when it last matched answer both without the stat-cache rows, the manifest or the cache
 * listing. Otherwise it is worked out in full, and stamped when it matched.
 */
async function compare(
  projectDir: string,
  hasher: PooledHasher,
  stamps: FolderStamps,
  rel: string,
  p: DataPointer,
  listings: FolderListings,
): Promise<{ workspace: WorkspaceState; inCache: boolean }> {
  const abs = path.join(projectDir, rel);
  const isFolder = p.kind === 'folder' && statSync(abs, { throwIfNoEntry: false })?.isDirectory() === true;
  const files = isFolder ? listFolder(projectDir, rel, listings) : undefined;
  // Taken before anything is read: a change made while the folder is hashed then misses next time.
  const filesNow = files ? digestFiles(projectDir, files) : null;
  const storeRoot = dataStore(projectDir).root;
  const stamp = filesNow ? stamps.get(rel) : null;
  if (filesNow && stamp && stamp.pointerHash === p.hash && stamp.filesDigest === filesNow.digest) {
    const cacheNow = digestCacheFolders(storeRoot);
    if (cacheNow && stamp.cacheDigest === cacheNow.digest) return { workspace: 'unchanged', inCache: true };
    const inCache = cached(projectDir, p);
    if (inCache && cacheNow && settled(cacheNow)) stamps.put(rel, { ...stamp, cacheDigest: cacheNow.digest });
    return { workspace: 'unchanged', inCache };
  }
  // Before the objects are looked for: one removed after the look moves its shard folder past this digest.
  const cacheBefore = filesNow ? digestCacheFolders(storeRoot) : null;
  const now = await workspaceHash(projectDir, hasher, rel, p.kind, files);
  const workspace: WorkspaceState = now === null ? 'deleted' : now.hash === p.hash ? 'unchanged' : 'modified';
  const inCache = cached(projectDir, p, now?.hash === p.hash ? now.entries : null);
  if (filesNow && workspace === 'unchanged' && settled(filesNow)) {
    stamps.put(rel, {
      pointerHash: p.hash,
      filesDigest: filesNow.digest,
      cacheDigest: inCache && cacheBefore && settled(cacheBefore) ? cacheBefore.digest : null,
    });
  }
  return { workspace, inCache };
}

export async function dataStatus(projectDir: string, db: Database, only?: readonly string[]): Promise<DataStatusRow[]> {
  const hasher = new PooledHasher(projectDir, db);
  const stamps = new FolderStamps(db);
  // One walk of the project: the folders it reads are not read again to list the tracked ones.
  const listings: FolderListings = new Map();
  const pointers = findPointers(projectDir, listings).filter((p) => !only || only.includes(dataPathOf(p)));
  if (only) {
    const missing = only.filter((o) => !pointers.includes(`${o}${POINTER_SUFFIX}`));
    if (missing.length)
      throw new BenchtopError(
        'NOT_FOUND',
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not tracked.`,
        { field: 'path', hint: 'Track data with `benchtop data add PATH`.' },
      );
  }
  const rows: DataStatusRow[] = [];
  for (const pointerRel of pointers) {
    const rel = dataPathOf(pointerRel);
    const gitAt = await gitState(projectDir, pointerRel);
    let p: DataPointer;
    try {
      p = readPointer(projectDir, pointerRel);
    } catch (err) {
      rows.push({
        path: rel,
        pointer: pointerRel,
        kind: null,
        size: null,
        files: null,
        rows: null,
        hash: null,
        workspace: null,
        inCache: false,
        git: gitAt,
        problem: err instanceof Error ? err.message : String(err),
      });
      continue;
    }
    const { workspace, inCache } = await compare(projectDir, hasher, stamps, rel, p, listings);
    rows.push({
      path: rel,
      pointer: pointerRel,
      kind: p.kind,
      size: p.size,
      files: p.files,
      rows: p.schema?.rows ?? null,
      hash: p.hash,
      workspace,
      inCache,
      git: gitAt,
      problem: null,
    });
  }
  return rows;
}
