// Runs in: vitest (node). A kill -9 while isomorphic-git rewrote .git/index in place left it empty,
// and every later git step failed ("Index file is empty"). The index must be replaced whole: a new
// file renamed over the old one (a new inode), never the old file truncated and rewritten.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { gitFs } from '../../../electron/core/git/git-fs';

describe('.git/index writes', () => {
  it('replace the index by rename, leaving no temp file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bt-index-'));
    await git.init({ fs: gitFs, dir, defaultBranch: 'main' });
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    await git.add({ fs: gitFs, dir, filepath: 'a.txt' });
    const index = path.join(dir, '.git', 'index');
    const before = statSync(index).ino;
    writeFileSync(path.join(dir, 'b.txt'), 'b');
    await git.add({ fs: gitFs, dir, filepath: 'b.txt' });
    expect(statSync(index).ino).not.toBe(before);
    expect(await git.listFiles({ fs: gitFs, dir })).toEqual(['a.txt', 'b.txt']);
    expect(readdirSync(path.join(dir, '.git')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
