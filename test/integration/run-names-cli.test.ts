// Run names from the terminal: `benchtop exec --name`, `benchtop runs rename ID NAME`, names in
// `benchtop runs`, and the readable names pipeline runs get when nobody names them.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

const READABLE = /^[a-z]+-[a-z]+-\d{1,3}$/;

interface Listed {
  id: string;
  name: string;
}

let dir: string;
const list = (): Listed[] => JSON.parse(runCli(['runs', '--json'], { cwd: dir }).stdout) as Listed[];

beforeAll(() => {
  dir = path.join(tmpDir(), 'names');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
});

describe('run names from the CLI', () => {
  it('exec --name names the run', () => {
    const r = runCli(['exec', '--json', '--name', 'first try', '--', 'node', '-e', '0'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    expect(list().find((x) => x.id === runId)?.name).toBe('first try');
  });

  it('a pipeline run gets a readable name, not its id', () => {
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    const pipelineRun = JSON.parse(
      runCli(['runs', '--json', '--filter', "experiment = 'pipeline'"], { cwd: dir }).stdout,
    )[0] as Listed;
    expect(pipelineRun.name).toMatch(READABLE);
    expect(pipelineRun.name).not.toBe(pipelineRun.id);
  });

  it('run --name names the pipeline run', () => {
    const r = runCli(['run', '--force', '--name', 'baseline pipeline'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const runId = /Run (run-[\w-]+) succeeded/.exec(r.stdout)?.[1];
    expect(list().find((x) => x.id === runId)?.name).toBe('baseline pipeline');
    expect(runCli(['run', '--name', 'x', '--sweep', 'train.lr=0.1,0.2'], { cwd: dir }).code).toBe(2);
  });

  it('runs rename ID NAME renames a run, and the list shows names', () => {
    const { id } = list()[0]!;
    const r = runCli(['runs', 'rename', id, 'wide net, lr 0.1'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Renamed ${id} to "wide net, lr 0.1".`);
    expect(list().find((x) => x.id === id)?.name).toBe('wide net, lr 0.1');
    const table = runCli(['runs'], { cwd: dir }).stdout;
    expect(table.split('\n')[0]).toMatch(/^id\s+name\s+status/);
    expect(table).toContain('wide net, lr 0.1');
    expect(runCli(['runs', 'show', id], { cwd: dir }).stdout).toContain('name wide net, lr 0.1');
  });

  it('runs rename refuses a missing name, an empty one and an unknown run', () => {
    const { id } = list()[0]!;
    expect(runCli(['runs', 'rename', id], { cwd: dir }).code).toBe(2);
    expect(runCli(['runs', 'rename', id, '  '], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('A run name cannot be empty'),
    });
    expect(runCli(['runs', 'rename', 'nope', 'x'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no run nope'),
    });
  });
});
