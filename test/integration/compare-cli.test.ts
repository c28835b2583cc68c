import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/names';
import { runCli, tmpDir } from '../support/helpers';

const EVIL = '<script>alert(1)</script>';
let dir: string;
let ids: string[];

async function call(core: Core, name: MethodName, input: unknown): Promise<any> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

/** Three runs logged through the tracking API, as a script would: one named to try an injection. */
beforeAll(async () => {
  dir = path.join(tmpDir(), 'proj');
  (await initProject(dir, {})).workspace.close();
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(dir);
  ids = [];
  const runs = [
    { name: 'baseline', params: { lr: '0.1', model: 'rf', seed: '1' }, final: 0.8 },
    { name: 'tuned', params: { lr: '0.3', model: 'rf', seed: '1' }, final: 0.9 },
    { name: EVIL, params: { lr: '0.5', model: 'svm', seed: '1' }, final: Number.NaN },
  ];
  for (const r of runs) {
    const { runId } = await call(core, 'runs.create', { experiment: 'cmp', name: r.name, params: r.params });
    const metrics = Array.from({ length: 50 }, (_, step) => ({
      key: 'loss',
      value: 1 / (step + 1) + Number(r.params.lr),
      step,
    }));
    metrics.push({ key: 'acc', value: r.final, step: 0 });
    await call(core, 'runs.log', { runId, metrics });
    await call(core, 'runs.end', { runId });
    ids.push(runId);
  }
  core.close();
});

describe('benchtop compare', () => {
  it('prints params and latest metrics side by side, * marking differences; --diff keeps only those', () => {
    const r = runCli(['compare', ...ids], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+baseline\s+tuned\s+<script>alert\(1\)<\/script>$/);
    expect(lines.find((l) => l.includes('params.lr'))).toMatch(/^\*\s+params\.lr\s+0\.1\s+0\.3\s+0\.5$/);
    expect(lines.find((l) => l.includes('params.seed'))).toMatch(/^\s+params\.seed\s+1\s+1\s+1$/);
    expect(lines.find((l) => l.includes('metrics.acc'))).toMatch(/^\*\s+metrics\.acc\s+0\.8\s+0\.9\s+NaN$/);
    expect(r.stdout).toContain('* differs (4 of 5 params and metrics)');
    const diff = runCli(['compare', ...ids, '--diff'], { cwd: dir });
    expect(diff.stdout).not.toContain('params.seed');
    expect(diff.stdout).toContain('params.model');
  });

  it('--json gives the comparison object, NaN kept in the wire format', () => {
    const r = runCli(['compare', ids[0]!, ids[2]!, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const cmp = JSON.parse(r.stdout) as {
      runs: { id: string; name: string }[];
      params: { key: string; values: string[]; differs: boolean }[];
      metrics: { key: string; values: unknown[]; differs: boolean }[];
    };
    expect(cmp.runs.map((x) => x.name)).toEqual(['baseline', EVIL]);
    expect(cmp.params).toEqual([
      { key: 'lr', values: ['0.1', '0.5'], differs: true },
      { key: 'model', values: ['rf', 'svm'], differs: true },
      { key: 'seed', values: ['1', '1'], differs: false },
    ]);
    expect(cmp.metrics.find((m) => m.key === 'acc')).toEqual({
      key: 'acc',
      values: [0.8, { $nonFinite: 'NaN' }],
      differs: true,
    });
  });

  it('--html writes one self-contained file with charts and escaped names, and never overwrites', () => {
    const file = path.join(dir, 'out', 'compare.html');
    const r = runCli(['compare', ...ids, '--html', file], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`to ${file}`);
    const page = readFileSync(file, 'utf8');
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link|@import|url\(/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // One overlaid loss chart with a legend naming every run, latest-value bars, params → acc.
    expect(page.match(/<svg/g)!.length).toBeGreaterThanOrEqual(5);
    expect(page).toMatch(/aria-label="loss"/);
    // Legend items (ECharts draws each one's icon: a line's stroke, a parallel line's rounded box).
    expect(page.match(/<path d="M0 5L14 5"|<path d="M2\.5 0L11\.5 0A2\.5 2\.5/g)!.length).toBeGreaterThanOrEqual(6);
    expect(page).toContain('Params → acc');
    expect(page).toContain('acc by lr');
    expect(page).toContain('<tr class="differs"><th scope="row">lr</th>');
    expect(page).toContain('<tr class="same"><th scope="row">seed</th>');

    const byLoss = path.join(dir, 'out', 'by-loss.html');
    expect(runCli(['compare', ...ids, '--html', byLoss, '--metric', 'loss'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(byLoss, 'utf8')).toContain('Params → loss');
    expect(
      runCli(['compare', ...ids, '--html', path.join(dir, 'out', 'x.html'), '--metric', 'f1'], { cwd: dir }),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('None of these runs logged a metric "f1". Choose one of acc, loss.'),
    });
    expect(existsSync(path.join(dir, 'out', 'x.html'))).toBe(false);

    writeFileSync(file, 'mine');
    const again = runCli(['compare', ...ids, '--html', file], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already; Benchtop does not overwrite files');
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['by-loss.html', 'compare.html']);
  });

  it('refuses fewer than two runs, a run named twice, and unknown runs', () => {
    expect(runCli(['compare', ids[0]!], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('needs two or more run ids'),
    });
    expect(runCli(['compare', ids[0]!, ids[0]!], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is named twice'),
    });
    expect(runCli(['compare', ids[0]!, 'nope'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no run nope'),
    });
  });

  it('reports.compare writes into reports/ under a fresh name each time, or the name asked for once', async () => {
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      const a = await call(core, 'reports.compare', { ids });
      const b = await call(core, 'reports.compare', { ids });
      expect(a.path).toMatch(/^reports\/compare-3-runs-\d{4}-\d\d-\d\d\.html$/);
      expect(b.path).toMatch(/^reports\/compare-3-runs-\d{4}-\d\d-\d\d-2\.html$/);
      expect(a.size).toBe(readFileSync(path.join(dir, a.path)).length);
      expect(await call(core, 'reports.compare', { ids: ids.slice(0, 2), file: 'two.html' })).toMatchObject({
        path: 'reports/two.html',
      });
      const again = await dispatch(core.handlers, 'reports.compare', { ids: ids.slice(0, 2), file: 'two.html' });
      expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS', field: 'file' } });
      const bad = await dispatch(core.handlers, 'reports.compare', { ids: ids.slice(0, 2), file: '../x.html' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'file' } });
      expect(existsSync(path.join(dir, 'x.html'))).toBe(false);
      const list = await call(core, 'reports.list', {});
      expect(list.reports.map((r: { path: string }) => r.path).sort()).toEqual(
        [a.path, b.path, 'reports/two.html'].sort(),
      );
    } finally {
      core.close();
    }
  });
});
