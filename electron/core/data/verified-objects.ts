// Runs in: main (core). Which cache objects are known good without reading them again.
//
// An object is recorded here when its bytes were hashed and matched its name: as `data add` or
// `data pull` wrote it, when a checkout read it, or by `data verify`. The record keeps the object
// file's stat at that moment. While the stat is the same, `data checkout` copies the object without
// hashing it a second time, which is what lets a checkout run at the speed of `cp`. The stat holds
// the ctime, which no userland write can put back (unlike the mtime), so any edit, truncation,
// chmod or replacement of an object sends it through the hash again. What a stat cannot see is the
// disk itself flipping bits; `data verify` (or `data checkout --verify`) rehashes for that.
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { writeTransaction } from '../store/database';

/** An object file's stat, as the strings SQLite keeps (bigint nanoseconds and inode). */
export interface ObjectStamp {
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
}

/** The stamp of a file, or null when it is missing or not a regular file. */
export function stampOf(file: string): ObjectStamp | null {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!st?.isFile()) return null;
  return { size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino) };
}

export function sameStamp(a: ObjectStamp | null, b: ObjectStamp | null): boolean {
  return (
    a !== null &&
    b !== null &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs &&
    a.ino === b.ino
  );
}

export interface VerifiedEntry {
  hash: string;
  stamp: ObjectStamp;
}

export class VerifiedObjects {
  private rows: Map<string, ObjectStamp> | null = null;
  /** Recorded hash by inode, made on first use. */
  private byIno: Map<string, string> | null = null;

  constructor(private readonly db: Database) {}

  private all(): Map<string, ObjectStamp> {
    if (!this.rows) {
      this.rows = new Map();
      for (const [hash, size, mtimeNs, ctimeNs, ino] of this.db
        .prepare('SELECT hash, size, mtime_ns, ctime_ns, ino FROM verified_objects')
        .raw()
        .all() as [string, number, string, string, string][]) {
        this.rows.set(hash, { size: String(size), mtimeNs, ctimeNs, ino });
      }
    }
    return this.rows;
  }

  /** Whether `file` (object `hash`) still has the stat it had when its bytes last matched `hash`. */
  holds(hash: string, file: string): boolean {
    return this.holdsStamp(hash, stampOf(file));
  }

  /** holds(), for a stamp the caller already took. */
  holdsStamp(hash: string, stamp: ObjectStamp | null): boolean {
    const known = this.all().get(hash);
    return known !== undefined && sameStamp(known, stamp);
  }

  /** The object whose record names inode `ino`, if any (a hardlink in the workspace shares its object's inode). */
  hashAtInode(ino: string): string | undefined {
    if (!this.byIno) {
      this.byIno = new Map();
      for (const [hash, stamp] of this.all()) this.byIno.set(stamp.ino, hash);
    }
    return this.byIno.get(ino);
  }

  /** Records objects whose bytes were just seen to match their names, in one transaction. */
  record(entries: readonly VerifiedEntry[]): void {
    if (entries.length === 0) return;
    const put = this.db.prepare(
      `INSERT INTO verified_objects (hash, size, mtime_ns, ctime_ns, ino, verified_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, ino = excluded.ino, verified_at = excluded.verified_at`,
    );
    const at = new Date().toISOString();
    writeTransaction(this.db, () => {
      for (const e of entries) put.run(e.hash, Number(e.stamp.size), e.stamp.mtimeNs, e.stamp.ctimeNs, e.stamp.ino, at);
    });
    for (const e of entries) {
      this.rows?.set(e.hash, e.stamp);
      this.byIno?.set(e.stamp.ino, e.hash);
    }
  }

  /** Drops the records of objects found corrupt or removed. */
  forget(hashes: readonly string[]): void {
    if (hashes.length === 0) return;
    const del = this.db.prepare('DELETE FROM verified_objects WHERE hash = ?');
    writeTransaction(this.db, () => {
      for (const h of hashes) del.run(h);
    });
    for (const h of hashes) {
      const ino = this.rows?.get(h)?.ino;
      if (ino !== undefined && this.byIno?.get(ino) === h) this.byIno.delete(ino);
      this.rows?.delete(h);
    }
  }
}
