// Runs in: main (core). `benchtop data add`: hash data (unchanged files skip rehashing through the
// stat cache), copy it into the cache, write its pointer, keep the data itself out of git and stage
// the pointer. Every object is in the cache before its pointer is written, so a pointer never names
// bytes that are not there.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import fs from 'node:fs';
import git from 'isomorphic-git';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { hasRepo } from '../git/git';
import { ObjectStore } from '../git/object-store';
import { PooledHasher, unchangedSince } from './hash-pool';
import { ensureGitignore } from '../workspace/gitignore';
import { CACHE_DIR } from '../util/layout';
import { encodeManifest, type ManifestEntry } from './manifest';
import {
  pointerPathOf,
  readPointer,
  writePointer,
  type DataPointer,
  type FolderListings,
  type TableSchema,
} from './pointer';
import { projectRelative } from './paths';
import { corruptObjects } from './repair';
import { readTableSchema, TableUnreadable } from './table-schema';
import { isInside, refusal } from '../util/path-policy';
import { findPointers } from './pointer';
import { dropPointers, trackedAround, trackedInside } from './untrack';
import { gitFs } from '../git/git-fs';

export interface AddProgress {
  path: string;
  phase: 'hashing' | 'caching';
  done: number;
  total: number;
}

export interface AddResult {
  path: string;
  pointer: string;
  status: 'added' | 'updated' | 'unchanged';
  pointerData: DataPointer;
  /** Files read because the stat cache had no fresh hash for them. */
  rehashed: number;
  /** Files (or a folder's file list) whose cache object held other bytes than its name says, now replaced. */
  repaired: string[];
  /** Why a table file's summary could not be read (it is tracked all the same, without a schema). */
  schemaProblem?: string;
}

export function dataStore(projectDir: string): ObjectStore {
  return new ObjectStore(path.join(projectDir, CACHE_DIR));
}

/**
 * Every file under a folder, relative to the project, sorted; links that lead out are refused.
 * `listings`: folders' entries already read by findPointers (each is used once, then dropped).
 */
export function listFolder(projectDir: string, rel: string, listings?: FolderListings): string[] {
  const root = realpathSync(projectDir);
  const out: string[] = [];
  const entriesOf = (dir: string): Dirent[] => {
    const known = listings?.get(dir);
    if (!known) return readdirSync(path.join(projectDir, dir), { withFileTypes: true });
    listings!.delete(dir);
    return known;
  };
  const walk = (dir: string): void => {
    for (const e of entriesOf(dir)) {
      const child = `${dir}/${e.name}`;
      if (e.isSymbolicLink()) {
        const real = realpathSync(path.join(projectDir, child));
        if (real === root || !isInside(root, real))
          throw new BenchtopError('INVALID_INPUT', `${child} is a symbolic link that leads outside the project.`, {
            field: 'path',
            hint: 'Replace the link with the file itself, or remove it.',
          });
        // A link into git's or Benchtop's own folder would track their files (the server token, the
        // database), and checkout would write there. Links into the cache are checkout's own.
        const target = path.relative(root, real).split(path.sep).join('/');
        const why = target.startsWith(`${CACHE_DIR.split(path.sep).join('/')}/`) ? null : refusal(target, 'read');
        if (why)
          throw new BenchtopError('INVALID_INPUT', `${child} is a symbolic link to a path that ${why.reason}.`, {
            field: 'path',
            hint: 'Replace the link with the file itself, or remove it.',
          });
        if (statSync(real).isDirectory()) walk(child);
        else out.push(child);
      } else if (e.isDirectory()) walk(child);
      else if (e.isFile() && !e.name.endsWith('.bt')) out.push(child);
    }
  };
  walk(rel);
  return out.sort();
}

function changedWhileAdded(rel: string): BenchtopError {
  return new BenchtopError('BUSY', `${rel} changed while it was being added.`, {
    field: 'path',
    hint: 'Wait until whatever writes it has finished, then add it again. Nothing was recorded.',
  });
}

async function trackOne(
  projectDir: string,
  db: Database,
  rel: string,
  onProgress?: (p: AddProgress) => void,
): Promise<AddResult> {
  const abs = path.join(projectDir, rel);
  let st: fs.Stats;
  try {
    st = statSync(abs);
  } catch {
    throw new BenchtopError('NOT_FOUND', `${rel} does not exist.`, {
      field: 'path',
      hint: 'Check the path; it is relative to where you run the command.',
    });
  }
  const hasher = new PooledHasher(projectDir, db);
  const store = dataStore(projectDir);
  const repaired: string[] = [];
  let schemaProblem: string | undefined;
  let pointer: DataPointer;
  if (st.isFile()) {
    onProgress?.({ path: rel, phase: 'hashing', done: 0, total: 1 });
    // Hashed on a thread and copied into the cache in the same read.
    const hashed = (await hasher.hashFiles([rel], { store })).get(rel)!;
    if (!unchangedSince(abs, hashed)) throw changedWhileAdded(rel);
    const { hash } = hashed;
    // An object already there with other bytes would otherwise make the good bytes look saved.
    if ((await corruptObjects(store, db, [{ hash, size: hashed.size }])).has(hash)) {
      await store.replace(abs, hash);
      repaired.push(rel);
    }
    // The summary is a courtesy: the bytes are already hashed and cached, so a table that cannot be
    // read (a ragged row, a broken Parquet footer) is tracked like any file, without a schema.
    let schema: TableSchema | null = null;
    try {
      schema = await readTableSchema(abs, rel);
    } catch (err) {
      schemaProblem = err instanceof TableUnreadable ? err.reason : err instanceof Error ? err.message : String(err);
    }
    pointer = { version: 1, kind: 'file', hash, size: st.size, files: 1, ...(schema ? { schema } : {}) };
    onProgress?.({ path: rel, phase: 'caching', done: 1, total: 1 });
  } else if (st.isDirectory()) {
    const files = listFolder(projectDir, rel);
    const entries: ManifestEntry[] = [];
    const hashed = await hasher.hashFiles(files, {
      store,
      onProgress: (done, total) => onProgress?.({ path: rel, phase: 'hashing', done, total }),
    });
    // Each file is stat'ed again once all are hashed: one that changed meanwhile fails the whole
    // add before the manifest or the pointer exist. The objects already stored stay: each is named
    // by the hash of the bytes it holds, so none is wrong, and `data gc` removes them if unused.
    for (const f of files) {
      const h = hashed.get(f)!;
      if (!unchangedSince(path.join(projectDir, f), h)) throw changedWhileAdded(f);
      entries.push({ path: f.slice(rel.length + 1), hash: h.hash, size: h.size });
    }
    const bad = await corruptObjects(store, db, entries);
    for (const e of entries) {
      if (!bad.has(e.hash)) continue;
      bad.delete(e.hash);
      await store.replace(path.join(projectDir, rel, ...e.path.split('/')), e.hash);
      repaired.push(`${rel}/${e.path}`);
    }
    const manifest = encodeManifest(entries);
    if (await store.putBytes(manifest.bytes, manifest.hash)) repaired.push(`${rel} (its file list)`);
    pointer = {
      version: 1,
      kind: 'folder',
      hash: manifest.hash,
      size: entries.reduce((n, e) => n + e.size, 0),
      files: entries.length,
    };
  } else {
    throw new BenchtopError('INVALID_INPUT', `${rel} is neither a file nor a folder.`, { field: 'path' });
  }
  const pointerRel = pointerPathOf(rel);
  let status: AddResult['status'] = 'added';
  if (fs.existsSync(path.join(projectDir, pointerRel))) {
    const old = readPointer(projectDir, pointerRel);
    status = old.hash === pointer.hash ? 'unchanged' : 'updated';
  }
  if (status !== 'unchanged') writePointer(projectDir, rel, pointer);
  return {
    path: rel,
    pointer: pointerRel,
    status,
    pointerData: pointer,
    rehashed: hasher.rehashed,
    repaired,
    ...(schemaProblem ? { schemaProblem } : {}),
  };
}

/** Tracks each path; the pointers and .gitignore are staged in git (the data is untracked there). */
export async function addData(
  projectDir: string,
  db: Database,
  given: readonly string[],
  opts: { base?: string; absorb?: boolean; onProgress?: (p: AddProgress) => void } = {},
): Promise<AddResult[]> {
  if (given.length === 0)
    throw new BenchtopError('INVALID_INPUT', 'Name at least one file or folder to track.', {
      field: 'paths',
      hint: 'For example: benchtop data add data/train.csv',
    });
  // Check every path before tracking any, so one bad path changes nothing.
  const rels = given.map((g) => projectRelative(projectDir, g, opts.base ?? projectDir));
  for (const rel of rels) {
    if (!fs.existsSync(path.join(projectDir, rel)))
      throw new BenchtopError('NOT_FOUND', `${rel} does not exist.`, {
        field: 'path',
        hint: 'Check the path; it is relative to where you run the command.',
      });
    for (const other of rels)
      if (other !== rel && other.startsWith(`${rel}/`))
        throw new BenchtopError('INVALID_INPUT', `${other} is inside ${rel}; track one or the other.`, {
          field: 'path',
        });
  }
  // Tracked data may not overlap: a pointer inside a tracked folder sits in a git-ignored folder,
  // where it can never be committed, and the folder's pointer would silently take over its data.
  const pointers = findPointers(projectDir);
  const absorbed: string[] = [];
  for (const rel of rels) {
    const around = trackedAround(pointers, rel);
    if (around) {
      throw new BenchtopError(
        'CONFLICT',
        `${rel} is inside ${around}, which is tracked as a whole; it cannot be tracked on its own too.`,
        {
          field: 'path',
          hint: `Record its change with \`benchtop data add ${around}\`, or stop tracking the folder first with \`benchtop data untrack ${around}\`. Nothing was changed.`,
        },
      );
    }
    const inside = trackedInside(pointers, rel);
    if (inside.length && !opts.absorb) {
      throw new BenchtopError(
        'CONFLICT',
        `${rel} holds tracked data: ${inside.join(', ')}. Tracking ${rel} as a whole would silently untrack ${inside.length === 1 ? 'it' : 'them'}.`,
        {
          field: 'path',
          hint: `Stop tracking ${inside.length === 1 ? 'it' : 'them'} first with \`benchtop data untrack ${inside.join(' ')}\`, or fold ${inside.length === 1 ? 'it' : 'them'} into ${rel} with \`benchtop data add --absorb ${rel}\` (past versions stay in \`benchtop data log\`). Nothing was changed.`,
        },
      );
    }
    absorbed.push(...inside);
  }
  const results: AddResult[] = [];
  for (const rel of rels) results.push(await trackOne(projectDir, db, rel, opts.onProgress));
  // Folded in only once the folders are cached and their pointers written.
  if (absorbed.length) await dropPointers(projectDir, absorbed);
  ensureGitignore(
    projectDir,
    rels.map((r) => `/${r}`),
    'Benchtop: tracked data (its .bt pointer is committed instead)',
  );
  if (hasRepo(projectDir)) {
    for (const r of results) {
      // Data committed to git before it was tracked leaves the index, not the disk.
      const inIndex = (await git.listFiles({ fs: gitFs, dir: projectDir })).filter(
        (f) => f === r.path || f.startsWith(`${r.path}/`),
      );
      for (const f of inIndex) await git.remove({ fs: gitFs, dir: projectDir, filepath: f });
      await git.add({ fs: gitFs, dir: projectDir, filepath: r.pointer });
    }
    await git.add({ fs: gitFs, dir: projectDir, filepath: '.gitignore' });
  }
  return results;
}
