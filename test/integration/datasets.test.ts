import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutData } from '../../electron/core/data/checkout';
import { commitData, dataLog } from '../../electron/core/data/history';
import { readPointer } from '../../electron/core/data/pointer';
import { dataStatus } from '../../electron/core/data/status';
import { addData, dataStore } from '../../electron/core/data/track';
import { verifyCache } from '../../electron/core/data/verify';
import { initProject } from '../../electron/core/project/init';
import { CACHE_DIR } from '../../electron/core/util/layout';
import { Workspace } from '../../electron/core/workspace/workspace';
import { Core } from '../../electron/core/app/core';
import { dispatch } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/names';
import { git, tmpDir } from '../support/helpers';

async function project(): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  return Workspace.open(dir);
}

const write = (dir: string, rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

describe('tracked data: add, status, commit, log, checkout, verify', () => {
  it('tracks a CSV with its schema, keeps it out of git, and restores an old version byte for byte', async () => {
    const ws = await project();
    const v1 = 'id,score,label,when\n1,0.5,a,2026-01-01\n2,1.5,b,2026-01-02\n';
    write(ws.dir, 'data/train.csv', v1);
    const [added] = await addData(ws.dir, ws.db, ['data/train.csv']);
    expect(added).toMatchObject({ path: 'data/train.csv', pointer: 'data/train.csv.bt', status: 'added' });
    const p1 = readPointer(ws.dir, 'data/train.csv.bt');
    expect(p1).toMatchObject({
      kind: 'file',
      size: v1.length,
      files: 1,
      schema: {
        format: 'csv',
        rows: 2,
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'score', type: 'number' },
          { name: 'label', type: 'string' },
          { name: 'when', type: 'datetime' },
        ],
      },
    });
    expect(readFileSync(path.join(ws.dir, '.gitignore'), 'utf8')).toContain('/data/train.csv\n');
    expect(await dataStatus(ws.dir, ws.db)).toEqual([
      expect.objectContaining({ path: 'data/train.csv', workspace: 'unchanged', inCache: true, git: 'new' }),
    ]);
    const c1 = await commitData(ws.dir, 'first data');
    expect(c1?.pointers).toEqual(['data/train.csv.bt']);
    // The git CLI sees the pointer committed and the data ignored.
    expect(git(ws.dir, 'ls-files')).toContain('data/train.csv.bt');
    expect(git(ws.dir, 'ls-files')).not.toMatch(/data\/train\.csv\n/);
    expect(git(ws.dir, 'log', '-1', '--format=%an %s').trim()).toBe('Ada first data');

    const v2 = `${v1}3,2.5,c,2026-01-03\n`;
    write(ws.dir, 'data/train.csv', v2);
    expect((await dataStatus(ws.dir, ws.db))[0]).toMatchObject({ workspace: 'modified', git: 'committed' });
    expect((await addData(ws.dir, ws.db, ['data/train.csv']))[0]!.status).toBe('updated');
    await commitData(ws.dir, 'more rows');
    expect(await commitData(ws.dir, 'nothing')).toBeNull();

    const log = await dataLog(ws.dir, 'data/train.csv');
    expect(log.map((v) => [v.message, v.pointer?.schema?.rows])).toEqual([
      ['more rows', 3],
      ['first data', 2],
    ]);
    const result = await checkoutData(ws.dir, ws.db, c1!.commit.slice(0, 8));
    expect(result.restored).toEqual([{ path: 'data/train.csv', files: 1, bytes: v1.length }]);
    expect(readFileSync(path.join(ws.dir, 'data/train.csv'), 'utf8')).toBe(v1);
    expect((await dataStatus(ws.dir, ws.db))[0]).toMatchObject({ workspace: 'unchanged', git: 'changed' });
    ws.close();
  });

  it('never overwrites a change no version saved, unless forced; nothing is touched when refused', async () => {
    const ws = await project();
    write(ws.dir, 'data/a.txt', 'one');
    await addData(ws.dir, ws.db, ['data/a.txt']);
    const first = (await commitData(ws.dir, 'one'))!.commit;
    write(ws.dir, 'data/a.txt', 'two');
    await addData(ws.dir, ws.db, ['data/a.txt']);
    await commitData(ws.dir, 'two');
    write(ws.dir, 'data/a.txt', 'my unsaved edit');
    await expect(checkoutData(ws.dir, ws.db, first)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(path.join(ws.dir, 'data/a.txt'), 'utf8')).toBe('my unsaved edit');
    await checkoutData(ws.dir, ws.db, first, [], { force: true });
    expect(readFileSync(path.join(ws.dir, 'data/a.txt'), 'utf8')).toBe('one');
    ws.close();
  });

  it('tracks a folder as a manifest; checkout restores, adds and removes its files', async () => {
    const ws = await project();
    write(ws.dir, 'data/images/a.bin', 'A');
    write(ws.dir, 'data/images/sub/b.bin', 'B');
    await addData(ws.dir, ws.db, ['data/images']);
    expect(readPointer(ws.dir, 'data/images.bt')).toMatchObject({ kind: 'folder', files: 2, size: 2 });
    const first = (await commitData(ws.dir, 'two images'))!.commit;
    write(ws.dir, 'data/images/c.bin', 'C');
    rmSync(path.join(ws.dir, 'data/images/a.bin'));
    await addData(ws.dir, ws.db, ['data/images']);
    await commitData(ws.dir, 'swap');
    await checkoutData(ws.dir, ws.db, first);
    expect(existsSync(path.join(ws.dir, 'data/images/a.bin'))).toBe(true);
    expect(existsSync(path.join(ws.dir, 'data/images/c.bin'))).toBe(false);
    expect(readFileSync(path.join(ws.dir, 'data/images/sub/b.bin'), 'utf8')).toBe('B');
    ws.close();
  });

  it('refuses paths outside the project, links leading out, and Benchtop folders; changes nothing', async () => {
    const ws = await project();
    const outside = tmpDir();
    write(outside, 'secret.csv', 'x\n1\n');
    await expect(addData(ws.dir, ws.db, ['../secret.csv'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    symlinkSync(path.join(outside, 'secret.csv'), path.join(ws.dir, 'link.csv'));
    await expect(addData(ws.dir, ws.db, ['link.csv'])).rejects.toThrow(/outside the project/);
    await expect(addData(ws.dir, ws.db, ['.benchtop/benchtop.db'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    write(ws.dir, 'data/ok.csv', 'a\n1\n');
    await expect(addData(ws.dir, ws.db, ['data/ok.csv', 'missing.csv'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(path.join(ws.dir, 'data/ok.csv.bt'))).toBe(false);
    ws.close();
  });

  it('names a malformed pointer with its line, and a corrupt cache object by its hash', async () => {
    const ws = await project();
    write(ws.dir, 'data/a.txt', 'hello');
    await addData(ws.dir, ws.db, ['data/a.txt']);
    const pointer = readPointer(ws.dir, 'data/a.txt.bt');
    write(ws.dir, 'data/a.txt.bt', 'version: 1\nkind: file\nhash: nothex\nsize: 5\nfiles: 1\n');
    const [row] = await dataStatus(ws.dir, ws.db);
    expect(row!.problem).toMatch(/data\/a\.txt\.bt:3: hash must be a sha256/);
    const object = dataStore(ws.dir).pathOf(pointer.hash);
    chmodSync(object, 0o644);
    writeFileSync(object, 'tampered');
    const result = await verifyCache(ws.dir, ws.db);
    expect(result.corrupt.map((c) => c.hash)).toEqual([pointer.hash]);
    ws.close();
  });

  it('does not rehash unchanged files (the stat cache)', async () => {
    const ws = await project();
    for (let i = 0; i < 20; i++) write(ws.dir, `data/many/f${i}.txt`, `file ${i}`);
    const [first] = await addData(ws.dir, ws.db, ['data/many']);
    expect(first!.rehashed).toBe(20);
    write(ws.dir, 'data/many/f3.txt', 'changed');
    const [second] = await addData(ws.dir, ws.db, ['data/many']);
    expect(second!.rehashed).toBe(1);
    ws.close();
  });
});

describe('tracked data through the contract', () => {
  it('adds, lists, commits, logs and checks out, with progress events, within the contract', async () => {
    const ws = await project();
    const dir = ws.dir;
    ws.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    const events: unknown[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'data.progress') events.push(e.payload);
    });
    const call = async (name: MethodName, input: unknown): Promise<any> => {
      const r = await dispatch(core.handlers, name, input, { checkOutput: true });
      if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
      return r.value;
    };
    write(dir, 'data/t.csv', 'k,v\n1,2\n');
    expect((await call('data.add', { paths: ['data/t.csv'] })).results).toEqual([
      expect.objectContaining({
        path: 'data/t.csv',
        status: 'added',
        data: expect.objectContaining({ kind: 'file', schema: expect.objectContaining({ rows: 1 }) }),
      }),
    ]);
    expect(events).toContainEqual({ op: 'add', path: 'data/t.csv', done: 1, total: 1 });
    const added = readPointer(dir, 'data/t.csv.bt');
    expect((await call('data.tracked', {})).items).toEqual([
      expect.objectContaining({ path: 'data/t.csv', hash: added.hash, workspace: 'unchanged', git: 'new' }),
    ]);
    expect(added.hash).toBe(createHash('sha256').update('k,v\n1,2\n').digest('hex'));
    const first = await call('data.commit', { message: 'v1' });
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await call('data.commit', { message: 'again' })).toEqual({ commit: null, pointers: [] });
    write(dir, 'data/t.csv', 'k,v\n1,3\n');
    await call('data.add', { paths: ['data/t.csv'] });
    await call('data.commit', { message: 'v2' });
    expect(
      (await call('data.log', { path: 'data/t.csv' })).versions.map((v: { message: string }) => v.message),
    ).toEqual(['v2', 'v1']);
    const out = await call('data.checkout', { rev: first.commit });
    expect(out.restored).toEqual([{ path: 'data/t.csv', files: 1, bytes: 8 }]);
    expect(out.placed).toEqual({ copy: 1, reflink: 0, hardlink: 0, symlink: 0 });
    expect(readFileSync(path.join(dir, 'data/t.csv'), 'utf8')).toBe('k,v\n1,2\n');
    // The link mode of the CLI's --link, through the contract: the file becomes the cache object.
    const linked = await call('data.checkout', { rev: 'HEAD', link: 'hardlink' });
    expect(linked).toMatchObject({
      restored: [{ path: 'data/t.csv', files: 1, bytes: 8 }],
      placed: { hardlink: 1, copy: 0 },
    });
    const object = path.join(
      dir,
      CACHE_DIR,
      readPointer(dir, 'data/t.csv.bt').hash.slice(0, 2),
      readPointer(dir, 'data/t.csv.bt').hash.slice(2),
    );
    expect(statSync(path.join(dir, 'data/t.csv')).ino).toBe(statSync(object).ino);
    expect((await dispatch(core.handlers, 'data.checkout', { rev: 'HEAD', link: 'junction' })).ok).toBe(false);
    // data.unlink turns the link back into a plain, writable copy with the same bytes.
    expect(await call('data.unlink', { paths: ['data/t.csv'] })).toEqual({
      results: [{ path: 'data/t.csv', copied: 1 }],
    });
    expect(statSync(path.join(dir, 'data/t.csv')).ino).not.toBe(statSync(object).ino);
    expect(statSync(path.join(dir, 'data/t.csv')).mode & 0o200).toBe(0o200);
    expect(readFileSync(path.join(dir, 'data/t.csv'), 'utf8')).toBe('k,v\n1,3\n');
    expect(await call('data.unlink', { paths: ['data/t.csv'] })).toEqual({
      results: [{ path: 'data/t.csv', copied: 0 }],
    });
    expect(await dispatch(core.handlers, 'data.unlink', { paths: ['data/none.csv'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const bad = await dispatch(core.handlers, 'data.add', { paths: ['../x'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'paths.0' } });
    core.close();
  });
});
