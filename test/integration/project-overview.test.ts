// Runs in: tests (Node). project.overview: how the open project stands, for the app's landing view,
// read through the contract on the demo project after a pipeline run and production weeks.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { projectOverview } from '../../electron/core/project/overview';
import type { ProjectOverview } from '../../shared/contract/schemas';
import { call } from '../support/core';
import { deliverDemoWeeks } from '../support/demo-weeks';
import { runCli, tmpDir } from '../support/helpers';

let dir: string;
let core: Core;

beforeAll(async () => {
  dir = path.join(tmpDir(), 'demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  expect(runCli(['run'], { cwd: dir }).code).toBe(0);
  await deliverDemoWeeks(dir, 6);
  // Exit code 3: the check raised alerts, which is what the overview is to count.
  expect(runCli(['monitor', 'check', 'loan-weekly'], { cwd: dir }).code).toBe(3);
  core = new Core({ dataDir: tmpDir(), mode: 'cli' });
  await core.open(dir);
});

afterAll(async () => {
  await core?.shutdown();
});

describe('project.overview', () => {
  it('gives the champion and its versions, the alerts, the last pipeline run and the recent data', async () => {
    const o: ProjectOverview = await call(core, 'project.overview', {});
    const models = await call(core, 'models.get', { name: 'loan-default' });
    const champion = models.aliases.find((a: { alias: string }) => a.alias === 'champion').version;
    expect(o.models).toHaveLength(1);
    expect(o.models[0]).toMatchObject({ name: 'loan-default', champion, alias: 'champion' });
    // Oldest first: the scorecard, then the pipeline's models (the check's retraining may add one)
    // with the metrics each was registered with.
    expect(o.models[0]!.versions.map((v) => v.version)).toEqual(
      models.versions.map((v: { version: number }) => v.version).reverse(),
    );
    expect(o.models[0]!.versions.slice(0, 2).map((v) => v.version)).toEqual([1, 2]);
    expect(o.models[0]!.versions[1]!.metrics.auc).toBeGreaterThan(0.5);

    const alerts = await call(core, 'monitors.alerts', { open: true });
    expect(alerts.alerts.length).toBeGreaterThan(0);
    expect(o.openAlerts).toBe(alerts.alerts.length);
    expect(o.monitors).toEqual([expect.objectContaining({ name: 'loan-weekly', openAlerts: alerts.alerts.length })]);

    const runs = await call(core, 'pipelines.runs', { limit: 1 });
    expect(o.lastPipelineRun).toEqual(runs.runs[0]);
    expect(o.lastPipelineRun!.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['prepare', 'train']));

    // The demo tracks its training data when it is created: a version of this week.
    expect(o.dataVersions.map((v) => v.path)).toContain('data/loans.csv');
    const log = await call(core, 'data.log', { path: 'data/loans.csv' });
    expect(o.dataVersions.find((v) => v.path === 'data/loans.csv')).toMatchObject({
      commit: log.versions[0].commit,
      date: log.versions[0].date,
    });
    expect(o.hasPipeline).toBe(true);
  });

  it('leaves out data versions older than the window', async () => {
    const ws = core.project!;
    const later = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
    const o = await projectOverview(ws, core.lifecycle.pipelines, 7, later);
    expect(o.dataVersions).toEqual([]);
    expect(o.since).toBe(new Date(later.getTime() - 7 * 24 * 60 * 60 * 1000).toISOString());
  });

  it('refuses a window it cannot read', async () => {
    await expect(call(core, 'project.overview', { days: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
