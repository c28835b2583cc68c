import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, runCli, tmpDir } from '../support/helpers';

describe('benchtop data (CLI)', () => {
  it('adds, shows status, commits, lists versions and checks out, with --json and exit codes', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'rows.csv'), 'a,b\n1,x\n2,y\n');
    const add = runCli(['data', 'add', 'data/rows.csv'], { cwd: dir });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('Tracked data/rows.csv (12 B, 2 rows × 2 columns) → data/rows.csv.bt');
    const status = JSON.parse(runCli(['--json', 'data', 'status'], { cwd: dir }).stdout);
    expect(status).toEqual([
      expect.objectContaining({ path: 'data/rows.csv', workspace: 'unchanged', inCache: true, git: 'new', rows: 2 }),
    ]);
    expect(runCli(['data', 'commit', '-m', 'v1'], { cwd: dir }).stdout).toMatch(
      /^Committed 1 pointer as [0-9a-f]{7}\./,
    );
    writeFileSync(path.join(dir, 'data', 'rows.csv'), 'a,b\n1,x\n2,y\n3,z\n');
    expect(runCli(['data', 'status'], { cwd: dir }).stdout).toMatch(/data\/rows\.csv\s+modified/);
    runCli(['data', 'add', 'data/rows.csv'], { cwd: dir });
    runCli(['data', 'commit', '-m', 'v2'], { cwd: dir });
    const log = JSON.parse(runCli(['--json', 'data', 'log', 'data/rows.csv'], { cwd: dir }).stdout) as {
      commit: string;
      message: string;
      pointer: { schema: { rows: number } };
    }[];
    expect(log.map((v) => [v.message, v.pointer.schema.rows])).toEqual([
      ['v2', 3],
      ['v1', 2],
    ]);
    const out = runCli(['data', 'checkout', log[1]!.commit.slice(0, 7)], { cwd: path.join(dir, 'data') });
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'data', 'rows.csv'), 'utf8')).toBe('a,b\n1,x\n2,y\n');
    expect(runCli(['data', 'verify'], { cwd: dir }).stdout).toMatch(/All \d+ objects in the cache are intact/);
    // The git CLI sees the versions.
    expect(git(dir, 'log', '--format=%s', '--', 'data/rows.csv.bt').trim().split('\n')).toEqual(['v2', 'v1']);
  });

  it('refuses bad input with a clear message and exit code 1', () => {
    const dir = path.join(tmpDir(), 'p');
    runCli(['init', '--dir', dir]);
    const missing = runCli(['data', 'add', 'nope.csv'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.csv does not exist');
    const outside = runCli(['data', 'add', '../x'], { cwd: dir });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('outside the project');
    const rev = runCli(['data', 'checkout', 'no-such-rev'], { cwd: dir });
    expect(rev.code).toBe(1);
    expect(rev.stderr).toContain('"no-such-rev" is not a commit');
  });
});
