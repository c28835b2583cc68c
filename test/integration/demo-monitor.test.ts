// Runs in: tests (Node). The demo's additions at init: the monitor loan-weekly (once), the tracked
// training data and the scorecard champion; and the shipped data is exactly what the seeded
// generator writes. The monitor's drift, alerts and retraining are checked through the whole story
// in demo-story.test.ts.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { dataLog } from '../../electron/core/data/history';
import { ensureDemoChampion, ensureDemoMonitor } from '../../electron/core/demo/demo-monitor';
import { demoSourceDir, initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import type { MonitorCheckResult, MonitorDetail } from '../../shared/contract/schemas';
import { call } from '../support/core';
import { deliverDemoWeeks } from '../support/demo-weeks';
import { runCli, tmpDir } from '../support/helpers';

const WEEKS = [
  'week-01.csv',
  'week-02.csv',
  'week-03.csv',
  'week-04.csv',
  'week-05.csv',
  'week-06.csv',
  'week-07.csv',
  'week-08.csv',
];

describe('the demo monitor', () => {
  it('is created with the demo project, once', async () => {
    const dataDir = tmpDir();
    const core = new Core({ dataDir, mode: 'browser' });
    await core.openDefault();
    const list = (await call(core, 'monitors.list', {})).monitors;
    expect(list.map((m: { name: string }) => m.name)).toEqual(['loan-weekly']);
    const m: MonitorDetail = await call(core, 'monitors.get', { name: 'loan-weekly' });
    expect(m.config).toMatchObject({
      reference: 'data/reference.csv',
      folder: 'data/batches',
      target: 'default',
      prediction: 'prediction',
      id: 'id',
      exclude: ['probability'],
      // The model the monitor watches: the demo serves its champion.
      model: 'loan-default@champion',
      rules: ['drift_share >= 0.5 for 2 retrain', 'accuracy < 0.7'],
    });
    expect(m.batches).toEqual([]);
    // No week has arrived yet: checking finds nothing (the folder's README is not a batch).
    const r: MonitorCheckResult = await call(core, 'monitors.check', { name: 'loan-weekly' });
    expect(r).toMatchObject({ batches: [], alerts: [], failed: [], runId: null });
    const dir = core.project!.dir;
    core.close();

    // Opening it again, or initialising it again, adds nothing.
    const again = new Core({ dataDir, mode: 'browser' });
    await again.openDefault();
    expect((await call(again, 'monitors.list', {})).monitors).toHaveLength(1);
    again.close();
    (await initProject(dir, { demo: true })).workspace.close();
    const ws = Workspace.open(dir);
    const warnings: string[] = [];
    expect(await ensureDemoMonitor(ws, (w) => warnings.push(w))).toBeNull();
    expect(await ensureDemoChampion(ws, (w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([]);
    expect(ws.db.prepare(`SELECT count(*) AS n FROM monitors`).get()).toEqual({ n: 1 });
    expect(ws.db.prepare(`SELECT count(*) AS n FROM model_versions`).get()).toEqual({ n: 1 });
    ws.close();
  });

  it('tracks the training data and registers the scorecard as the first champion, in the first commit', async () => {
    const dir = path.join(tmpDir(), 'demo');
    const { workspace: ws, commit } = await initProject(dir, { demo: true });
    try {
      const log = await dataLog(dir, 'data/loans.csv');
      expect(log).toHaveLength(1);
      expect(log[0]!.commit).toBe(commit);
      const champion = ws.db
        .prepare(`SELECT version FROM model_aliases WHERE model_name = 'loan-default' AND alias = 'champion'`)
        .get();
      expect(champion).toEqual({ version: 1 });
      const v = ws.db
        .prepare(
          `SELECT predict, signature_json AS sig FROM model_versions WHERE model_name = 'loan-default' AND version = 1`,
        )
        .get() as { predict: string; sig: string };
      expect(v.predict).toBe('node src/predict.js');
      expect(v.sig).toContain('previous_defaults');
      // The CI example is copied with the rest (a dot folder).
      expect(readFileSync(path.join(dir, '.github', 'workflows', 'benchtop.yml'), 'utf8')).toMatch(/benchtop drift/);
    } finally {
      ws.close();
    }
  });

  it('does not fail project init when its data is missing: it says why and carries on', async () => {
    const dir = path.join(tmpDir(), 'plain');
    const ws = (await initProject(dir, {})).workspace;
    const warnings: string[] = [];
    expect(await ensureDemoMonitor(ws, (w) => warnings.push(w))).toBeNull();
    expect(await ensureDemoChampion(ws, (w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([
      expect.stringMatching(/loan-weekly was not added: data\/reference\.csv and data\/batches are missing/),
      expect.stringMatching(/first champion was not registered: models\/scorecard\.json is missing/),
    ]);
    expect(ws.db.prepare(`SELECT count(*) AS n FROM monitors`).get()).toEqual({ n: 0 });
    ws.close();
  });

  it('ships exactly what the seeded generator writes', async () => {
    const dir = path.join(tmpDir(), 'regen');
    (await initProject(dir, { demo: true })).workspace.close();
    const files = ['loans.csv', 'reference.csv', ...WEEKS.map((w) => `production/${w}`)];
    for (const f of files) rmSync(path.join(dir, 'data', f));
    execFileSync(process.execPath, ['src/make-data.js'], { cwd: dir, stdio: 'pipe' });
    const shipped = path.join(demoSourceDir(), 'data');
    expect(readdirSync(path.join(dir, 'data', 'production')).sort()).toEqual(WEEKS);
    for (const f of files)
      expect(readFileSync(path.join(dir, 'data', f)).equals(readFileSync(path.join(shipped, f))), f).toBe(true);
  });
});

describe('a production week of the demo', () => {
  it('is answered by the served champion and written once; delivering it again is refused and changes nothing', async () => {
    const dir = path.join(tmpDir(), 'weeks');
    (await initProject(dir, { demo: true })).workspace.close();
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    const [week] = await deliverDemoWeeks(dir, 1);
    expect(week).toMatchObject({ file: 'data/batches/week-01.csv', records: 400, version: 2 });
    expect(week!.accuracy).toBeGreaterThan(0.75);
    const file = path.join(dir, 'data', 'batches', 'week-01.csv');
    const before = readFileSync(file);
    // Every application of the week, with the champion's answer beside the true outcome.
    const lines = before.toString().trim().split('\n');
    const production = readFileSync(path.join(dir, 'data', 'production', 'week-01.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(production.map((l) => l.split(',')[0]));
    expect(lines.slice(1).every((l) => /,[01],(0(\.\d+)?|1),[01]$/.test(l))).toBe(true);
    await expect(deliverDemoWeeks(dir, 1)).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'data/batches/week-01.csv has been delivered already.',
    });
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
