// A file that appears and vanishes while git's work tree is walked (another process's temp file,
// renamed into place a moment later) must not fail `data commit` or the dirty check.
import fs, { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commitData } from '../../../electron/core/data/history';
import { commitFiles, initOrAdopt, isDirty } from '../../../electron/core/git/git';

afterEach(() => vi.restoreAllMocks());

/** A repository with one committed file and a pointer to commit, plus a temp file that vanishes when first stat'ed. */
async function raceProject(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'benchtop-vanish-'));
  await initOrAdopt(dir);
  writeFileSync(path.join(dir, 'README.md'), 'hello\n');
  await commitFiles(dir, ['README.md'], 'first');
  writeFileSync(path.join(dir, 'train.csv.bt'), 'hash: x\n');
  const doomed = path.join(dir, '.lock.123.tmp');
  writeFileSync(doomed, 'x');
  const lstat = fs.promises.lstat;
  // The walker lists the folder, then stats each name: the file goes in between, as a rename would.
  vi.spyOn(fs.promises, 'lstat').mockImplementation(async (p, ...rest) => {
    if (String(p).endsWith('.lock.123.tmp')) fs.rmSync(doomed, { force: true });
    return lstat.call(fs.promises, p, ...(rest as [])) as never;
  });
  return dir;
}

describe('git walks survive files that vanish under them', () => {
  it('data commit commits the pointer', async () => {
    const dir = await raceProject();
    const r = await commitData(dir, 'add data');
    expect(r?.pointers).toEqual(['train.csv.bt']);
  });

  it('the dirty check answers', async () => {
    const dir = await raceProject();
    writeFileSync(path.join(dir, 'README.md'), 'hello again\n');
    expect(await isDirty(dir)).toBe(true);
  });
});
