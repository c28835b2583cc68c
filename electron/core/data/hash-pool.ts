// Runs in: main (core). sha256 of many files at once on a pool of worker threads, behind the stat
// cache (`file_hashes`, shared with the pipeline's FileHasher): unchanged files are never read, only
// the misses go to the pool, and a miss bound for the data cache is copied there in the same read.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync, writeSync, type BigIntStats, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId, Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';
import type { ObjectStore } from '../git/object-store';
import { ctimeToRecord } from '../util/hashing';
import { builtWorkerBundle } from '../util/worker-bundle';
import { CHUNK, HashJobRunner, type HashJob, type JobReply, type TaskResult } from './hash-job';
import { stampOf, VerifiedObjects, type VerifiedEntry } from './verified-objects';

/** Large reads: sha256 then runs at the speed of the hash, not of the syscalls. */
export { CHUNK };

/** The pool's worker (hash-worker.ts), built beside the app's and the CLI's bundles. */
const WORKER_BUNDLE = 'hash-worker.cjs';

export interface HashTask {
  /** Absolute path of the file to read. */
  file: string;
  /** Write the bytes read to this new file too (it must not exist). */
  copyTo?: string;
  /** Store the file in the object store rooted here (its tmp/ folder must exist), named by its hash. */
  storeIn?: string;
  /** Expected size, used only to size batches and to decide whether a pool is worth starting. */
  size: number;
}

/** A finished task: the sha256 of the bytes read and, for a store task, whether it wrote the object. */
export interface HashOutcome {
  hash: string;
  stored: boolean;
}

/** The same loop as the worker's, for jobs too small to be worth starting threads. */
function hashInline(task: HashTask, buf: Buffer): TaskResult {
  try {
    const h = createHash('sha256');
    const fd = openSync(task.file, 'r');
    let out: number | null = null;
    try {
      if (task.copyTo) out = openSync(task.copyTo, 'wx', 0o644);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        const bytes = n === buf.length ? buf : buf.subarray(0, n);
        h.update(bytes);
        if (out !== null) for (let off = 0; off < n; ) off += writeSync(out, bytes, off, n - off);
      }
    } finally {
      closeSync(fd);
      if (out !== null) closeSync(out);
    }
    return { hash: h.digest('hex'), stored: false, error: null };
  } catch (err) {
    return { hash: null, stored: false, error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}

/** Threads in the pool: one per core the process may use, at most 8 (beyond that the disk is the limit). */
export function poolSize(): number {
  return Math.max(1, Math.min(8, os.availableParallelism()));
}

const INLINE_BYTES = 4 * CHUNK;
const INLINE_FILES = 32;
const BATCH_FILES = 256;
const BATCH_BYTES = 32 * CHUNK;

export const isDiskFull = (code: string | null | undefined): boolean => code === 'ENOSPC' || code === 'EDQUOT';

/** The error for a copy of `file` cut short by a full disk (its temp file is removed by the caller). */
export function diskFull(file: string): BenchtopError {
  return new BenchtopError('INTERNAL', `The disk filled up while ${file} was being copied.`, {
    hint: 'Free some space and try again; the partial copy was removed and nothing was changed.',
  });
}

/** Hashes (and copies, where asked) every task; hashes in task order. Throws on the first failure. */
export async function runHashTasks(
  tasks: readonly HashTask[],
  onDone?: (done: number, total: number) => void,
): Promise<string[]> {
  return (await runHashTaskOutcomes(tasks, onDone)).map((o) => o.hash);
}

/** runHashTasks, saying also which store tasks wrote their object. */
export async function runHashTaskOutcomes(
  tasks: readonly HashTask[],
  onDone?: (done: number, total: number) => void,
): Promise<HashOutcome[]> {
  const results: TaskResult[] = new Array(tasks.length);
  const total = tasks.reduce((n, t) => n + t.size, 0);
  // Temp names unique across processes and calls (random prefix) and threads (thread id + counter).
  const prefix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  if (tasks.length <= INLINE_FILES && total <= INLINE_BYTES && !tasks.some((t) => t.storeIn)) {
    const buf = Buffer.allocUnsafe(CHUNK);
    tasks.forEach((t, i) => {
      results[i] = hashInline(t, buf);
      onDone?.(i + 1, tasks.length);
    });
  } else {
    // Batches keep the message round trips few for many small files, and spread big files apart.
    const batches: number[][] = [];
    let cur: number[] = [];
    let curBytes = 0;
    tasks.forEach((t, i) => {
      cur.push(i);
      curBytes += t.size;
      if (cur.length >= BATCH_FILES || curBytes >= BATCH_BYTES) {
        batches.push(cur);
        cur = [];
        curBytes = 0;
      }
    });
    if (cur.length) batches.push(cur);
    const jobOf = (id: number): HashJob => ({
      id,
      prefix,
      tasks: batches[id]!.map((i) => ({
        file: tasks[i]!.file,
        copyTo: tasks[i]!.copyTo ?? null,
        storeIn: tasks[i]!.storeIn ?? null,
      })),
    });
    let next = 0;
    let done = 0;
    const collect = (msg: JobReply): void => {
      batches[msg.id]!.forEach((taskIndex, k) => (results[taskIndex] = msg.results[k]!));
      done += msg.results.length;
      onDone?.(done, tasks.length);
    };
    const workerFile = builtWorkerBundle(WORKER_BUNDLE);
    // Without the bundle (a source checkout never built), the same jobs run here, one after another.
    if (workerFile === null) {
      const runner = new HashJobRunner(threadId);
      while (next < batches.length) collect(await runner.run(jobOf(next++)));
    }
    const workers =
      workerFile === null
        ? []
        : Array.from({ length: Math.min(poolSize(), batches.length) }, () => new Worker(workerFile));
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const send = (): void => {
                if (next >= batches.length) return resolve();
                w.postMessage(jobOf(next++));
              };
              w.on('message', (msg: JobReply) => {
                collect(msg);
                send();
              });
              w.on('error', reject);
              w.on('exit', (code) =>
                next < batches.length || code !== 0
                  ? reject(new Error(`a hashing thread stopped (exit code ${code})`))
                  : undefined,
              );
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  return results.map((r, i) => {
    if (r.hash !== null) return { hash: r.hash, stored: r.stored };
    const file = tasks[i]!.file;
    if (r.error === 'ENOENT')
      throw new BenchtopError('NOT_FOUND', `${file} disappeared while it was being read.`, {
        field: 'path',
        hint: 'Wait until whatever changes it has finished, then try again.',
      });
    // Only a copy or a store writes; its temp file is removed by the caller.
    if (isDiskFull(r.error)) throw diskFull(file);
    throw new BenchtopError('INTERNAL', `Could not read ${file}: ${r.error}.`, { field: 'path' });
  });
}

/** sha256 of one file with large reads, on a thread when the file is big enough to be worth one. */
export async function sha256Large(file: string): Promise<string> {
  return (await runHashTasks([{ file, size: statSync(file).size }]))[0]!;
}

/**
 * A `file_hashes` row as numbers to compare with a plain (non-bigint) stat: for 100,000 files the
 * bigint stats and their string conversions cost more than the stats. `mtimeMs` is computed from
 * the stored nanoseconds exactly as node computes Stats.mtimeMs (sec × 1e3 + nsec / 1e6), so equal
 * times compare equal; only the misses are stat'ed again with bigint to store FileHasher's format.
 */
type CacheRow = { size: number; mtimeMs: number; ctimeMs: number; ino: number; hash: string };

function msFromNs(ns: string): number {
  if (ns === '') return NaN; // a row from before ctimes were kept: equal to nothing
  const padded = ns.padStart(10, '0');
  return Number(padded.slice(0, -9)) * 1e3 + Number(padded.slice(-9)) / 1e6;
}

export interface HashedFile {
  hash: string;
  size: number;
  /** The stat taken before the file was read (or matched against the stat cache). */
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/**
 * Whether a file still has the size, mtime and inode it had when it was hashed: a writer that
 * changed it while it was read (or replaced it by renaming) leaves a hash that belongs to no state
 * of the file, which must not be recorded.
 */
export function unchangedSince(
  abs: string,
  before: { size: number; mtimeMs: number; ctimeMs: number; ino: number },
): boolean {
  const now = statSync(abs, { throwIfNoEntry: false });
  return (
    now !== undefined &&
    now.size === before.size &&
    now.mtimeMs === before.mtimeMs &&
    now.ctimeMs === before.ctimeMs &&
    now.ino === before.ino
  );
}

/**
 * The stat cache in front of the pool. Keys, columns and matching rule are FileHasher's
 * (size, mtime and ctime in ns, and inode), so the pipeline and the data commands share one cache.
 */
export class PooledHasher {
  /** Files actually read since this hasher was made (the stat cache missed). */
  rehashed = 0;
  private rows: Map<string, CacheRow> | null = null;

  constructor(
    private readonly projectDir: string,
    private readonly db: Database,
  ) {}

  private cacheRows(): Map<string, CacheRow> {
    if (!this.rows) {
      // Raw rows: one array per row instead of an object with named columns.
      this.rows = new Map();
      for (const [p, size, mtimeNs, ctimeNs, ino, hash] of this.db
        .prepare('SELECT path, size, mtime_ns, ctime_ns, ino, hash FROM file_hashes')
        .raw()
        .all() as [string, number, string, string, string, string][]) {
        this.rows.set(p, { size, mtimeMs: msFromNs(mtimeNs), ctimeMs: msFromNs(ctimeNs), ino: Number(ino), hash });
      }
    }
    return this.rows;
  }

  /**
   * Hash and size of each project-relative file. With `store`, each object ends up in it: a miss is
   * stored by the threads in the same read (see hash-job.ts), a hit missing from it is put.
   */
  async hashFiles(
    rels: readonly string[],
    opts: { store?: ObjectStore; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<Map<string, HashedFile>> {
    const rows = this.cacheRows();
    const out = new Map<string, HashedFile>();
    const misses: { rel: string; st: Stats; big: BigIntStats; task: HashTask }[] = [];
    // The store's temp folder is made here once; the threads write into it and rename out of it.
    const storeIn = opts.store?.root;
    if (storeIn) mkdirSync(path.join(storeIn, 'tmp'), { recursive: true });
    for (const rel of rels) {
      const abs = path.join(this.projectDir, rel);
      let st: Stats;
      try {
        st = statSync(abs);
      } catch {
        throw new BenchtopError('NOT_FOUND', `${rel} does not exist.`, {
          field: 'path',
          hint: 'Check the path; it is relative to the project.',
        });
      }
      const row = rows.get(rel);
      if (
        row &&
        row.size === st.size &&
        row.mtimeMs === st.mtimeMs &&
        row.ctimeMs === st.ctimeMs &&
        row.ino === st.ino
      ) {
        out.set(rel, { hash: row.hash, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino });
        if (opts.store && !opts.store.has(row.hash)) await opts.store.put(abs, row.hash);
      } else {
        // The nanosecond mtime FileHasher stores, from a bigint stat of the misses only.
        const big = statSync(abs, { bigint: true });
        misses.push({ rel, st, big, task: { file: abs, size: st.size, ...(storeIn ? { storeIn } : {}) } });
      }
    }
    const done = rels.length - misses.length;
    const outcomes = await runHashTaskOutcomes(
      misses.map((m) => m.task),
      (d) => opts.onProgress?.(done + d, rels.length),
    );
    misses.forEach((m, i) =>
      out.set(m.rel, {
        hash: outcomes[i]!.hash,
        size: m.st.size,
        mtimeMs: m.st.mtimeMs,
        ctimeMs: m.st.ctimeMs,
        ino: m.st.ino,
      }),
    );
    // Objects the threads just wrote hold the bytes they hashed: a checkout may trust them as they are.
    if (opts.store) {
      const store = opts.store;
      const fresh: VerifiedEntry[] = [];
      for (const o of outcomes) {
        const stamp = o.stored ? stampOf(store.pathOf(o.hash)) : null;
        if (stamp) fresh.push({ hash: o.hash, stamp });
      }
      new VerifiedObjects(this.db).record(fresh);
    }
    // Stat'ed before the read: a file changed while it was read will not match next time.
    this.writeRows(misses.map((m) => ({ rel: m.rel, big: m.big, hash: out.get(m.rel)!.hash })));
    this.rehashed += misses.length;
    return out;
  }

  /**
   * Records the hash of files this process just wrote from a verified object (a checkout), so the
   * next status does not read them again. Stat'ed now, after the write: a later change will not match.
   */
  remember(files: readonly { rel: string; hash: string }[]): void {
    const stated: { rel: string; big: BigIntStats; hash: string }[] = [];
    for (const f of files) {
      const big = statSync(path.join(this.projectDir, f.rel), { bigint: true, throwIfNoEntry: false });
      if (big?.isFile()) stated.push({ rel: f.rel, big, hash: f.hash });
    }
    this.writeRows(stated);
  }

  /** Stat cache rows, in one transaction: 10,000 autocommits would cost more than the hashing. */
  private writeRows(entries: readonly { rel: string; big: BigIntStats; hash: string }[]): void {
    if (entries.length === 0) return;
    // The in-memory copy is kept in step only when it was loaded; writing need not load it.
    const rows = this.rows;
    const put = this.db.prepare(
      `INSERT INTO file_hashes (path, size, mtime_ns, ctime_ns, ino, hash) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, ino = excluded.ino, hash = excluded.hash`,
    );
    writeTransaction(this.db, () => {
      for (const { rel, big, hash } of entries) {
        const ns = String(big.mtimeNs);
        const cns = ctimeToRecord(big);
        put.run(rel, Number(big.size), ns, cns, String(big.ino), hash);
        rows?.set(rel, {
          size: Number(big.size),
          mtimeMs: msFromNs(ns),
          ctimeMs: msFromNs(cns),
          ino: Number(big.ino),
          hash,
        });
      }
    });
  }

  /** sha256 of one file, or null when it is missing or not a file. */
  async hash(rel: string): Promise<string | null> {
    try {
      if (!statSync(path.join(this.projectDir, rel)).isFile()) return null;
    } catch {
      return null;
    }
    return (await this.hashFiles([rel])).get(rel)!.hash;
  }
}
