// Runs in: vitest (node). The project summary's git facts are kept between calls and read again
// when HEAD, a ref or packed-refs change: every change git itself makes must show on the next call.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headInfo } from '../../../electron/core/git/git';

function repo(): { dir: string; git: (...args: string[]) => string; commit: (msg: string) => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bt-head-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  let n = 0;
  const commit = (msg: string) => {
    writeFileSync(path.join(dir, 'f.txt'), String(n++));
    git('add', 'f.txt');
    git('-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '-m', msg);
  };
  return { dir, git, commit };
}

describe('headInfo', () => {
  it('follows commits, amends, branch switches, detached heads and packed refs made by git', async () => {
    const { dir, git, commit } = repo();
    expect(await headInfo(dir)).toEqual({ branch: 'main', head: null, message: null, commits: 0 });
    commit('first');
    expect(await headInfo(dir)).toEqual({
      branch: 'main',
      head: git('rev-parse', '--short=7', 'HEAD'),
      message: 'first',
      commits: 1,
    });
    commit('second\n\nbody');
    expect(await headInfo(dir)).toMatchObject({ message: 'second', commits: 2 });
    git('-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '--amend', '-m', 'amended');
    expect(await headInfo(dir)).toMatchObject({
      head: git('rev-parse', '--short=7', 'HEAD'),
      message: 'amended',
      commits: 2,
    });
    git('checkout', '-q', '-b', 'side', 'HEAD~1');
    expect(await headInfo(dir)).toMatchObject({ branch: 'side', message: 'first', commits: 1 });
    commit('on side');
    git('pack-refs', '--all');
    expect(await headInfo(dir)).toMatchObject({ branch: 'side', message: 'on side', commits: 2 });
    git('checkout', '-q', 'main');
    expect(await headInfo(dir)).toMatchObject({ branch: 'main', message: 'amended', commits: 2 });
    // Moving a packed branch rewrites packed-refs or writes a loose ref; either shows.
    git('update-ref', 'refs/heads/main', 'side');
    expect(await headInfo(dir)).toMatchObject({ branch: 'main', message: 'on side', commits: 2 });
    git('checkout', '-q', '-f', '--detach', 'HEAD~1');
    expect(await headInfo(dir)).toMatchObject({ branch: null, message: 'first', commits: 1 });
  });

  it('gives each caller its own copy', async () => {
    const { dir, commit } = repo();
    commit('one');
    const a = await headInfo(dir);
    a.message = 'changed by a caller';
    expect((await headInfo(dir)).message).toBe('one');
  });
});
