// What a checkout trusts without reading: cache objects unchanged (by stat, ctime included) since
// their bytes last hashed to their names. Everything else is hashed, and a corrupt object is refused.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
  closeSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutData } from '../../electron/core/data/checkout';
import { commitData } from '../../electron/core/data/history';
import { readPointer } from '../../electron/core/data/pointer';
import { addRemote } from '../../electron/core/data/remotes';
import { dataStatus } from '../../electron/core/data/status';
import { pullData, pushData } from '../../electron/core/data/transfer';
import { addData, dataStore } from '../../electron/core/data/track';
import { gcCache } from '../../electron/core/data/gc';
import { decodeManifest } from '../../electron/core/data/manifest';
import { VerifiedObjects } from '../../electron/core/data/verified-objects';
import { verifyCache } from '../../electron/core/data/verify';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { git, tmpDir } from '../support/helpers';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** A project whose `data/` folder (4 files, one bigger than a hashing chunk) is added and committed. */
async function project(): Promise<{ ws: Workspace; files: Map<string, Buffer> }> {
  const dir = path.join(tmpDir(), 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  const files = new Map<string, Buffer>([
    ['a.csv', Buffer.from('x,y\n1,2\n3,4\n')],
    ['sub/b.txt', Buffer.from('hello\n')],
    ['big.bin', Buffer.alloc(3 * 1024 * 1024 + 17, 7)],
    ['empty.bin', Buffer.alloc(0)],
  ]);
  for (const [rel, bytes] of files) {
    mkdirSync(path.dirname(path.join(dir, 'data', rel)), { recursive: true });
    writeFileSync(path.join(dir, 'data', rel), bytes);
  }
  const ws = Workspace.open(dir);
  await addData(ws.dir, ws.db, ['data']);
  await commitData(ws.dir, 'v1');
  return { ws, files };
}

/** A project with one file, `f.bin`, in two committed versions (objects recorded by their adds). */
async function twoVersions(): Promise<{ ws: Workspace; commits: string[]; versions: Buffer[] }> {
  const dir = path.join(tmpDir(), 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  const ws = Workspace.open(dir);
  const versions = [Buffer.alloc(2 * 1024 * 1024 + 5, 1), Buffer.alloc(1024 * 1024 + 9, 2)];
  const commits: string[] = [];
  for (const [i, bytes] of versions.entries()) {
    writeFileSync(path.join(dir, 'f.bin'), bytes);
    await addData(ws.dir, ws.db, ['f.bin']);
    commits.push((await commitData(ws.dir, `v${i + 1}`))!.commit);
  }
  return { ws, commits, versions };
}

const records = (ws: Workspace): string[] =>
  (ws.db.prepare('SELECT hash FROM verified_objects ORDER BY hash').all() as { hash: string }[]).map((r) => r.hash);

function expectRestored(ws: Workspace, files: Map<string, Buffer>): void {
  for (const [rel, bytes] of files) expect(readFileSync(path.join(ws.dir, 'data', rel)).equals(bytes), rel).toBe(true);
}

/**
 * Overwrites one byte of an object in place and puts its mtime back exactly, so size, mtime and inode
 * all match the record and only the ctime tells. (The mtime is first set to a whole second and the
 * object verified again, since utimes cannot restore an arbitrary nanosecond mtime.)
 */
async function flipByteKeepingMtime(ws: Workspace, file: string): Promise<void> {
  chmodSync(file, 0o644);
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  await verifyCache(ws.dir, ws.db);
  const before = statSync(file, { bigint: true });
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from([0x41]), 0, 1, 0);
  } finally {
    closeSync(fd);
  }
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  const after = statSync(file, { bigint: true });
  expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
  expect(after.ctimeNs).not.toBe(before.ctimeNs);
}

describe('verified objects', () => {
  it('records what data add wrote, so a checkout copies without hashing; --verify hashes them all', async () => {
    const { ws, files } = await project();
    try {
      const store = dataStore(ws.dir);
      const folder = readPointer(ws.dir, 'data.bt');
      const entries = decodeManifest(store.readBytes(folder.hash), folder.hash);
      // Every file object was written by the add (the manifest is stored apart and never placed).
      expect(records(ws)).toEqual([...new Set(entries.map((e) => e.hash))].sort());

      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const fast = await checkoutData(ws.dir, ws.db, 'HEAD', ['data']);
      expect({ hashed: fast.hashed, trusted: fast.trusted }).toEqual({ hashed: 0, trusted: 4 });
      expectRestored(ws, files);

      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const full = await checkoutData(ws.dir, ws.db, 'HEAD', ['data'], { verify: true });
      expect({ hashed: full.hashed, trusted: full.trusted }).toEqual({ hashed: 4, trusted: 0 });
      expectRestored(ws, files);
    } finally {
      ws.close();
    }
  });

  it('records the files it wrote in the stat cache, so the next status reads none of them', async () => {
    const { ws, files } = await project();
    try {
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      await checkoutData(ws.dir, ws.db, 'HEAD', ['data']);
      const cached = new Map(
        (
          ws.db.prepare(`SELECT path, hash FROM file_hashes WHERE path LIKE 'data/%'`).all() as {
            path: string;
            hash: string;
          }[]
        ).map((r) => [r.path, r.hash]),
      );
      for (const [rel, bytes] of files) expect(cached.get(`data/${rel}`), rel).toBe(sha(bytes));
      const [row] = await dataStatus(ws.dir, ws.db);
      expect(row!.workspace).toBe('unchanged');
    } finally {
      ws.close();
    }
  });

  it('hashes an object whose stat moved (a byte flipped, mtime put back) and refuses it, changing nothing', async () => {
    const { ws, files } = await project();
    try {
      const big = sha(files.get('big.bin')!);
      await flipByteKeepingMtime(ws, dataStore(ws.dir).pathOf(big));
      expect(records(ws)).toContain(big);
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      await expect(checkoutData(ws.dir, ws.db, 'HEAD', ['data'])).rejects.toMatchObject({
        code: 'BAD_FILE',
        message: expect.stringContaining(big.slice(0, 12)),
      });
      expect(existsSync(path.join(ws.dir, 'data'))).toBe(false);
      // Found bad: never trusted again until something verifies it anew.
      expect(records(ws)).not.toContain(big);
    } finally {
      ws.close();
    }
  });

  it('trusts an object once a checkout has read it and found it good (and not before)', async () => {
    const { ws, files } = await project();
    try {
      ws.db.prepare('DELETE FROM verified_objects').run();
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const first = await checkoutData(ws.dir, ws.db, 'HEAD', ['data']);
      expect({ hashed: first.hashed, trusted: first.trusted }).toEqual({ hashed: 4, trusted: 0 });
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const second = await checkoutData(ws.dir, ws.db, 'HEAD', ['data']);
      expect({ hashed: second.hashed, trusted: second.trusted }).toEqual({ hashed: 0, trusted: 4 });
      expectRestored(ws, files);
    } finally {
      ws.close();
    }
  });

  it('re-records hardlinked objects after linking moved their ctime; removing the links later sends them through the hash', async () => {
    const { ws, files } = await project();
    try {
      const store = dataStore(ws.dir);
      const verified = new VerifiedObjects(ws.db);
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const linked = await checkoutData(ws.dir, ws.db, 'HEAD', ['data'], { link: 'hardlink' });
      expect(linked.trusted).toBe(4);
      for (const bytes of files.values()) expect(verified.holds(sha(bytes), store.pathOf(sha(bytes)))).toBe(true);
      // Unlinking changes an inode's link count, hence its ctime: the record no longer holds.
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const again = await checkoutData(ws.dir, ws.db, 'HEAD', ['data'], { link: 'hardlink' });
      expect({ hashed: again.hashed, trusted: again.trusted }).toEqual({ hashed: 4, trusted: 0 });
      expectRestored(ws, files);
    } finally {
      ws.close();
    }
  });

  it('keeps the record of a hardlinked object when a checkout replaces its link, so switching versions hashes nothing', async () => {
    const { ws, commits, versions } = await twoVersions();
    try {
      const file = path.join(ws.dir, 'f.bin');
      for (const [i, link] of [
        [0, 'hardlink'],
        [1, 'hardlink'],
        [0, 'hardlink'],
        [1, 'copy'],
        [0, 'hardlink'],
        [1, 'hardlink'],
      ] as const) {
        const r = await checkoutData(ws.dir, ws.db, commits[i]!, ['f.bin'], { link });
        expect({ i, link, hashed: r.hashed, trusted: r.trusted }).toEqual({ i, link, hashed: 0, trusted: 1 });
        expect(readFileSync(file).equals(versions[i]!)).toBe(true);
      }
    } finally {
      ws.close();
    }
  });

  it('does not renew the record of a hardlinked object written through its link', async () => {
    const { ws, commits } = await twoVersions();
    try {
      const file = path.join(ws.dir, 'f.bin');
      await checkoutData(ws.dir, ws.db, commits[0]!, ['f.bin'], { link: 'hardlink' });
      chmodSync(file, 0o644); // the link is the object: this writes into the cache
      const fd = openSync(file, 'r+');
      try {
        writeSync(fd, Buffer.from([0x41]), 0, 1, 0);
      } finally {
        closeSync(fd);
      }
      await checkoutData(ws.dir, ws.db, commits[1]!, ['f.bin'], { link: 'hardlink', force: true });
      await expect(checkoutData(ws.dir, ws.db, commits[0]!, ['f.bin'], { link: 'hardlink' })).rejects.toMatchObject({
        code: 'BAD_FILE',
      });
    } finally {
      ws.close();
    }
  });

  it('data verify reads every object, records the good ones and forgets a corrupt one', async () => {
    const { ws, files } = await project();
    try {
      const small = sha(files.get('a.csv')!);
      ws.db.prepare('DELETE FROM verified_objects').run();
      const object = dataStore(ws.dir).pathOf(small);
      const result = await verifyCache(ws.dir, ws.db);
      expect(result.corrupt).toEqual([]);
      expect(records(ws)).toContain(small);
      await flipByteKeepingMtime(ws, object);
      expect(records(ws)).toContain(small);
      const bad = await verifyCache(ws.dir, ws.db);
      expect(bad.corrupt.map((c) => c.hash)).toEqual([small]);
      expect(records(ws)).not.toContain(small);
    } finally {
      ws.close();
    }
  });

  it('forgets the record of an object gc removed', async () => {
    const { ws } = await project();
    try {
      writeFileSync(path.join(ws.dir, 'draft.csv'), 'never,committed\n');
      await addData(ws.dir, ws.db, ['draft.csv']);
      const draft = readPointer(ws.dir, 'draft.csv.bt').hash;
      expect(records(ws)).toContain(draft);
      // Nothing refers to it any more: no pointer, no commit.
      rmSync(path.join(ws.dir, 'draft.csv.bt'));
      const result = await gcCache(ws.dir, ws.db, { graceMs: 0 });
      expect(result.removed).toBeGreaterThan(0);
      expect(existsSync(dataStore(ws.dir).pathOf(draft))).toBe(false);
      expect(records(ws)).not.toContain(draft);
    } finally {
      ws.close();
    }
  });

  it('records the objects a pull fetched and checked', async () => {
    const { ws, files } = await project();
    const remoteDir = path.join(tmpDir(), 'remote');
    try {
      addRemote(ws.dir, 'usb', remoteDir);
      await pushData(ws.dir);
      // A second clone of the same project, with an empty cache and no records.
      rmSync(dataStore(ws.dir).root, { recursive: true });
      ws.db.prepare('DELETE FROM verified_objects').run();
      rmSync(path.join(ws.dir, 'data'), { recursive: true });
      const pulled = await pullData(ws.dir, ws.db);
      expect(pulled.transferred).toBeGreaterThan(0);
      expectRestored(ws, files);
      expect(records(ws)).toEqual(expect.arrayContaining([...files.values()].map((b) => sha(b))));
    } finally {
      ws.close();
    }
  });
});
