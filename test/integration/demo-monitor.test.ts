// Runs in: tests (Node). The demo's monitor: created with the demo project (once), its six weekly
// batches drift from week 4, the alert fires at week 5 and retrains the demo pipeline; and the
// batches are exactly what the seeded generator writes from the demo's trained model.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { ensureDemoMonitor } from '../../electron/core/workspace/demo-monitor';
import { demoSourceDir, initProject } from '../../electron/core/workspace/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import type { MonitorCheckResult, MonitorDetail } from '../../shared/contract/schemas';
import { call } from '../support/core';
import { tmpDir } from '../support/helpers';

const WEEKS = ['week-01.csv', 'week-02.csv', 'week-03.csv', 'week-04.csv', 'week-05.csv', 'week-06.csv'];
/** The class mix shifts towards virginica (larger sepals too), petals grow; sepal width stays put. */
const DRIFTING = ['petal_length_cm', 'petal_width_cm', 'prediction', 'sepal_length_cm', 'target'];

describe('the demo monitor', () => {
  it('is created with the demo project, once', async () => {
    const dataDir = tmpDir();
    const core = new Core({ dataDir, mode: 'browser' });
    await core.openDefault();
    const list = (await call(core, 'monitors.list', {})).monitors;
    expect(list.map((m: { name: string }) => m.name)).toEqual(['iris-weekly']);
    const m: MonitorDetail = await call(core, 'monitors.get', { name: 'iris-weekly' });
    expect(m.config).toMatchObject({ reference: 'data/iris-scored.csv', folder: 'data/batches', target: 'target', prediction: 'prediction', model: null, rules: ['drift_share >= 0.5 for 2 retrain', 'accuracy < 0.8'] });
    expect(m.batches).toEqual([]);
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
    expect(warnings).toEqual([]);
    expect(ws.db.prepare(`SELECT count(*) AS n FROM monitors`).get()).toEqual({ n: 1 });
    ws.close();
  });

  it('does not fail project init when its data is missing: it says why and carries on', async () => {
    const dir = path.join(tmpDir(), 'plain');
    const ws = (await initProject(dir, {})).workspace;
    const warnings: string[] = [];
    expect(await ensureDemoMonitor(ws, (w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/iris-weekly was not added: data\/iris-scored\.csv and data\/batches are missing/)]);
    expect(ws.db.prepare(`SELECT count(*) AS n FROM monitors`).get()).toEqual({ n: 0 });
    ws.close();
  });

  it('flags drift from week 4, alerts at week 5 and retrains the demo pipeline with the alert as the reason', async () => {
    const dir = path.join(tmpDir(), 'demo');
    (await initProject(dir, { demo: true })).workspace.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    const r: MonitorCheckResult = await call(core, 'monitors.check', { name: 'iris-weekly' });
    expect(r.failed).toEqual([]);
    expect(r.batches.map((b) => [b.label, b.rows])).toEqual(WEEKS.map((w) => [w, 120]));
    const drifted = r.batches.map((b) => b.columns.filter((c) => c.drifted).map((c) => c.name).sort());
    expect(drifted).toEqual([[], [], [], DRIFTING, DRIFTING, DRIFTING]);
    expect(r.batches.map((b) => b.datasetDrift)).toEqual([false, false, false, true, true, true]);
    expect(r.batches.map((b) => b.share)).toEqual([0, 0, 0, 5 / 6, 5 / 6, 5 / 6]);
    // The model gets worse as the flowers change; week 6 falls under the accuracy rule.
    const accuracy = r.batches.map((b) => b.performance!.metrics.accuracy!);
    expect(Math.min(...accuracy.slice(0, 3))).toBeGreaterThanOrEqual(0.9);
    expect(accuracy[5]).toBeLessThan(0.8);

    const byBatch = (label: string) => r.alerts.filter((a) => r.batches.find((b) => b.id === a.batchId)!.label === label).map((a) => a.rule).sort();
    expect(WEEKS.map(byBatch)).toEqual([[], [], [], [], ['drift_share >= 0.5 for 2 retrain'], ['accuracy < 0.8']]);
    const first = r.alerts.filter((a) => a.rule === 'drift_share >= 0.5 for 2 retrain').sort((a, b) => a.id - b.id)[0]!;
    expect(first.message).toBe('drift_share is 0.8333 (>= 0.5) in 2 batches in a row (week-04.csv, week-05.csv)');

    expect(r.retrainError).toBeNull();
    expect(r.runId).toEqual(expect.any(String));
    expect(first.runId).toBe(r.runId);
    expect(r.alerts.find((a) => a.rule === 'accuracy < 0.8')!.runId).toBeNull();
    await core.pipelines.settle();
    const run = (await call(core, 'pipelines.runs', {})).runs[0];
    expect(run).toMatchObject({ id: r.runId, status: 'succeeded' });
    expect(run.trigger).toMatch(new RegExp(`^triggered: monitor iris-weekly alert ${first.id}: drift_share >= 0\\.5 for 2 retrain \\(`));
    const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as { accuracy: number };
    expect(metrics.accuracy).toBeGreaterThan(0.9);

    // Checked again with nothing new: no batch, no alert, no run.
    const again: MonitorCheckResult = await call(core, 'monitors.check', { name: 'iris-weekly' });
    expect(again).toMatchObject({ batches: [], alerts: [], unchanged: 6, runId: null });
    core.close();
  });

  it('ships exactly what the seeded generator writes from the trained demo model', async () => {
    const dir = path.join(tmpDir(), 'regen');
    (await initProject(dir, { demo: true })).workspace.close();
    for (const script of ['src/prepare.js', 'src/train.js', 'src/make-batches.js']) execFileSync(process.execPath, [script], { cwd: dir, stdio: 'pipe' });
    const shipped = path.join(demoSourceDir(), 'data');
    expect(readdirSync(path.join(dir, 'data', 'batches')).sort()).toEqual(WEEKS);
    for (const file of ['iris-scored.csv', ...WEEKS.map((w) => `batches/${w}`)]) {
      expect(readFileSync(path.join(dir, 'data', file)).equals(readFileSync(path.join(shipped, file))), file).toBe(true);
    }
  });
});
