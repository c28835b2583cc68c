// Issue 19: versioning never depends on reading a table; a file whose summary cannot be read is tracked all the same.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

describe('benchtop data add on a table it cannot read', () => {
  it('tracks a ragged CSV and says why its table summary could not be read', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'ragged.csv'), 'a,b\n1,2\n3\n4,5,6\n');
    const add = runCli(['data', 'add', 'data/ragged.csv'], { cwd: dir });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('Tracked data/ragged.csv (16 B) → data/ragged.csv.bt');
    expect(add.stdout).toContain(
      'data/ragged.csv is tracked, but its table summary could not be read: line 3 has 1 field where the header has 2.',
    );
    const pointer = readFileSync(path.join(dir, 'data', 'ragged.csv.bt'), 'utf8');
    expect(pointer).not.toContain('schema');
    const hash = /hash: ([0-9a-f]+)/.exec(pointer)?.[1];
    expect(hash).toBeDefined();
    expect(existsSync(path.join(dir, '.benchtop', 'cache', hash!.slice(0, 2), hash!.slice(2)))).toBe(true);

    const json = runCli(['--json', 'data', 'add', 'data/ragged.csv'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        path: 'data/ragged.csv',
        status: 'unchanged',
        kind: 'file',
        hash,
        schemaProblem: 'line 3 has 1 field where the header has 2.',
      }),
    ]);

    const status = JSON.parse(runCli(['--json', 'data', 'status'], { cwd: dir }).stdout);
    expect(status).toEqual([
      expect.objectContaining({ path: 'data/ragged.csv', workspace: 'unchanged', inCache: true }),
    ]);
    expect(runCli(['data', 'commit', '-m', 'ragged'], { cwd: dir }).code).toBe(0);
    const log = runCli(['--json', 'data', 'log', 'data/ragged.csv'], { cwd: dir });
    expect(log.code, log.stderr).toBe(0);
    expect(JSON.parse(log.stdout)).toEqual([expect.objectContaining({ message: 'ragged' })]);
    const verify = runCli(['data', 'verify'], { cwd: dir });
    expect(verify.code, verify.stderr).toBe(0);
  });
});
