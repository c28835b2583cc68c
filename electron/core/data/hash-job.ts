// Runs in: a hashing worker thread (hash-worker.ts, bundled to dist/hash-worker.cjs) and, only when
// that bundle is missing, main (core). One job of the hash pool (hash-pool.ts): a batch of files,
// each read in 1 MiB chunks (two alternating buffers), hashed, and written to `copyTo` as it is read
// when asked (the hash is then that of the bytes written), or stored in an object store.
// Only node: modules and the shared atomic move: the worker bundle stays small and starts fast.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { moveIntoPlace } from '../util/atomic-write';

/** Large reads: sha256 then runs at the speed of the hash, not of the syscalls. */
export const CHUNK = 1 << 20;

export interface JobTask {
  file: string;
  copyTo: string | null;
  storeIn: string | null;
}

export interface HashJob {
  id: number;
  /** Temp names unique across processes and calls (hash-pool.ts makes it). */
  prefix: string;
  tasks: JobTask[];
}

export interface TaskResult {
  hash: string | null;
  /** A store task whose thread wrote the object (rather than finding it there). */
  stored: boolean;
  error: string | null;
}

export interface JobReply {
  id: number;
  results: TaskResult[];
}

/** The buffers and temp-name counter of one thread; jobs on the same thread run one at a time. */
export class HashJobRunner {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  // A copy is written from a second buffer while the next chunk is read and hashed (see hashOne).
  private readonly spare = Buffer.allocUnsafe(CHUNK);
  private tmpSeq = 0;

  /** `thread` names the thread in temp file names (with the job's prefix and a counter). */
  constructor(private readonly thread: number) {}

  async run(job: HashJob): Promise<JobReply> {
    const results: TaskResult[] = [];
    for (const t of job.tasks) {
      try {
        if (t.storeIn) results.push({ ...(await this.storeOne(t.file, t.storeIn, job.prefix)), error: null });
        else results.push({ hash: await this.hashOne(t.file, t.copyTo), stored: false, error: null });
      } catch (err) {
        results.push({ hash: null, stored: false, error: (err as NodeJS.ErrnoException)?.code || String(err) });
      }
    }
    return { id: job.id, results };
  }

  private hashOnly(file: string): string {
    const { buf } = this;
    const h = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        h.update(n === buf.length ? buf : buf.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
    return h.digest('hex');
  }

  // With copyTo, each chunk is written by libuv's pool while this thread hashes it and reads the
  // next into the other buffer (at explicit offsets, so the writes need no order); a buffer is read
  // into again only once its write finished. A big file then costs about the longer of hashing and
  // copying rather than their sum, and the digest is that of the bytes written. (Measured on two
  // busy cores: two buffers beat both a plain read-hash-write loop and a deeper ring.)
  private async hashOne(file: string, copyTo: string | null): Promise<string> {
    if (!copyTo) return this.hashOnly(file);
    const h = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    let out: number | null = null;
    const pending: (Promise<void> | null)[] = [null, null];
    try {
      out = fs.openSync(copyTo, 'wx', 0o644);
      for (let k = 0, pos = 0; ; k++) {
        const slot = k % 2;
        const before = pending[slot];
        if (before) {
          pending[slot] = null;
          await before;
        }
        const b = slot === 0 ? this.buf : this.spare;
        const n = fs.readSync(fd, b, 0, b.length, null);
        if (n === 0) break;
        const bytes = n === b.length ? b : b.subarray(0, n);
        const write = writeAt(out, bytes, pos);
        // A failed write is awaited when its slot comes round; until then it is not unhandled.
        write.catch(() => undefined);
        pending[slot] = write;
        h.update(bytes);
        pos += n;
      }
      for (let i = 0; i < 2; i++) {
        const p = pending[i];
        pending[i] = null;
        if (p) await p;
      }
    } finally {
      await Promise.all(pending.map((p) => p?.catch(() => undefined)));
      fs.closeSync(fd);
      if (out !== null) fs.closeSync(out);
    }
    return h.digest('hex');
  }

  // Into a content-addressed store (ObjectStore's layout: root/ab/cdef…). A file that fits in one
  // read is hashed first, so an object already stored costs no write at all; a bigger one is copied
  // to a temp file while it is hashed. Either way the name is the hash of the bytes written.
  // "stored" says this thread wrote the object (so its bytes are the ones just hashed), not that it
  // found one already there.
  private async storeOne(file: string, root: string, prefix: string): Promise<{ hash: string; stored: boolean }> {
    const { buf } = this;
    const tmp = `${root}/tmp/${prefix}-${this.thread}-${this.tmpSeq++}`;
    const fd = fs.openSync(file, 'r');
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } finally {
      fs.closeSync(fd);
    }
    if (n < buf.length) {
      const bytes = buf.subarray(0, n);
      const hash = createHash('sha256').update(bytes).digest('hex');
      let stored = false;
      if (!fs.existsSync(`${root}/${hash.slice(0, 2)}/${hash.slice(2)}`)) {
        try {
          fs.writeFileSync(tmp, bytes, { flag: 'wx', mode: 0o644 });
          stored = place(tmp, root, hash);
        } finally {
          fs.rmSync(tmp, { force: true }); // a write cut short (disk full) leaves nothing behind
        }
      }
      return { hash, stored };
    }
    try {
      const hash = await this.hashOne(file, tmp);
      return { hash, stored: place(tmp, root, hash) };
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
}

function writeAt(out: number, bytes: Buffer, pos: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const more = (off: number): void =>
      fs.write(out, bytes, off, bytes.length - off, pos + off, (err, n) =>
        err ? reject(err) : off + n < bytes.length ? more(off + n) : resolve(),
      );
    more(0);
  });
}

/** Renames a temp file to its object's name; false (and the temp file removed) when the object exists. */
function place(tmp: string, root: string, hash: string): boolean {
  const dest = `${root}/${hash.slice(0, 2)}/${hash.slice(2)}`;
  if (fs.existsSync(dest)) {
    fs.rmSync(tmp, { force: true });
    return false;
  }
  moveIntoPlace(tmp, dest);
  return true;
}
