import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

describe('benchtop runs', () => {
  it('lists, filters, sorts and shows runs; --json gives params and latest metrics as objects', () => {
    const dir = path.join(tmpDir(), 'demo');
    runCli(['init', '--demo', '--dir', dir]);
    expect(runCli(['runs'], { cwd: dir }).stdout.trim()).toBe('No runs yet.');
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    expect(runCli(['run', '-S', 'train.epochs=5'], { cwd: dir }).code).toBe(0);

    const all = JSON.parse(runCli(['runs', '--json', '--sort', '-metrics.accuracy'], { cwd: dir }).stdout) as {
      id: string;
      status: string;
      params: Record<string, string>;
      metrics: Record<string, number>;
    }[];
    expect(all).toHaveLength(2);
    expect(all[0]!.metrics.accuracy).toBeGreaterThanOrEqual(all[1]!.metrics.accuracy!);
    expect(all.map((r) => r.params['train.epochs']).sort()).toEqual(['300', '5']);
    expect(all[0]).toMatchObject({ status: 'succeeded', params: { target: 'default', 'train.lr': '0.5' } });

    const few = JSON.parse(
      runCli(['runs', '--json', '--filter', 'params.train.epochs < 100 and metrics.loss > 0'], { cwd: dir }).stdout,
    ) as { params: Record<string, string> }[];
    expect(few.map((r) => r.params['train.epochs'])).toEqual(['5']);

    const table = runCli(['runs', '--filter', "status = 'succeeded'", '--limit', '1'], { cwd: dir });
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+name\s+status\s+experiment\s+started\s+accuracy/);
    expect(table.stdout.trim().split('\n')).toHaveLength(2);

    const bad = runCli(['runs', '--filter', 'metrics.accuracy >> 1'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The filter has a mistake: expected a value');

    const show = runCli(['runs', 'show', all[0]!.id], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^run-[\w-]+ {2}succeeded {2}\(pipeline\)/);
    expect(show.stdout).toMatch(/metrics \(latest\)[\s\S]*loss = [\d.]+ {2}\(\d+ points\)/);
    expect(show.stdout).toMatch(/evaluate out metrics\.json = [0-9a-f]{12}/);
    expect(runCli(['runs', 'show', 'nope'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no run nope'),
    });
    expect(runCli(['runs', 'frob'], { cwd: dir }).code).toBe(2);

    // Delete is soft: hidden, listed with --deleted, restorable; purge removes only deleted runs.
    const victim = all[1]!.id;
    expect(runCli(['runs', 'purge', victim], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not deleted, so it cannot be purged'),
    });
    expect(runCli(['runs', 'delete', victim], { cwd: dir }).stdout).toMatch(
      /^Deleted 1 run\. `benchtop runs restore ID` brings a run back/,
    );
    const ids = (args: string[]) =>
      (JSON.parse(runCli(['runs', '--json', ...args], { cwd: dir }).stdout) as { id: string }[]).map((r) => r.id);
    expect(ids([])).toEqual([all[0]!.id]);
    expect(ids(['--deleted'])).toEqual([victim]);
    expect(runCli(['runs', 'show', victim], { cwd: dir }).code).toBe(0);
    expect(runCli(['runs', 'restore', victim], { cwd: dir }).stdout.trim()).toBe('Restored 1 run.');
    expect(ids([]).sort()).toEqual(all.map((r) => r.id).sort());
    runCli(['runs', 'delete', victim], { cwd: dir });
    expect(runCli(['runs', 'purge'], { cwd: dir }).stdout.trim()).toBe('Purged 1 run.');
    expect(ids(['--deleted'])).toEqual([]);
    expect(runCli(['runs', 'restore', victim], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`There is no run ${victim}`),
    });
    expect(runCli(['runs', 'delete'], { cwd: dir }).code).toBe(2);

    // Export: CSV with a column per param and metric (parsed back with a real CSV parser), or JSON.
    const csv = runCli(['export', 'runs'], { cwd: dir });
    expect(csv.code).toBe(0);
    const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      status: 'succeeded',
      experiment: 'pipeline',
      'params.train.lr': '0.5',
      'params.target': 'default',
    });
    expect(Number(records[0]!['metrics.accuracy'])).toBeGreaterThan(0.5);
    const out = path.join(dir, 'runs.json');
    expect(runCli(['export', 'runs', '--format', 'json', '--output', out], { cwd: dir }).stderr).toContain(
      'Exported 1 run to',
    );
    expect((JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length).toBe(1);
    expect(runCli(['export', 'runs', '--format', 'json', '--output', out], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('exists already; Benchtop does not overwrite files'),
    });
    expect(runCli(['export', 'runs', '--format', 'xml'], { cwd: dir }).code).toBe(2);
    expect(runCli(['export', 'models'], { cwd: dir }).code).toBe(2);
  });
});
