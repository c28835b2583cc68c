// The status shortcut for tracked folders: a stamp answers only while the folder's file stats and the
// cache's shard folders are exactly as when the folder last matched its pointer; any edit, new file,
// new version or removed object sends the folder through the full comparison.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FolderStamps } from '../../electron/core/data/folder-stamps';
import { commitData } from '../../electron/core/data/history';
import { readPointer } from '../../electron/core/data/pointer';
import { dataStatus } from '../../electron/core/data/status';
import { addData, dataStore } from '../../electron/core/data/track';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { git, tmpDir } from '../support/helpers';

async function project(): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  mkdirSync(path.join(dir, 'data', 'sub'), { recursive: true });
  for (let i = 0; i < 12; i++) writeFileSync(path.join(dir, 'data', i % 2 ? 'sub' : '', `f${i}.txt`), `file ${i}\n`);
  const ws = Workspace.open(dir);
  await addData(ws.dir, ws.db, ['data']);
  await commitData(ws.dir, 'v1');
  return ws;
}

/** Runs status with the clock moved past the racy window, so a stamp may be written. */
async function statusLater(ws: Workspace, seconds = 10): Promise<{ workspace: string | null; inCache: boolean }> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + seconds * 1000);
  try {
    const [row] = await dataStatus(ws.dir, ws.db);
    return { workspace: row!.workspace, inCache: row!.inCache };
  } finally {
    vi.useRealTimers();
  }
}

/**
 * Points every stat-cache row of the folder at a wrong hash: the full comparison would now call the
 * folder modified, so "unchanged" can only come from the stamp.
 */
function poisonStatCache(ws: Workspace): void {
  ws.db.prepare(`UPDATE file_hashes SET hash = '${'0'.repeat(64)}' WHERE path LIKE 'data/%'`).run();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('folder stamps for data status', () => {
  it('stamps a folder found unchanged, then answers from the stamp without the stat-cache rows', async () => {
    const ws = await project();
    try {
      expect(await statusLater(ws)).toEqual({ workspace: 'unchanged', inCache: true });
      const stamp = new FolderStamps(ws.db).get('data');
      expect(stamp).toMatchObject({
        pointerHash: readPointer(ws.dir, 'data.bt').hash,
        cacheDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      poisonStatCache(ws);
      expect(await statusLater(ws)).toEqual({ workspace: 'unchanged', inCache: true });
    } finally {
      ws.close();
    }
  });

  it('writes no stamp while the folder changed within the racy window', async () => {
    const ws = await project();
    try {
      const [row] = await dataStatus(ws.dir, ws.db);
      expect(row!.workspace).toBe('unchanged');
      expect(new FolderStamps(ws.db).get('data')).toBeNull();
    } finally {
      ws.close();
    }
  });

  it('sees an edit of the same size, a new file and a removed file despite the stamp', async () => {
    const ws = await project();
    try {
      await statusLater(ws);
      writeFileSync(path.join(ws.dir, 'data', 'f0.txt'), 'FILE 0\n');
      expect((await statusLater(ws)).workspace).toBe('modified');
      writeFileSync(path.join(ws.dir, 'data', 'f0.txt'), 'file 0\n');
      expect((await statusLater(ws)).workspace).toBe('unchanged');
      writeFileSync(path.join(ws.dir, 'data', 'sub', 'new.txt'), 'new\n');
      expect((await statusLater(ws)).workspace).toBe('modified');
      rmSync(path.join(ws.dir, 'data', 'sub', 'new.txt'));
      rmSync(path.join(ws.dir, 'data', 'f2.txt'));
      expect((await statusLater(ws)).workspace).toBe('modified');
    } finally {
      ws.close();
    }
  });

  it('sees an object removed from the cache despite the stamp', async () => {
    const ws = await project();
    try {
      expect(await statusLater(ws)).toEqual({ workspace: 'unchanged', inCache: true });
      const hash = (ws.db.prepare(`SELECT hash FROM file_hashes WHERE path = 'data/f4.txt'`).get() as { hash: string })
        .hash;
      rmSync(dataStore(ws.dir).pathOf(hash));
      poisonStatCache(ws);
      // The files still match their stamp; only the cache changed.
      expect(await statusLater(ws)).toEqual({ workspace: 'unchanged', inCache: false });
    } finally {
      ws.close();
    }
  });

  it('does not use a stamp made for another version of the pointer', async () => {
    const ws = await project();
    try {
      await statusLater(ws);
      const before = new FolderStamps(ws.db).get('data')!;
      writeFileSync(path.join(ws.dir, 'data', 'f1.txt'), 'changed\n');
      await addData(ws.dir, ws.db, ['data']);
      // The files are the new version's; the stamp was the old one's.
      expect(await statusLater(ws)).toEqual({ workspace: 'unchanged', inCache: true });
      expect(new FolderStamps(ws.db).get('data')!.pointerHash).not.toBe(before.pointerHash);
      expect(new FolderStamps(ws.db).get('data')!.pointerHash).toBe(readPointer(ws.dir, 'data.bt').hash);
    } finally {
      ws.close();
    }
  });
});
