// Runs in: main (core). `benchtop data gc`: free the cache of objects nothing refers to. Kept is
// every object named by a pointer in any commit reachable from a branch or tag (a folder: its
// manifest and every file in it), by the working tree's pointers (versions not yet committed), by
// a run (artifacts, pipeline deps and outs, run-cache entries, the dataset versions it used) or by
// the model registry. What cannot be read with certainty is kept, never guessed away.
import fs, { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { hasRepo } from '../git/git';
import { CACHE_DIR } from '../util/layout';
import { decodeManifest } from './manifest';
import { POINTER_SUFFIX } from '../util/layout';
import { parsePointer } from './pointer';
import { findPointers } from './pointer';
import { VerifiedObjects } from './verified-objects';
import { gitFs } from '../git/git-fs';

export interface GcOptions {
  dryRun?: boolean;
  /** Objects written less than this long ago are kept: a `data add` may be about to point at them. */
  graceMs?: number;
}

export interface GcResult {
  dryRun: boolean;
  /** Objects in the cache before. */
  objects: number;
  kept: number;
  /** Removed (or, in a dry run, that would be). */
  removed: number;
  bytes: number;
  /** Unreferenced but kept because they are newer than the grace period. */
  recent: number;
  /** Where the kept objects' references came from (distinct object ids per kind). */
  references: { commits: number; workspace: number; runs: number; registry: number };
  /** Folder versions whose manifest is not in the cache, so their files could not be listed. */
  unreadableManifests: number;
}

const HASH = /^[0-9a-f]{64}$/;
const HASHES = /[0-9a-f]{64}/g;

/** A pointer's object ids; a pointer that does not parse keeps every id written in it. */
function pointerHashes(text: string, where: string): { hash: string; folder: boolean }[] {
  try {
    const p = parsePointer(text, where);
    return [{ hash: p.hash, folder: p.kind === 'folder' }];
  } catch {
    return [...new Set(text.match(HASHES) ?? [])].map((hash) => ({ hash, folder: true }));
  }
}

/** The root trees of every commit reachable from a branch, a tag or HEAD. */
async function reachableTrees(dir: string): Promise<string[]> {
  const starts = new Set<string>();
  const refs = [
    ...(await git.listBranches({ fs: gitFs, dir })).map((b) => `refs/heads/${b}`),
    ...(await git.listTags({ fs: gitFs, dir })).map((t) => `refs/tags/${t}`),
    'HEAD',
  ];
  for (const ref of refs) {
    try {
      starts.add(await git.resolveRef({ fs: gitFs, dir, ref }));
    } catch {
      /* an unborn HEAD */
    }
  }
  const stack: string[] = [];
  for (let oid of starts) {
    // Annotated tags point at a tag object first; a tag of a tree or blob names no commit.
    let obj = await git.readObject({ fs: gitFs, dir, oid });
    while (obj.type === 'tag') {
      oid = (obj.object as { object: string }).object;
      obj = await git.readObject({ fs: gitFs, dir, oid });
    }
    if (obj.type === 'commit') stack.push(oid);
  }
  const trees = new Map<string, string>();
  const seen = new Set<string>();
  while (stack.length) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    let commit: Awaited<ReturnType<typeof git.readCommit>>['commit'];
    try {
      commit = (await git.readCommit({ fs: gitFs, dir, oid })).commit;
    } catch {
      // A shallow clone stops at a commit whose parents it does not have.
      continue;
    }
    trees.set(oid, commit.tree);
    stack.push(...commit.parent);
  }
  return [...trees.values()];
}

/** The text of every distinct `.bt` blob under these trees (each tree read once). */
async function committedPointers(dir: string, roots: readonly string[]): Promise<string[]> {
  const trees = new Set<string>();
  const blobs = new Set<string>();
  const texts: string[] = [];
  const walk = async (treeOid: string): Promise<void> => {
    if (trees.has(treeOid)) return;
    trees.add(treeOid);
    const { tree } = await git.readTree({ fs: gitFs, dir, oid: treeOid });
    for (const e of tree) {
      if (e.type === 'tree') await walk(e.oid);
      else if (e.type === 'blob' && e.path.endsWith(POINTER_SUFFIX) && !blobs.has(e.oid)) {
        blobs.add(e.oid);
        const { blob } = await git.readBlob({ fs: gitFs, dir, oid: e.oid });
        texts.push(Buffer.from(blob).toString('utf8'));
      }
    }
  };
  for (const root of roots) await walk(root);
  return texts;
}

/** Object ids the database refers to, by kind. Datasets a run used count as the run's. */
export function databaseReferences(db: Database): { runs: Set<string>; datasets: Set<string>; registry: Set<string> } {
  const runs = new Set<string>();
  const datasets = new Set<string>();
  const registry = new Set<string>();
  for (const r of db.prepare('SELECT DISTINCT hash FROM run_artifacts WHERE hash IS NOT NULL').all() as {
    hash: string;
  }[])
    if (HASH.test(r.hash)) runs.add(r.hash);
  for (const r of db.prepare('SELECT outs FROM run_cache').all() as { outs: string }[]) {
    // The run cache's JSON is read for ids rather than by its schema, so a row it cannot parse still keeps its objects.
    for (const h of r.outs.match(HASHES) ?? []) runs.add(h);
  }
  for (const r of db.prepare('SELECT DISTINCT version FROM run_inputs').all() as { version: string }[])
    if (HASH.test(r.version)) datasets.add(r.version);
  // The registry names models by run (whose artifacts are kept above); any column of its tables
  // that holds an object id (a model file's hash, as later versions may add) keeps that object too.
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'model\\_%' ESCAPE '\\' OR name = 'registered_models')",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
  for (const table of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${table.replace(/"/g, '""')}")`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    for (const col of cols) {
      const q = `SELECT DISTINCT "${col.replace(/"/g, '""')}" AS v FROM "${table.replace(/"/g, '""')}" WHERE typeof("${col.replace(/"/g, '""')}") = 'text' AND length("${col.replace(/"/g, '""')}") >= 64`;
      for (const r of db.prepare(q).all() as { v: string }[]) for (const h of r.v.match(HASHES) ?? []) registry.add(h);
    }
  }
  return { runs, datasets, registry };
}

interface CacheObject {
  file: string;
  hash: string;
  size: number;
  mtimeMs: number;
}

/** Objects of one object folder (`<2 hex>/<62 hex>`). */
export function objectsIn(root: string): CacheObject[] {
  const out: CacheObject[] = [];
  let dirs: string[];
  try {
    dirs = readdirSync(root).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
    return out;
  }
  for (const d of dirs) {
    for (const f of readdirSync(path.join(root, d))) {
      if (!/^[0-9a-f]{62}$/.test(f)) continue;
      const file = path.join(root, d, f);
      const st = statSync(file);
      if (st.isFile()) out.push({ file, hash: d + f, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return out;
}

export interface Reachable {
  keep: Set<string>;
  pointerSets: { commits: Set<string>; workspace: Set<string> };
  refs: ReturnType<typeof databaseReferences>;
  /** Folder versions named by a pointer whose manifest could not be found, so their files are unknown. */
  unreadableManifests: number;
}

/**
 * Every object id something refers to (the mark of gc), for the cache and for remotes alike.
 * `readManifest` gives a folder's manifest bytes: null when it is nowhere to be read, undefined
 * when it could not be read now (kept quiet, as before).
 */
export async function reachableObjects(
  projectDir: string,
  db: Database,
  readManifest: (hash: string) => Promise<Buffer | null | undefined>,
): Promise<Reachable> {
  // Pointers name objects of the data cache; their folders' manifests name more.
  const pointerSets = { commits: new Set<string>(), workspace: new Set<string>() };
  const folders = new Set<string>();
  const note = (set: Set<string>, text: string, where: string): void => {
    for (const { hash, folder } of pointerHashes(text, where)) {
      set.add(hash);
      if (folder) folders.add(hash);
    }
  };
  if (hasRepo(projectDir)) {
    for (const text of await committedPointers(projectDir, await reachableTrees(projectDir)))
      note(pointerSets.commits, text, 'a committed pointer');
  }
  for (const rel of findPointers(projectDir))
    note(pointerSets.workspace, readFileSync(path.join(projectDir, rel), 'utf8'), rel);
  const refs = databaseReferences(db);
  for (const h of refs.datasets) folders.add(h);
  // A model version that is a folder names its manifest; the files it lists are kept with it.
  for (const h of refs.registry) folders.add(h);
  const keep = new Set<string>([
    ...pointerSets.commits,
    ...pointerSets.workspace,
    ...refs.runs,
    ...refs.datasets,
    ...refs.registry,
  ]);
  let unreadableManifests = 0;
  for (const h of folders) {
    const bytes = await readManifest(h);
    if (bytes === null) {
      if (pointerSets.commits.has(h) || pointerSets.workspace.has(h)) unreadableManifests++;
      continue;
    }
    if (bytes === undefined) continue;
    // A file object (a dataset version that was a single file) is not JSON; only manifests are read.
    if (bytes[0] !== 0x7b) continue;
    try {
      for (const e of decodeManifest(bytes, h)) keep.add(e.hash);
    } catch {
      // A corrupt manifest: keep every id it still mentions.
      for (const m of bytes.toString('utf8').match(HASHES) ?? []) keep.add(m);
    }
  }
  return { keep, pointerSets, refs, unreadableManifests };
}

export async function gcCache(projectDir: string, db: Database, opts: GcOptions = {}): Promise<GcResult> {
  const running = db.prepare("SELECT id FROM runs WHERE status = 'running'").all() as { id: string }[];
  if (running.length && !opts.dryRun) {
    throw new BenchtopError(
      'BUSY',
      `Run ${running.map((r) => r.id).join(', ')} is running; it may be about to record objects.`,
      { hint: 'Wait for it to end (or cancel it), then collect garbage. `--dry-run` works meanwhile.' },
    );
  }
  const cacheRoot = path.join(projectDir, CACHE_DIR);
  const { keep, pointerSets, refs, unreadableManifests } = await reachableObjects(projectDir, db, async (h) => {
    const file = path.join(cacheRoot, h.slice(0, 2), h.slice(2));
    if (!existsSync(file)) return null;
    try {
      return readFileSync(file);
    } catch {
      return undefined;
    }
  });
  // The data cache (data and logged artifacts) and the run cache's own object folder.
  const objects = [...objectsIn(cacheRoot), ...objectsIn(path.join(cacheRoot, 'objects'))];
  const cutoff = Date.now() - (opts.graceMs ?? 0);
  let removed = 0;
  let bytes = 0;
  let recent = 0;
  const gone: string[] = [];
  for (const o of objects) {
    if (keep.has(o.hash)) continue;
    if (o.mtimeMs > cutoff) {
      recent++;
      continue;
    }
    removed++;
    bytes += o.size;
    if (!opts.dryRun) {
      rmSync(o.file, { force: true });
      if (path.dirname(path.dirname(o.file)) === cacheRoot) gone.push(o.hash);
    }
  }
  new VerifiedObjects(db).forget(gone);
  if (!opts.dryRun) {
    for (const root of [cacheRoot, path.join(cacheRoot, 'objects')]) {
      try {
        for (const d of readdirSync(root))
          if (/^[0-9a-f]{2}$/.test(d) && readdirSync(path.join(root, d)).length === 0) fs.rmdirSync(path.join(root, d));
      } catch {
        /* no such folder */
      }
    }
  }
  return {
    dryRun: Boolean(opts.dryRun),
    objects: objects.length,
    kept: objects.length - removed,
    removed,
    bytes,
    recent,
    references: {
      commits: pointerSets.commits.size,
      workspace: pointerSets.workspace.size,
      runs: refs.runs.size + refs.datasets.size,
      registry: refs.registry.size,
    },
    unreadableManifests,
  };
}
