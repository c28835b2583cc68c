// Runs in: main (core). Content hashes of files and folders, with a stat cache in SQLite: a file
// whose size, mtime, ctime and inode are unchanged is not read again (the ctime catches an edit whose
// mtime was put back, which no userland call can do to the ctime).
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';

type CacheRow = { size: number; mtimeNs: string; ctimeNs: string; ino: string; hash: string };

export class FileHasher {
  /** Files actually read since this hasher was made (the stat cache missed). */
  rehashed = 0;
  private readonly put;
  private readonly memo = new Map<string, string>();
  /** The whole stat cache, read in one query on first use: far cheaper than a query per file. */
  private rows: Map<string, CacheRow> | null = null;

  constructor(
    private readonly projectDir: string,
    private readonly db: Database,
    /** Prefix for stat-cache keys (working copies use their own namespace). */
    private readonly keyPrefix = '',
  ) {
    this.put = db.prepare(
      `INSERT INTO file_hashes (path, size, mtime_ns, ctime_ns, ino, hash) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, ino = excluded.ino, hash = excluded.hash`,
    );
  }

  private async hashFile(rel: string, st: BigIntStats): Promise<string> {
    const key = `${rel}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.ino}`;
    const memo = this.memo.get(key);
    if (memo) return memo;
    this.rows ??= new Map(
      (
        this.db
          .prepare('SELECT path, size, mtime_ns AS mtimeNs, ctime_ns AS ctimeNs, ino, hash FROM file_hashes')
          .all() as (CacheRow & { path: string })[]
      ).map((r) => [r.path, r]),
    );
    const row = this.rows.get(this.keyPrefix + rel);
    if (
      row &&
      BigInt(row.size) === st.size &&
      row.mtimeNs === String(st.mtimeNs) &&
      row.ctimeNs === String(st.ctimeNs) &&
      row.ino === String(st.ino)
    ) {
      this.memo.set(key, row.hash);
      return row.hash;
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path.join(this.projectDir, rel))) hash.update(chunk as Buffer);
    const digest = hash.digest('hex');
    this.rehashed++;
    const ctimeNs = ctimeToRecord(st);
    this.put.run(this.keyPrefix + rel, Number(st.size), String(st.mtimeNs), ctimeNs, String(st.ino), digest);
    this.rows.set(this.keyPrefix + rel, {
      size: Number(st.size),
      mtimeNs: String(st.mtimeNs),
      ctimeNs,
      ino: String(st.ino),
      hash: digest,
    });
    this.memo.set(key, digest);
    return digest;
  }

  /** sha256 of a file; for a folder, of its sorted (path, hash) list; null when missing. */
  async hash(rel: string): Promise<string | null> {
    let st: BigIntStats;
    try {
      st = statSync(path.join(this.projectDir, rel), { bigint: true });
    } catch {
      return null;
    }
    if (st.isFile()) return this.hashFile(rel, st);
    if (!st.isDirectory()) return null;
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(path.join(this.projectDir, dir), { withFileTypes: true })) {
        const child = path.posix.join(dir, e.name);
        if (e.isDirectory()) walk(child);
        else if (e.isFile()) files.push(child);
      }
    };
    walk(rel);
    files.sort();
    const h = createHash('sha256');
    for (const f of files) {
      h.update(
        `${path.posix.relative(rel, f)}\0${await this.hashFile(f, statSync(path.join(this.projectDir, f), { bigint: true }))}\n`,
      );
    }
    return `dir:${h.digest('hex')}:${files.length}`;
  }
}

/** How close to the moment it is recorded a coarse timestamp must be for the row not to be trusted. */
const RACY_MS = 2000;

/**
 * The ctime to record for a file stat'ed with `big` at `nowMs`, or '' (matching no stat, so the file
 * is hashed again next time) when the stat is racy. On a filesystem that keeps whole seconds only
 * (FAT, exFAT, some network mounts), an edit in the same second as the hash, keeping the size, leaves
 * every stamp field as it was; as git does, such a row is recorded "smudged" until the second is
 * over. Nanosecond timestamps need no such wait: there the ctime moves with any later write.
 */
export function ctimeToRecord(big: BigIntStats, nowMs = Date.now()): string {
  const coarse = big.mtimeNs % 1_000_000_000n === 0n && big.ctimeNs % 1_000_000_000n === 0n;
  const newest = Number((big.mtimeNs > big.ctimeNs ? big.mtimeNs : big.ctimeNs) / 1_000_000n);
  return coarse && nowMs - newest < RACY_MS ? '' : String(big.ctimeNs);
}
