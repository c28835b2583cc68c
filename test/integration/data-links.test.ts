import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  constants,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutData } from '../../electron/core/data/checkout';
import { commitData } from '../../electron/core/data/history';
import { LINK_MODES, unlinkData, type LinkMode } from '../../electron/core/data/materialize';
import { dataStatus } from '../../electron/core/data/status';
import { addData, dataStore } from '../../electron/core/data/track';
import { verifyCache } from '../../electron/core/data/verify';
import { readConfig, writeConfig } from '../../electron/core/workspace/config';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { git, runCli, tmpDir } from '../support/helpers';

const FILES: Record<string, string> = { 'a.csv': 'x,y\n1,2\n', 'sub/b.txt': 'hello\n', 'empty.bin': '' };

async function project(): Promise<Workspace> {
  const root = tmpDir();
  // Readable by everyone, so a write can be tried as an unprivileged user when the tests run as root.
  chmodSync(root, 0o755);
  const dir = path.join(root, 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, 'data', rel)), { recursive: true });
    writeFileSync(path.join(dir, 'data', rel), text);
  }
  writeFileSync(path.join(dir, 'one.csv'), 'k\n1\n');
  const ws = Workspace.open(dir);
  await addData(ws.dir, ws.db, ['data', 'one.csv']);
  await commitData(ws.dir, 'v1');
  return ws;
}

/**
 * Appends to a file the way an editor saving in place would. Root ignores permission bits, so under
 * root the attempt runs as `nobody`, which is what a read-only file means for everyone else.
 */
function tryAppend(file: string): boolean {
  if (process.getuid?.() !== 0) {
    try {
      appendFileSync(file, 'tampered');
      return true;
    } catch {
      return false;
    }
  }
  const r = spawnSync(process.execPath, ['-e', 'require("fs").appendFileSync(process.argv[1], "tampered")', file], {
    uid: 65534,
    gid: 65534,
  });
  return r.status === 0;
}

const sha = (text: string): string => require('node:crypto').createHash('sha256').update(text).digest('hex') as string;

describe('link modes for checked-out data', () => {
  it.each(LINK_MODES)(
    '%s: expected file type and permissions, byte-identical content, status unchanged',
    async (mode: LinkMode) => {
      const ws = await project();
      try {
        const store = dataStore(ws.dir);
        rmSync(path.join(ws.dir, 'data'), { recursive: true });
        rmSync(path.join(ws.dir, 'one.csv'));
        const result = await checkoutData(ws.dir, ws.db, 'HEAD', [], { link: mode });
        const total = Object.values(result.placed).reduce((a, b) => a + b, 0);
        expect(total).toBe(4);
        // A reflink falls back to a copy where the filesystem cannot clone; the result says which.
        if (mode === 'reflink') expect(result.placed.reflink + result.placed.copy).toBe(4);
        else expect(result.placed[mode]).toBe(4);
        const all = {
          ...Object.fromEntries(Object.entries(FILES).map(([k, v]) => [`data/${k}`, v])),
          'one.csv': 'k\n1\n',
        };
        for (const [rel, text] of Object.entries(all)) {
          const file = path.join(ws.dir, rel);
          const obj = store.pathOf(sha(text));
          expect(readFileSync(file, 'utf8')).toBe(text);
          const l = lstatSync(file);
          if (mode === 'symlink') {
            expect(l.isSymbolicLink()).toBe(true);
            expect(path.resolve(path.dirname(file), readlinkSync(file))).toBe(obj);
            expect(statSync(obj).mode & 0o777).toBe(0o444);
          } else if (mode === 'hardlink') {
            expect(l.isFile()).toBe(true);
            expect(l.ino).toBe(statSync(obj).ino);
            expect(l.mode & 0o777).toBe(0o444);
          } else {
            expect(l.isFile()).toBe(true);
            expect(l.ino).not.toBe(statSync(obj).ino);
            expect(l.mode & 0o200).toBe(0o200);
          }
        }
        expect((await dataStatus(ws.dir, ws.db)).map((r) => [r.path, r.workspace, r.inCache])).toEqual([
          ['data', 'unchanged', true],
          ['one.csv', 'unchanged', true],
        ]);
      } finally {
        ws.close();
      }
    },
  );

  it.each(['copy', 'reflink'] as const)(
    '%s: where the file system cannot clone, a plain copy; either way, writing to it leaves the cache intact',
    async (mode) => {
      const ws = await project();
      try {
        // Whether this file system clones (ext4 refuses COPYFILE_FICLONE_FORCE; Btrfs and XFS do it).
        const probe = path.join(ws.dir, 'probe');
        writeFileSync(probe, 'x');
        let clones = true;
        try {
          copyFileSync(probe, `${probe}2`, constants.COPYFILE_FICLONE_FORCE);
        } catch {
          clones = false;
        }
        rmSync(path.join(ws.dir, 'data'), { recursive: true });
        const r = await checkoutData(ws.dir, ws.db, 'HEAD', ['data'], { link: mode });
        expect(r.trusted).toBe(3); // copied by the kernel (cloned where it can), not read
        expect(r.placed).toMatchObject(mode === 'reflink' && clones ? { reflink: 3 } : { copy: 3 });
        const file = path.join(ws.dir, 'data', 'a.csv');
        appendFileSync(file, '3,4\n');
        expect(readFileSync(file, 'utf8')).toBe(`${FILES['a.csv']}3,4\n`);
        expect(readFileSync(dataStore(ws.dir).pathOf(sha(FILES['a.csv']!)), 'utf8')).toBe(FILES['a.csv']);
        expect((await verifyCache(ws.dir, ws.db)).corrupt).toEqual([]);
        expect((await dataStatus(ws.dir, ws.db, ['data']))[0]!.workspace).toBe('modified');
      } finally {
        ws.close();
      }
    },
  );

  it.each(['hardlink', 'symlink'] as const)(
    '%s: writing to a linked file fails and leaves the cache intact; unlink makes writable copies',
    async (mode) => {
      const ws = await project();
      try {
        rmSync(path.join(ws.dir, 'data'), { recursive: true });
        await checkoutData(ws.dir, ws.db, 'HEAD', ['data'], { link: mode });
        const file = path.join(ws.dir, 'data', 'a.csv');
        expect(tryAppend(file)).toBe(false);
        expect(readFileSync(file, 'utf8')).toBe(FILES['a.csv']);
        expect((await verifyCache(ws.dir, ws.db)).corrupt).toEqual([]);

        expect(await unlinkData(ws.dir, ['data'])).toEqual([{ path: 'data', copied: 3 }]);
        const l = lstatSync(file);
        expect(l.isFile() && l.nlink === 1 && (l.mode & 0o200) !== 0).toBe(true);
        expect(readFileSync(file, 'utf8')).toBe(FILES['a.csv']);
        // The same attempt succeeds on a writable file: the refusal above came from the read-only link.
        chmodSync(file, 0o666);
        expect(tryAppend(file)).toBe(true);
        appendFileSync(file, '3,4\n');
        expect((await verifyCache(ws.dir, ws.db)).corrupt).toEqual([]);
        expect((await dataStatus(ws.dir, ws.db, ['data']))[0]!.workspace).toBe('modified');
        // Nothing linked is left: a second unlink copies nothing.
        expect(await unlinkData(ws.dir, ['data'])).toEqual([{ path: 'data', copied: 0 }]);
      } finally {
        ws.close();
      }
    },
  );

  it('reads data.link from .benchtop/config.yaml, keeping the other settings', async () => {
    const ws = await project();
    try {
      const config = readConfig(ws.dir);
      writeConfig(ws.dir, { ...config, data: { link: 'hardlink' } });
      expect(readConfig(ws.dir)).toMatchObject({ name: config.name, version: 1, data: { link: 'hardlink' } });
      rmSync(path.join(ws.dir, 'one.csv'));
      expect((await checkoutData(ws.dir, ws.db, 'HEAD', ['one.csv'])).placed.hardlink).toBe(1);
      expect(lstatSync(path.join(ws.dir, 'one.csv')).nlink).toBe(2);
      writeFileSync(
        path.join(ws.dir, '.benchtop', 'config.yaml'),
        `${readFileSync(path.join(ws.dir, '.benchtop', 'config.yaml'), 'utf8').replace('link: hardlink', 'link: softly')}`,
      );
      expect(() => readConfig(ws.dir)).toThrow(/data\.link must be copy, reflink, hardlink or symlink/);
    } finally {
      ws.close();
    }
  });

  it('CLI: checkout --link and unlink, and a clear error for an unknown mode', async () => {
    const ws = await project();
    const dir = ws.dir;
    ws.close();
    rmSync(path.join(dir, 'data'), { recursive: true });
    const bad = runCli(['data', 'checkout', 'HEAD', '--link', 'glue'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"glue" is not a link mode');
    expect(lstatSync(path.join(dir, 'data'), { throwIfNoEntry: false })).toBeUndefined();
    const out = runCli(['data', 'checkout', 'HEAD', 'data', '--link', 'symlink'], { cwd: dir });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Files written: 3 by symlink.');
    expect(out.stdout).toContain('benchtop data unlink PATH');
    expect(lstatSync(path.join(dir, 'data', 'sub', 'b.txt')).isSymbolicLink()).toBe(true);
    const un = runCli(['data', 'unlink', 'data'], { cwd: dir });
    expect(un.code, un.stderr).toBe(0);
    expect(un.stdout).toContain('Copied 3 linked files of data; they are writable now.');
    expect(lstatSync(path.join(dir, 'data', 'sub', 'b.txt')).isFile()).toBe(true);
    expect(runCli(['data', 'unlink', 'nope'], { cwd: dir }).stderr).toContain('There is no pointer file nope.bt');
  });
});
