import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK, PooledHasher, runHashTasks } from '../../electron/core/data/hash-pool';
import { readPointer } from '../../electron/core/data/pointer';
import { addData, dataStore } from '../../electron/core/data/track';
import { dataStatus } from '../../electron/core/data/status';
import { FileHasher } from '../../electron/core/util/hashing';
import { ObjectStore } from '../../electron/core/git/object-store';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { tmpDir } from '../support/helpers';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Contents around the interesting sizes: empty, tiny, just under, at and over the 1 MiB chunk. */
const contents = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 64 }),
  fc
    .constantFrom(CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 17)
    .chain((n) =>
      fc.integer({ min: 0, max: 255 }).map((seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)),
    ),
);

describe('hashing on the worker pool', () => {
  it('gives the same sha256 as node:crypto over random contents and sizes, inline and on threads, and copies byte for byte', async () => {
    const dir = tmpDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(contents, { minLength: 1, maxLength: 40 }), async (files) => {
        const tasks = files.map((bytes) => {
          const file = path.join(dir, `f${n++}`);
          writeFileSync(file, bytes);
          return { file, copyTo: `${file}.copy`, size: bytes.length };
        });
        const hashes = await runHashTasks(tasks);
        expect(hashes).toEqual(files.map(sha));
        for (const t of tasks) expect(readFileSync(t.copyTo).equals(readFileSync(t.file))).toBe(true);
        // Into a store: each object is named by the hash of its bytes, no temp file is left behind.
        const root = path.join(dir, `store${n++}`);
        mkdirSync(path.join(root, 'tmp'), { recursive: true });
        const stored = await runHashTasks(tasks.map((t) => ({ file: t.file, size: t.size, storeIn: root })));
        expect(stored).toEqual(hashes);
        for (const h of stored) expect(sha(readFileSync(path.join(root, h.slice(0, 2), h.slice(2))))).toBe(h);
        expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
      }),
      { numRuns: 12, seed: 5 },
    );
    // Enough small files to go past the inline limit, so the threads answer too.
    const many = Array.from({ length: 300 }, (_, i) => {
      const file = path.join(dir, `m${i}`);
      writeFileSync(file, `row ${i}\n`.repeat(i % 7));
      return { file, size: 0 };
    });
    expect(await runHashTasks(many)).toEqual(many.map((t) => sha(readFileSync(t.file))));
  });

  it('ObjectStore.put keeps the bytes under their hash and refuses a file that does not match the hash given', async () => {
    const dir = tmpDir();
    const store = new ObjectStore(path.join(dir, 'cache'));
    const file = path.join(dir, 'x.bin');
    const bytes = Buffer.from(Array.from({ length: CHUNK + 3 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
    const hash = await store.put(file);
    expect(hash).toBe(sha(bytes));
    expect(readFileSync(store.pathOf(hash)).equals(bytes)).toBe(true);
    const other = path.join(dir, 'y.bin');
    writeFileSync(other, 'different');
    await expect(
      store.put(
        other,
        hash.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      ),
    ).rejects.toThrow(/changed while it was being cached/);
    expect(store.has(sha(Buffer.from('different')))).toBe(false);
    expect(readdirSync(path.join(dir, 'cache', 'tmp'))).toEqual([]);
  });

  it('copies byte for byte, with the writes beside the hashing, for one big file and for several batches at once', async () => {
    const dir = tmpDir();
    const make = (name: string, n: number, seed: number) => {
      const file = path.join(dir, name);
      // A 251-byte pattern (prime, so it never lines up with a chunk) repeated to n bytes.
      writeFileSync(file, Buffer.alloc(n, Buffer.from(Array.from({ length: 251 }, (_, i) => (i * 131 + seed) & 0xff))));
      return { file, copyTo: `${file}.copy`, size: n };
    };
    // One batch on one thread; the odd size ends mid-chunk, so both buffers and a short last write are used.
    const lone = [make('lone', 9 * CHUNK + 5, 1)];
    // Each file over the 32 MiB batch limit is a batch of its own, so the threads copy at the same time.
    const busy = [make('a', 33 * CHUNK + 1, 2), make('b', 33 * CHUNK, 3), make('c', 2, 4)];
    for (const tasks of [lone, busy]) {
      expect(await runHashTasks(tasks)).toEqual(tasks.map((t) => sha(readFileSync(t.file))));
      for (const t of tasks) expect(readFileSync(t.copyTo).equals(readFileSync(t.file))).toBe(true);
    }
    // An existing destination is never overwritten: the task fails and the file keeps its bytes.
    writeFileSync(path.join(dir, 'taken'), 'mine');
    await expect(runHashTasks([{ ...lone[0]!, copyTo: path.join(dir, 'taken') }])).rejects.toThrow(/EEXIST/);
    expect(readFileSync(path.join(dir, 'taken'), 'utf8')).toBe('mine');
  });

  it('names the file that cannot be read', async () => {
    await expect(runHashTasks([{ file: path.join(tmpDir(), 'gone'), size: 0 }])).rejects.toThrow(
      /gone disappeared while it was being read/,
    );
  });

  it('honours the stat cache shared with the pipeline: unchanged files are not read again', async () => {
    const dir = path.join(tmpDir(), 'p');
    (await initProject(dir, {})).workspace.close();
    const ws = Workspace.open(dir);
    try {
      mkdirSync(path.join(dir, 'data'));
      for (let i = 0; i < 120; i++) writeFileSync(path.join(dir, 'data', `${i}.txt`), `file ${i}\n`);
      const [first] = await addData(dir, ws.db, ['data']);
      expect(first!.rehashed).toBe(120);
      expect(readdirSync(path.join(dir, '.benchtop', 'cache', 'tmp'))).toEqual([]);
      const pointer = readPointer(dir, 'data.bt');
      expect(pointer).toMatchObject({ kind: 'folder', files: 120 });
      // Every object is in the cache and holds the bytes its name says.
      const store = dataStore(dir);
      for (let i = 0; i < 120; i++)
        expect(store.readBytes(sha(Buffer.from(`file ${i}\n`))).toString()).toBe(`file ${i}\n`);

      const [again] = await addData(dir, ws.db, ['data']);
      expect(again).toMatchObject({ status: 'unchanged', rehashed: 0 });
      writeFileSync(path.join(dir, 'data', '7.txt'), 'changed\n');
      utimesSync(path.join(dir, 'data', '8.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
      const [third] = await addData(dir, ws.db, ['data']);
      expect(third).toMatchObject({ status: 'updated', rehashed: 2 });

      // The pipeline's FileHasher reads the rows the pool wrote.
      const fh = new FileHasher(dir, ws.db);
      expect(await fh.hash('data/7.txt')).toBe(sha(Buffer.from('changed\n')));
      expect(fh.rehashed).toBe(0);
      const ph = new PooledHasher(dir, ws.db);
      expect(await dataStatus(dir, ws.db)).toEqual([
        expect.objectContaining({ path: 'data', workspace: 'unchanged', inCache: true }),
      ]);
      expect(await ph.hash('data/0.txt')).toBe(sha(Buffer.from('file 0\n')));
      expect(ph.rehashed).toBe(0);
    } finally {
      ws.close();
    }
  });
});
