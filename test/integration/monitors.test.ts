import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../shared/contract/events';
import type { MethodName } from '../../shared/contract/names';
import type { MonitorCheckResult, MonitorDetail } from '../../shared/contract/schemas';
import { monitorProject, table, WEEKS } from '../support/monitor-data';
import { tmpDir } from '../support/helpers';

async function openCore(
  files?: number[],
  yaml?: string,
): Promise<{ core: Core; dir: string; events: BenchtopEvent[] }> {
  const dir = path.join(tmpDir(), 'proj');
  (await initProject(dir, {})).workspace.close();
  monitorProject(dir, WEEKS, files);
  if (yaml) writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(dir);
  const events: BenchtopEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  return { core, dir, events };
}

async function call<T = any>(core: Core, name: MethodName, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

async function fails(
  core: Core,
  name: MethodName,
  input: unknown,
): Promise<{ code: string; message: string; field?: string; hint?: string }> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  expect(r.ok, `${name} should fail`).toBe(false);
  return (r as { error: { code: string; message: string; field?: string } }).error;
}

const weekly = {
  name: 'weekly',
  reference: 'data/reference.csv',
  folder: 'batches',
  target: 'label',
  prediction: 'pred',
};

describe('monitors', () => {
  it('leave a unique id column out of the test, as an ad-hoc drift report does', async () => {
    const { core, dir } = await openCore([]);
    const rows = (first: number) =>
      Array.from({ length: 50 }, (_, i) => `${first + i},${['a', 'b'][i % 2]},${i % 7}`).join('\n');
    writeFileSync(path.join(dir, 'data', 'ids-ref.csv'), `customer_id,kind,n\n${rows(1)}\n`);
    mkdirSync(path.join(dir, 'id-batches'));
    writeFileSync(path.join(dir, 'id-batches', 'b1.csv'), `customer_id,kind,n\n${rows(9001)}\n`);
    await call(core, 'monitors.add', { name: 'ids', reference: 'data/ids-ref.csv', folder: 'id-batches' });
    const checked = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'ids' });
    const b = checked.batches[0]!;
    expect(b.tested).toBe(2);
    expect(b.drifted).toBe(0);
    expect(b.columns.find((c) => c.name === 'customer_id') ?? { test: null }).toMatchObject({ test: null });
  });

  it('check each batch once, in name order, with a report each; a changed file is checked again', async () => {
    const { core, dir } = await openCore([1, 2, 3]);
    const added = await call<MonitorDetail>(core, 'monitors.add', { ...weekly, rules: ['drift_share >= 0.5 for 2'] });
    expect(added.config).toMatchObject({
      reference: 'data/reference.csv',
      folder: 'batches',
      files: [],
      model: null,
      rules: ['drift_share >= 0.5 for 2'],
      retrain: false,
    });
    expect(added.batches).toEqual([]);

    const first = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(first.batches.map((b) => b.label)).toEqual(['week-01.csv', 'week-02.csv', 'week-03.csv']);
    expect(first.batches.map((b) => b.datasetDrift)).toEqual([false, false, true]);
    const w3 = first.batches[2]!;
    expect(w3.share).toBeGreaterThanOrEqual(0.5);
    expect(w3.columns.find((c) => c.name === 'income')).toMatchObject({ test: 'ks', drifted: true });
    expect(w3.columns.find((c) => c.name === 'city')).toMatchObject({ drifted: true });
    expect(w3.performance).toMatchObject({
      kind: 'classification',
      metrics: { accuracy: expect.any(Number), f1: expect.any(Number) },
    });
    for (const b of first.batches) {
      expect(b.report).toMatch(/^reports\/drift-week-0\d-csv-\d{4}-\d\d-\d\d(-\d+)?\.html$/);
      expect(readFileSync(path.join(dir, b.report!), 'utf8')).toContain(b.label);
    }
    // One drifting batch: the rule wants two in a row.
    expect(first.alerts).toEqual([]);

    // A second check of the same monitor while one is going is refused, not recorded twice.
    const [a, b] = await Promise.all([
      dispatch(core.handlers, 'monitors.check', { name: 'weekly' }),
      dispatch(core.handlers, 'monitors.check', { name: 'weekly' }),
    ]);
    expect(a).toMatchObject({ ok: true, value: { batches: [], unchanged: 3 } });
    expect(b).toMatchObject({ ok: false, error: { code: 'BUSY', field: 'name' } });
    const again = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(again).toMatchObject({ batches: [], unchanged: 3, alerts: [] });

    appendFileSync(path.join(dir, 'batches', 'week-02.csv'), '33,41000,a,1,1\n');
    const changed = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(changed.batches.map((b) => [b.label, b.path, b.rows])).toEqual([
      ['week-02.csv', 'batches/week-02.csv', 201],
    ]);
    expect(changed.unchanged).toBe(2);
    const detail = await call<MonitorDetail>(core, 'monitors.get', { name: 'weekly' });
    expect(detail.batches.map((b) => b.label)).toEqual(['week-01.csv', 'week-02.csv', 'week-03.csv', 'week-02.csv']);
    expect(new Set(detail.batches.map((b) => b.hash)).size).toBe(4);
    const list = await call(core, 'monitors.list', {});
    expect(list.monitors).toEqual([
      expect.objectContaining({
        name: 'weekly',
        kind: 'drift',
        lastStatus: 'ok',
        batches: 4,
        openAlerts: 0,
        model: null,
      }),
    ]);
    core.close();
  });

  it('raise drift_share >= 0.5 for 2 only after two drifting batches in a row, and an accuracy rule, with events and acknowledgement', async () => {
    const { core, dir, events } = await openCore([1, 2, 3]);
    await call(core, 'monitors.add', {
      ...weekly,
      rules: ['drift_share >= 0.5 for 2', 'accuracy < 0.85', 'column:city drifted'],
    });
    const first = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(first.alerts.map((a) => [a.rule, a.batch])).toEqual([['column:city drifted', 'week-03.csv']]);

    writeFileSync(path.join(dir, 'batches', 'week-04.csv'), table(200, 103, WEEKS[3]!));
    const second = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(second.batches.map((b) => b.label)).toEqual(['week-04.csv']);
    const share = second.alerts.find((a) => a.rule === 'drift_share >= 0.5 for 2')!;
    expect(share).toMatchObject({
      batch: 'week-04.csv',
      threshold: 0.5,
      acknowledgedAt: null,
      runId: null,
      monitor: 'weekly',
    });
    expect(share.value).toBe(second.batches[0]!.share);
    expect(share.message).toMatch(
      /^drift_share is [\d.]+ \(>= 0\.5\) in 2 batches in a row \(week-03\.csv, week-04\.csv\)$/,
    );
    expect(second.alerts.some((a) => a.rule === 'accuracy < 0.85')).toBe(false);

    writeFileSync(path.join(dir, 'batches', 'week-05.csv'), table(200, 104, WEEKS[4]!));
    const third = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    const acc = third.alerts.find((a) => a.rule === 'accuracy < 0.85')!;
    expect(acc.value).toBeLessThan(0.85);
    expect(acc.value).toBe(third.batches[0]!.performance!.metrics.accuracy);
    expect(acc.message).toMatch(/^accuracy is 0\.\d+ \(< 0\.85\) in week-05\.csv$/);

    const report = await call(core, 'monitors.report', { name: 'weekly' });
    expect(report.path).toMatch(/^reports\/monitor-weekly-\d{4}-\d\d-\d\d\.html$/);
    const page = readFileSync(path.join(dir, report.path), 'utf8');
    expect(page).toContain('Drift share per batch');
    expect(page).toContain('Drift per column and batch');
    expect(page).toContain('Model performance (classification)');
    expect(page).toMatch(/accuracy is 0\.\d+ \(&lt; 0\.85\) in week-05\.csv/);
    expect(page).not.toMatch(/<script/i);
    expect((await call(core, 'reports.list', {})).reports.some((r: { path: string }) => r.path === report.path)).toBe(
      true,
    );
    expect(
      await fails(core, 'monitors.report', { name: 'weekly', file: report.path.slice('reports/'.length) }),
    ).toMatchObject({ code: 'ALREADY_EXISTS' });

    const alertEvents = events
      .filter((e) => e.name === 'monitors.alert')
      .map((e) => (e.payload as { rule: string }).rule);
    // Week 5 drifts too, but the streak had already reached two: one alert per streak.
    expect(third.alerts.some((a) => a.rule === 'drift_share >= 0.5 for 2')).toBe(false);
    expect(alertEvents.filter((r) => r === 'drift_share >= 0.5 for 2')).toHaveLength(1);
    expect(alertEvents).toContain('accuracy < 0.85');

    const all = await call(core, 'monitors.alerts', { name: 'weekly' });
    expect(all.alerts.length).toBe(first.alerts.length + second.alerts.length + third.alerts.length);
    const acked = await call(core, 'monitors.acknowledge', { id: acc.id });
    expect(acked.acknowledgedAt).toMatch(/^\d{4}-/);
    expect(
      (await call(core, 'monitors.alerts', { open: true })).alerts.some((a: { id: number }) => a.id === acc.id),
    ).toBe(false);
    expect(await fails(core, 'monitors.acknowledge', { id: 99_999 })).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const list = await call(core, 'monitors.list', {});
    expect(list.monitors[0]).toMatchObject({ lastStatus: 'alert', batches: 5, openAlerts: all.alerts.length - 1 });

    expect(await call(core, 'monitors.delete', { name: 'weekly' })).toEqual({
      deleted: true,
      batches: 5,
      alerts: all.alerts.length,
    });
    expect((await call(core, 'monitors.list', {})).monitors).toEqual([]);
    expect(await fails(core, 'monitors.get', { name: 'weekly' })).toMatchObject({ code: 'NOT_FOUND' });
    core.close();
  });

  it('start the pipeline when a retrain rule fires, with the alert as the recorded reason', async () => {
    const yaml = `stages:\n  retrain:\n    cmd: node -e "require('fs').writeFileSync('model.txt', 'retrained')"\n    outs: [model.txt]\n`;
    const { core, dir, events } = await openCore([1, 2, 3, 4], yaml);
    await call(core, 'monitors.add', { ...weekly, rules: ['drift_share >= 0.5 for 2 retrain', 'column:city drifted'] });
    const r = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(r.retrainError).toBeNull();
    expect(r.runId).toEqual(expect.any(String));
    const alert = r.alerts.find((a) => a.rule === 'drift_share >= 0.5 for 2 retrain')!;
    expect(alert.runId).toBe(r.runId);
    // Only the rule that asks for retraining points at the run.
    expect(r.alerts.filter((a) => a.rule === 'column:city drifted').every((a) => a.runId === null)).toBe(true);
    await core.pipelines.settle();
    const run = (await call(core, 'pipelines.runs', {})).runs[0];
    expect(run).toMatchObject({ id: r.runId, status: 'succeeded' });
    expect(run.trigger).toBe(
      `triggered: monitor weekly alert ${alert.id}: drift_share >= 0.5 for 2 retrain (${alert.message})`,
    );
    expect(readFileSync(path.join(dir, 'model.txt'), 'utf8')).toBe('retrained');
    expect(events.find((e) => e.name === 'monitors.alert' && e.payload.id === alert.id)).toMatchObject({
      payload: { runId: r.runId, monitor: 'weekly' },
    });
    core.close();
  });

  it('fire a "for N" rule once per streak, across checks, and again only after the streak breaks and reaches N anew', async () => {
    const yaml = `stages:\n  retrain:\n    cmd: node -e "require('fs').writeFileSync('model.txt', String(Date.now()))"\n    outs: [model.txt]\n`;
    const dir = path.join(tmpDir(), 'streaks');
    (await initProject(dir, {})).workspace.close();
    const calm = { drift: false, accuracy: 0.95 };
    const drifting = { drift: true, accuracy: 0.95 };
    const weeks = [calm, drifting, drifting, drifting, calm, drifting, drifting, drifting];
    monitorProject(dir, weeks, [1, 2, 3]);
    writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    await call(core, 'monitors.add', { ...weekly, rules: ['drift_share >= 0.5 for 2 retrain', 'dataset drifted'] });
    const fired = (r: MonitorCheckResult, rule: string) => r.alerts.filter((a) => a.rule === rule).map((a) => a.batch);

    const first = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(fired(first, 'drift_share >= 0.5 for 2 retrain')).toEqual(['week-03.csv']);
    expect(first.runId).toEqual(expect.any(String));
    await core.pipelines.settle();

    // Week 4 continues the streak that already fired: nothing from the streak rule, no retraining;
    // the rule without "for" still fires on each drifting batch.
    writeFileSync(path.join(dir, 'batches', 'week-04.csv'), table(200, 103, weeks[3]!));
    const second = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(fired(second, 'drift_share >= 0.5 for 2 retrain')).toEqual([]);
    expect(fired(second, 'dataset drifted')).toEqual(['week-04.csv']);
    expect(second.runId).toBeNull();

    // Week 5 breaks it; weeks 6 and 7 reach two anew (one alert, at week 7), week 8 extends it.
    for (const i of [5, 6, 7, 8])
      writeFileSync(path.join(dir, 'batches', `week-0${i}.csv`), table(200, 100 + i - 1, weeks[i - 1]!));
    const third = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(third.batches.map((b) => b.datasetDrift)).toEqual([false, true, true, true]);
    expect(fired(third, 'drift_share >= 0.5 for 2 retrain')).toEqual(['week-07.csv']);
    expect(fired(third, 'dataset drifted')).toEqual(['week-06.csv', 'week-07.csv', 'week-08.csv']);
    expect(third.runId).toEqual(expect.any(String));
    await core.pipelines.settle();
    // One retraining per streak, each answering its own streak's alert.
    expect(third.runId).not.toBe(first.runId);
    expect(
      third.alerts.find((a) => a.batch === 'week-07.csv' && a.rule === 'drift_share >= 0.5 for 2 retrain')!.runId,
    ).toBe(third.runId);
    const all = (await call(core, 'monitors.alerts', { name: 'weekly' })).alerts as { rule: string; batch: string }[];
    expect(
      all
        .filter((a) => a.rule === 'drift_share >= 0.5 for 2 retrain')
        .map((a) => a.batch)
        .sort(),
    ).toEqual(['week-03.csv', 'week-07.csv']);
    core.close();
  });

  it('records why retraining could not start, keeping the alert', async () => {
    const { core } = await openCore([3, 4]);
    await call(core, 'monitors.add', { ...weekly, rules: ['dataset drifted for 2'], retrain: true });
    const r = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(r.alerts.map((a) => a.rule)).toEqual(['dataset drifted for 2']);
    expect(r.runId).toBeNull();
    expect(r.retrainError).toMatch(/no benchtop\.yaml/);
    core.close();
  });

  it('report a batch that cannot be read without stopping the others, and check it again once it is fixed', async () => {
    const { core, dir } = await openCore([1, 2]);
    writeFileSync(path.join(dir, 'batches', 'week-015.csv'), '');
    // The reference beside the batches is not one of them.
    writeFileSync(path.join(dir, 'batches', 'ref.csv'), table(400, 1, WEEKS[0]!));
    await call(core, 'monitors.add', { ...weekly, reference: 'batches/ref.csv' });
    const r = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(r.batches.map((b) => b.label)).toEqual(['week-01.csv', 'week-02.csv']);
    expect(r.failed).toEqual([
      { label: 'week-015.csv', path: 'batches/week-015.csv', message: expect.stringMatching(/empty/i) },
    ]);
    writeFileSync(path.join(dir, 'batches', 'week-015.csv'), table(200, 7, WEEKS[0]!));
    const fixed = await call<MonitorCheckResult>(core, 'monitors.check', { name: 'weekly' });
    expect(fixed).toMatchObject({
      batches: [expect.objectContaining({ label: 'week-015.csv' })],
      failed: [],
      unchanged: 2,
    });
    core.close();
  });

  it('show up in the lineage of the model version they watch', async () => {
    const { core, dir } = await openCore([1]);
    writeFileSync(path.join(dir, 'model.pkl'), 'weights');
    await call(core, 'models.register', { name: 'churn', path: 'model.pkl' });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 1 });
    await call(core, 'monitors.add', {
      ...weekly,
      files: ['batches/week-01.csv'],
      folder: undefined,
      model: 'churn@champion',
    });
    await call(core, 'monitors.check', { name: 'weekly' });
    const g = await call(core, 'models.lineage', { name: 'churn', version: 1 });
    expect(g.nodes.find((n: { kind: string }) => n.kind === 'monitor')).toMatchObject({
      label: 'weekly',
      ref: 'weekly',
    });
    expect((await call(core, 'monitors.list', {})).monitors[0]).toMatchObject({ model: 'churn@champion', batches: 1 });
    core.close();
  });

  it('refuse bad input clearly and change nothing', async () => {
    const { core, dir } = await openCore([1]);
    expect(await fails(core, 'monitors.add', { ...weekly, name: 'bad name' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'name',
    });
    expect(await fails(core, 'monitors.add', { ...weekly, reference: 'data/missing.csv' })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'reference',
    });
    expect(await fails(core, 'monitors.add', { ...weekly, folder: 'nowhere' })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'folder',
    });
    expect(
      await fails(core, 'monitors.add', { ...weekly, folder: undefined, files: ['batches/week-09.csv'] }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'files' });
    expect(await fails(core, 'monitors.add', { ...weekly, files: ['batches/week-01.csv'] })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await fails(core, 'monitors.add', { ...weekly, rules: ['drift_share >= lots'] })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'rules.0',
    });
    expect(await fails(core, 'monitors.add', { ...weekly, rules: ['ok', 'loss > 2'] })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'rules.0',
    });
    const unknownMetric = await fails(core, 'monitors.add', { ...weekly, rules: ['loss > 2'] });
    expect(unknownMetric.message).toMatch(/"loss", which is not a metric/);
    const noTarget = await fails(core, 'monitors.add', {
      name: 'x',
      reference: 'data/reference.csv',
      folder: 'batches',
      rules: ['accuracy < 0.9'],
    });
    expect(noTarget).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'rules.0',
      hint: expect.stringMatching(/--target and --prediction/),
    });
    expect(await fails(core, 'monitors.add', { ...weekly, target: 'outcome' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'target',
      hint: expect.stringContaining('age, income, city'),
    });
    expect(await fails(core, 'monitors.add', { ...weekly, rules: ['column:zip drifted'] })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'rules.0',
    });
    expect(await fails(core, 'monitors.add', { ...weekly, model: 'churn@champion' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await fails(core, 'monitors.add', { ...weekly, model: 'no good' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'model',
    });
    expect((await call(core, 'monitors.list', {})).monitors).toEqual([]);
    await call(core, 'monitors.add', weekly);
    expect(await fails(core, 'monitors.add', weekly)).toMatchObject({ code: 'ALREADY_EXISTS', field: 'name' });
    expect(await fails(core, 'monitors.check', { name: 'other' })).toMatchObject({
      code: 'NOT_FOUND',
      hint: 'Monitors: weekly.',
    });
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
    core.close();
  });
});
