import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSweep } from '../../electron/core/pipeline/sweeps';
import { git, runCli, tmpDir } from '../support/helpers';

function demo(): string {
  const dir = path.join(tmpDir(), 'demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  return dir;
}

describe('sweeps', () => {
  it('expand to the full grid of values', () => {
    expect(expandSweep(['a=1,2', 'b=x,y,z']).map((c) => c.map((o) => `${o.key}=${String(o.value)}`).join(' '))).toEqual(
      ['a=1 b=x', 'a=1 b=y', 'a=1 b=z', 'a=2 b=x', 'a=2 b=y', 'a=2 b=z'],
    );
    expect(() => expandSweep(['a='])).toThrow(/is not key=a,b,c/);
  });

  it("run the grid in parallel working copies, never touching the project's files, and record every run", () => {
    const dir = demo();
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    const model = readFileSync(path.join(dir, 'build', 'model.json'), 'utf8');
    const lock = readFileSync(path.join(dir, 'benchtop.lock'), 'utf8');
    const r = runCli(
      ['run', '--sweep', 'train.lr=0.05,0.2', '--sweep', 'train.epochs=30,60', '--jobs', '2', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      sweepId: string;
      runs: {
        summary: { runId: string; status: string };
        metrics: Record<string, number>;
        overrides: { key: string; value: unknown }[];
      }[];
    };
    expect(out.runs).toHaveLength(4);
    expect(out.runs.map((x) => x.summary.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    // Different params, different results: each run trained on its own values.
    expect(new Set(out.runs.map((x) => x.metrics.loss)).size).toBe(4);
    expect(out.runs.map((x) => x.overrides.map((o) => String(o.value)).join('/'))).toEqual([
      '0.05/30',
      '0.05/60',
      '0.2/30',
      '0.2/60',
    ]);
    // The project itself is untouched.
    expect(readFileSync(path.join(dir, 'build', 'model.json'), 'utf8')).toBe(model);
    expect(readFileSync(path.join(dir, 'benchtop.lock'), 'utf8')).toBe(lock);
    expect(readdirSync(path.join(dir, '.benchtop', 'tmp', 'work'))).toEqual([]);
    // Logs of the sweep runs are kept in the project.
    for (const x of out.runs)
      expect(existsSync(path.join(dir, '.benchtop', 'logs', x.summary.runId, 'train.log'))).toBe(true);
    const table = runCli(['run', '--sweep', 'train.lr=0.05,0.2'], { cwd: dir });
    expect(table.stdout).toMatch(/run\s+status\s+train\.lr\s+accuracy/);
    expect(runCli(['run', '--sweep', 'train.nope=1,2'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot override train.nope'),
    });
  });
});

describe('reproduce', () => {
  it('re-runs a past run from its commit and params in a working copy and compares the metrics', () => {
    const dir = demo();
    const first = JSON.parse(runCli(['run', '-S', 'train.epochs=40', '--json'], { cwd: dir }).stdout) as {
      runId: string;
    };
    // The project moves on: new params, a new commit.
    writeFileSync(
      path.join(dir, 'params.yaml'),
      readFileSync(path.join(dir, 'params.yaml'), 'utf8').replace('lr: 0.5', 'lr: 0.1'),
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'new lr');
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    const modelNow = readFileSync(path.join(dir, 'build', 'model.json'), 'utf8');

    const r = runCli(['reproduce', first.runId], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^Reproduced ${first.runId} from commit [0-9a-f]{7} as run-[\\w-]+: succeeded\\.`),
    );
    // The training data is tracked by its pointer, out of git: the copy takes it from the working tree.
    expect(r.stdout).toContain('Not in that commit, taken from the working tree: data/loans.csv.');
    expect(r.stdout).toMatch(/accuracy\s+(\S+)\s+\1\s+0\n/);
    expect(r.stdout).toMatch(/loss\s+(\S+)\s+\1\s+0\n/);
    expect(readFileSync(path.join(dir, 'build', 'model.json'), 'utf8')).toBe(modelNow);
    expect(runCli(['reproduce', 'run-nope'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no run run-nope'),
    });
  });
});
