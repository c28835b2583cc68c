// Runs in: main (core). The shortcut that keeps `data status` on a folder of 100,000 files fast.
//
// Every status must stat every file (that is how an edit is seen), but a folder found unchanged need
// not have its 100,000 stat-cache rows loaded, its manifest rebuilt and hashed, and the cache listed
// to prove each object is there. Instead, when a folder matched its pointer, its files' stats are
// digested and stored (with the cache's shard folders' stats, taken before its objects were found
// present). The next status stats the files again: the same digest means the same files with the
// same size, mtime, ctime and inode as when they matched, which is exactly what the per-file stat cache
// trusts, only checked at once. The same cache digest means no object was added to or removed from
// any shard folder since all were present (a folder's mtime and ctime move with its entries).
//
// Like git's index, a stamp is not written while anything it covers changed in the last two seconds:
// timestamps move in clock ticks, so a change made in the same tick as the stamp could look unchanged.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { writeTransaction } from '../store/database';

/** How recent a change must be for a stamp not to be trusted (a few clock ticks, with margin). */
export const RACY_MS = 2000;

export interface StatDigest {
  digest: string;
  /** The newest mtime or ctime seen, in ms: a stamp is written only when it is old enough. */
  newest: number;
}

/** Files whose stats go into the digest together: their names as one string, their numbers as bytes. */
const BATCH = 4096;

/** Digest of each file's path, size, mtime, ctime and inode (stat follows symlinks, as the hasher's does). */
export function digestFiles(projectDir: string, files: readonly string[]): StatDigest | null {
  const h = createHash('sha256');
  let newest = 0;
  // The numbers are hashed as their eight bytes, not formatted as text: on 100,000 files the text
  // and its garbage cost more than the stats. Names hold no NUL, and batches are a fixed size,
  // so the bytes still say which file had which stat.
  const numbers = new Float64Array(BATCH * 4);
  let k = 0;
  let names = '';
  const flush = (): void => {
    h.update(names);
    h.update(new Uint8Array(numbers.buffer, 0, k * 8));
    names = '';
    k = 0;
  };
  const prefix = projectDir + path.sep;
  for (const rel of files) {
    const st = statSync(prefix + rel, { throwIfNoEntry: false });
    if (!st?.isFile()) return null;
    names += `${rel}\0`;
    numbers[k++] = st.size;
    numbers[k++] = st.mtimeMs;
    numbers[k++] = st.ctimeMs;
    numbers[k++] = st.ino;
    if (k === numbers.length) flush();
    if (st.mtimeMs > newest) newest = st.mtimeMs;
    if (st.ctimeMs > newest) newest = st.ctimeMs;
  }
  flush();
  return { digest: h.digest('hex'), newest };
}

/** Digest of the cache folder and each of its shard folders (their mtime and ctime move with their entries). */
export function digestCacheFolders(storeRoot: string): StatDigest | null {
  const h = createHash('sha256');
  let newest = 0;
  const add = (dir: string, name: string): boolean => {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory()) return false;
    h.update(`${name}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}\n`);
    newest = Math.max(newest, st.mtimeMs, st.ctimeMs);
    return true;
  };
  if (!add(storeRoot, '.')) return null;
  for (const shard of readdirSync(storeRoot)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .sort())
    add(path.join(storeRoot, shard), shard);
  return { digest: h.digest('hex'), newest };
}

export const settled = (d: StatDigest, now = Date.now()): boolean => now - d.newest >= RACY_MS;

export interface FolderStamp {
  pointerHash: string;
  filesDigest: string;
  cacheDigest: string | null;
}

export class FolderStamps {
  constructor(private readonly db: Database) {}

  get(rel: string): FolderStamp | null {
    const row = this.db
      .prepare('SELECT pointer_hash, files_digest, cache_digest FROM folder_stamps WHERE path = ?')
      .get(rel) as { pointer_hash: string; files_digest: string; cache_digest: string | null } | undefined;
    return row ? { pointerHash: row.pointer_hash, filesDigest: row.files_digest, cacheDigest: row.cache_digest } : null;
  }

  put(rel: string, stamp: FolderStamp): void {
    writeTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO folder_stamps (path, pointer_hash, files_digest, cache_digest, stamped_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(path) DO UPDATE SET pointer_hash = excluded.pointer_hash, files_digest = excluded.files_digest, cache_digest = excluded.cache_digest, stamped_at = excluded.stamped_at`,
        )
        .run(rel, stamp.pointerHash, stamp.filesDigest, stamp.cacheDigest, new Date().toISOString());
    });
  }
}
