// Every command that takes a revision reads it as git does: HEAD~1, HEAD^, HEAD^2's first
// parent chain, short hashes, branches and tags, annotated or not (issue 19).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRevision } from '../../electron/core/git/git';
import { git, runCli, tmpDir } from '../support/helpers';

let dir = '';
const commits: string[] = [];

beforeAll(() => {
  dir = path.join(tmpDir(), 'p');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  for (const rows of ['1', '1\n2', '1\n2\n3']) {
    writeFileSync(path.join(dir, 'rows.csv'), `a\n${rows}\n`);
    expect(runCli(['data', 'add', 'rows.csv'], { cwd: dir }).code).toBe(0);
    expect(runCli(['data', 'commit', '-m', `${rows.split('\n').length} rows`], { cwd: dir }).code).toBe(0);
    commits.push(git(dir, 'rev-parse', 'HEAD').trim());
  }
  git(dir, 'tag', 'light', commits[0]!);
  git(dir, 'tag', '-a', 'annotated', '-m', 'first data', commits[1]!);
});

const gitSays = (rev: string) => git(dir, 'rev-parse', `${rev}^{commit}`).trim();

describe('revisions', () => {
  it('resolve as git resolves them', async () => {
    for (const rev of [
      'HEAD',
      'HEAD~1',
      'HEAD^',
      'HEAD~2',
      'HEAD^^',
      'HEAD~1^',
      'main',
      'main~1',
      'light',
      'annotated',
      'annotated~1',
      commits[1]!.slice(0, 7),
    ])
      expect(await resolveRevision(dir, rev), rev).toBe(gitSays(rev));
  });

  it('refuse what git refuses, saying which revision', async () => {
    await expect(resolveRevision(dir, 'HEAD~5')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolveRevision(dir, 'nope')).rejects.toThrow('"nope" is not a commit, branch or tag');
  });

  it('data checkout HEAD~1 and data diff HEAD~2 HEAD take them', () => {
    const out = runCli(['data', 'checkout', 'HEAD~1'], { cwd: dir });
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'rows.csv'), 'utf8')).toBe('a\n1\n2\n');
    expect(runCli(['data', 'checkout', 'annotated~1'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(path.join(dir, 'rows.csv'), 'utf8')).toBe('a\n1\n');
    const diff = runCli(['data', 'diff', 'HEAD~2', 'HEAD', 'rows.csv'], { cwd: dir });
    expect(diff.code, diff.stderr).toBe(0);
  });
});
