// The one walk `data status` makes: folders findPointers read are listed from what it kept, with the
// same result as reading them again; and the stat digest of a folder sees a change to any file,
// wherever it falls in the digest's batches.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestFiles } from '../../../electron/core/data/folder-stamps';
import { findPointers, type FolderListings } from '../../../electron/core/data/pointer';
import { listFolder } from '../../../electron/core/data/track';
import { tmpDir } from '../../support/helpers';

function tree(): string {
  const dir = tmpDir();
  mkdirSync(path.join(dir, 'data', 'a', 'b'), { recursive: true });
  mkdirSync(path.join(dir, 'other'));
  writeFileSync(path.join(dir, 'data.bt'), 'pointer\n');
  writeFileSync(path.join(dir, 'data', 'a.txt'), 'a\n');
  writeFileSync(path.join(dir, 'data', 'a', 'b', 'c.txt'), 'c\n');
  writeFileSync(path.join(dir, 'data', 'a', 'inner.bt'), 'not data\n');
  writeFileSync(path.join(dir, 'other', 'x.txt'), 'x\n');
  // A link to a folder inside the project: findPointers does not follow it, listFolder does.
  symlinkSync(path.join(dir, 'other'), path.join(dir, 'data', 'linked'));
  return dir;
}

describe('one walk for pointers and tracked folders', () => {
  it('lists a folder from the kept entries exactly as from the disk, and each kept folder once', () => {
    const dir = tree();
    const listings: FolderListings = new Map();
    expect(findPointers(dir, listings)).toEqual(['data.bt', 'data/a/inner.bt']);
    expect(listings.has('data/a/b')).toBe(true);
    const fromWalk = listFolder(dir, 'data', listings);
    expect(fromWalk).toEqual(listFolder(dir, 'data'));
    expect(fromWalk).toEqual(['data/a.txt', 'data/a/b/c.txt', 'data/linked/x.txt']);
    // Used entries are dropped; listing again reads the disk and sees what changed since.
    expect([...listings.keys()].filter((k) => k.startsWith('data'))).toEqual([]);
    writeFileSync(path.join(dir, 'data', 'new.txt'), 'new\n');
    expect(listFolder(dir, 'data', listings)).toContain('data/new.txt');
  });
});

describe('digestFiles', () => {
  it('changes when any one file changes, in the first batch or the last', () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, 'd'));
    const files: string[] = [];
    for (let i = 0; i < 4100; i++) {
      files.push(`d/f${i}`);
      writeFileSync(path.join(dir, 'd', `f${i}`), '');
    }
    const old = new Date('2020-01-01T00:00:00Z');
    for (const f of files) utimesSync(path.join(dir, f), old, old);
    const before = digestFiles(dir, files)!;
    expect(digestFiles(dir, files)!.digest).toBe(before.digest);
    for (const f of ['d/f0', 'd/f4099']) {
      const seen = digestFiles(dir, files)!.digest;
      utimesSync(path.join(dir, f), old, new Date('2021-01-01T00:00:00Z'));
      expect(digestFiles(dir, files)!.digest).not.toBe(seen);
    }
    expect(digestFiles(dir, files.slice(1))!.digest).not.toBe(digestFiles(dir, files)!.digest);
    expect(digestFiles(dir, [...files, 'd/missing'])).toBeNull();
  });
});
