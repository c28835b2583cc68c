// Issue 19: on a fresh clone the pipeline says which tracked data is not pulled yet, not that it does not exist.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, runCli, tmpDir } from '../support/helpers';

describe('benchtop status / run on a fresh clone', () => {
  it('on a fresh clone, status names the tracked data not pulled yet', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'x.csv'), 'a,b\n1,2\n');
    expect(runCli(['data', 'add', 'data/x.csv'], { cwd: dir }).code).toBe(0);
    expect(runCli(['data', 'commit', '-m', 'x'], { cwd: dir }).code).toBe(0);
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  prep:\n    cmd: node -e "1"\n    deps: [data/x.csv]\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-m', 'pipeline');

    const clone = path.join(tmpDir(), 'clone');
    git(dir, 'clone', '-q', dir, clone);
    expect(existsSync(path.join(clone, 'data', 'x.csv'))).toBe(false);
    expect(existsSync(path.join(clone, '.benchtop', 'benchtop.db'))).toBe(false);

    const status = runCli(['status'], { cwd: clone });
    const said = status.stdout + status.stderr;
    expect(status.code).toBe(1);
    expect(said).toContain('stage prep depends on data/x.csv, which is tracked but not here yet');
    expect(said).toContain(
      "Run `benchtop pull` to fetch it with the project's runs and models, or `benchtop data pull` for the data alone (`benchtop data checkout HEAD`",
    );
    expect(said).not.toMatch(/does not exist|no stage writes/i);

    const run = runCli(['run'], { cwd: clone });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('data/x.csv, which is tracked but not here yet');

    // Once pulled (here: the cache copied across, as a remote would), the pipeline is valid again.
    cpSync(path.join(dir, '.benchtop', 'cache'), path.join(clone, '.benchtop', 'cache'), { recursive: true });
    expect(runCli(['data', 'checkout', 'HEAD'], { cwd: clone }).code).toBe(0);
    const after = runCli(['status'], { cwd: clone });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('prep: will run');
  });
});
