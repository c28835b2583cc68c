import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMonitor } from '../../electron/core/monitoring/monitors';
import { percentile } from '../../electron/core/monitoring/monitors/prediction-batches';
import { Workspace } from '../../electron/core/workspace/workspace';
import type { MonitorCheckResult, MonitorDetail } from '../../shared/contract/schemas';
import { call, fails, openCore } from '../support/core';
import { DAYS, labelsCsv, logPredictions, writeTraining } from '../support/prediction-data';

const monitor = {
  name: 'live',
  reference: 'data/train.csv',
  predictions: { model: 'churn', window: 'day' as const },
  target: 'label',
  rules: ['dataset drifted', 'accuracy < 0.8', 'latency_p95 > 100', 'error_rate > 0.05'],
};

function counts(db: Workspace['db']): { labeled: number; predictions: number } {
  return db.prepare(`SELECT COUNT(label_json) AS labeled, COUNT(*) AS predictions FROM predictions`).get() as {
    labeled: number;
    predictions: number;
  };
}

describe('prediction logs as a monitor source', () => {
  it('a monitor on the log raises drift on the shifted days only; joined labels give accuracy per window; latency and error rules fire on the slow day', async () => {
    const { core, dir } = await openCore();
    writeTraining(dir);
    const truth = logPredictions(dir, 'churn');

    // As in a project made before these windows existed: their ignore line is added when they are written.
    const ignore = path.join(dir, '.gitignore');
    writeFileSync(ignore, readFileSync(ignore, 'utf8').replace('/.benchtop/monitor-batches/\n', ''));
    const added = await call(core, 'monitors.add', monitor);
    expect(added.config).toMatchObject({
      predictions: { model: 'churn', window: 'day' },
      folder: null,
      files: [],
      target: 'label',
    });

    const first: MonitorCheckResult = await call(core, 'monitors.check', { name: 'live' });
    expect(first.batches.map((b) => b.label)).toEqual(DAYS.map((d) => d.date));
    expect(first.batches.map((b) => b.rows)).toEqual([150, 150, 150, 150, 150]);
    expect(readFileSync(ignore, 'utf8').split('\n')).toContain('/.benchtop/monitor-batches/');
    expect(first.batches.map((b) => b.datasetDrift)).toEqual([false, false, false, true, true]);
    for (const b of first.batches.slice(3)) {
      expect(b.columns.find((c) => c.name === 'age')).toMatchObject({ drifted: true });
      expect(b.path).toBe(`.benchtop/monitor-batches/live/${b.label}.csv`);
    }
    // The window file is the inputs and the prediction, no target yet.
    const day1 = readFileSync(path.join(dir, first.batches[0]!.path), 'utf8').split('\n');
    expect(day1[0]).toBe('age,income,city,prediction');
    expect(day1.length).toBe(152);
    // No labels: no accuracy, so the accuracy rule cannot fire.
    expect(first.batches.every((b) => b.performance === null)).toBe(true);

    // Serving figures per day, from the request log: day 5 has slow requests and 20 failures of 35.
    expect(first.batches[0]!.serving).toMatchObject({ requests: 15, errors: 0, error_rate: 0 });
    expect(first.batches[0]!.serving!.latency_p95).toBeLessThan(11);
    expect(first.batches[4]!.serving).toMatchObject({ requests: 35, errors: 20, error_rate: 20 / 35 });
    expect(first.batches[4]!.serving!.latency_p50).toBe(30_000);

    const byDay = (r: MonitorCheckResult) => r.alerts.map((a) => [a.batch, a.rule]).sort();
    expect(byDay(first)).toEqual(
      [
        ['2026-01-08', 'dataset drifted'],
        ['2026-01-09', 'dataset drifted'],
        ['2026-01-09', 'error_rate > 0.05'],
        ['2026-01-09', 'latency_p95 > 100'],
      ].sort(),
    );

    // Nothing changed: nothing is checked again.
    expect(await call(core, 'monitors.check', { name: 'live' })).toMatchObject({ batches: [], unchanged: 5 });

    // Ground truth arrives for every record of days 4 and 5 (and an ID the log never saw).
    const ids = [...truth.keys()].filter((id) => id.startsWith('2026-01-08') || id.startsWith('2026-01-09'));
    writeFileSync(path.join(dir, 'outcomes.csv'), labelsCsv(truth, ids) + 'ghost-1,yes\n');
    const joined = await call(core, 'predictions.label', {
      model: 'churn',
      file: 'outcomes.csv',
      idColumn: 'id',
      targetColumn: 'outcome',
    });
    expect(joined).toMatchObject({
      ids: 301,
      matched: 300,
      labeledPredictions: 300,
      unmatched: 1,
      unmatchedSample: ['ghost-1'],
      alreadyLabeled: 0,
      relabeled: 0,
    });

    // The two labeled windows have new content: checked again, with accuracy; day 5's falls below 0.8.
    const second: MonitorCheckResult = await call(core, 'monitors.check', { name: 'live' });
    expect(second.batches.map((b) => b.label)).toEqual(['2026-01-08', '2026-01-09']);
    expect(second.unchanged).toBe(3);
    const [d4, d5] = second.batches;
    expect(d4!.performance!.kind).toBe('classification');
    expect(d4!.performance!.metrics.accuracy).toBeGreaterThan(0.88);
    expect(d5!.performance!.metrics.accuracy).toBeLessThan(0.75);
    expect(readFileSync(path.join(dir, d5!.path), 'utf8').split('\n')[0]).toBe('age,income,city,prediction,label');
    expect(second.alerts.filter((a) => a.rule === 'accuracy < 0.8').map((a) => a.batch)).toEqual(['2026-01-09']);
    // The label drifts like any column it is compared on, against the training labels.
    expect(d4!.columns.map((c) => c.name)).toContain('label');

    const detail: MonitorDetail = await call(core, 'monitors.get', { name: 'live' });
    expect(detail.batches).toHaveLength(7);
    expect(detail.batches[6]!.serving).toMatchObject({ requests: 35, errors: 20 });

    // Joining the same file again changes nothing; a different label for a joined ID is refused unless forced.
    expect(
      await call(core, 'predictions.label', {
        model: 'churn',
        file: 'outcomes.csv',
        idColumn: 'id',
        targetColumn: 'outcome',
      }),
    ).toMatchObject({ labeledPredictions: 0, alreadyLabeled: 300 });
    const flipped = ids[0]!;
    writeFileSync(
      path.join(dir, 'fix.csv'),
      `id,outcome\n${ids[1]},${truth.get(ids[1]!)}\n${flipped},${truth.get(flipped) === 'yes' ? 'no' : 'yes'}\n`,
    );
    const refused = await fails(core, 'predictions.label', {
      model: 'churn',
      file: 'fix.csv',
      idColumn: 'id',
      targetColumn: 'outcome',
    });
    expect(refused).toMatchObject({ code: 'CONFLICT', field: 'force' });
    expect(refused.message).toContain(flipped);
    const ws = Workspace.open(dir);
    try {
      const label = () =>
        (ws.db.prepare(`SELECT label_json FROM predictions WHERE record_id = ?`).get(flipped) as { label_json: string })
          .label_json;
      expect(label()).toBe(JSON.stringify(truth.get(flipped)));
      expect(
        await call(core, 'predictions.label', {
          model: 'churn',
          file: 'fix.csv',
          idColumn: 'id',
          targetColumn: 'outcome',
          force: true,
        }),
      ).toMatchObject({ relabeled: 1, alreadyLabeled: 1 });
      expect(label()).not.toBe(JSON.stringify(truth.get(flipped)));
    } finally {
      ws.close();
    }

    // The export: one row per prediction, inputs as columns, the joined label.
    const exported = await call(core, 'predictions.export', {
      model: 'churn',
      since: '2026-01-09',
      until: '2026-01-10',
    });
    expect(exported).toMatchObject({
      path: expect.stringMatching(/^exports\/predictions-churn-\d{4}-\d\d-\d\d\.csv$/),
      rows: 150,
      columns: ['record_id', 'at', 'version', 'age', 'income', 'city', 'prediction', 'label'],
    });
    const lines = readFileSync(path.join(dir, exported.path), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(151);
    expect(lines[1]).toMatch(/^2026-01-09-0,2026-01-09T00:48:00\.000Z,1,\d+,\d+,[a-d],(yes|no),(yes|no)$/);
    // Never over an existing file: the next export takes the next name.
    const again = await call(core, 'predictions.export', { model: 'churn' });
    expect(again.path).toMatch(/-2\.csv$/);
    expect(again.rows).toBe(750);
    core.close();
  }, 60_000);

  it('checks only closed windows (the open one with includeOpen), and windows of N records', async () => {
    const { core, dir } = await openCore();
    writeTraining(dir);
    logPredictions(dir, 'churn', DAYS.slice(0, 2), 100);
    await call(core, 'monitors.add', { ...monitor, rules: [] });
    await call(core, 'monitors.add', {
      name: 'by-80',
      reference: 'data/train.csv',
      predictions: { model: 'churn', window: 80 },
      rules: ['requests < 5'],
    });
    core.close();

    const ws = Workspace.open(dir);
    try {
      // Mid-way through the second day, only the first is closed.
      const midday = await checkMonitor(ws.dir, ws.db, 'live', {
        predictions: { now: new Date('2026-01-06T12:00:00Z') },
      });
      expect(midday.batches.map((b) => b.label)).toEqual(['2026-01-05']);
      const open = await checkMonitor(ws.dir, ws.db, 'live', {
        predictions: { now: new Date('2026-01-06T12:00:00Z'), includeOpen: true },
      });
      expect(open.batches.map((b) => [b.label, b.rows])).toEqual([['2026-01-06', 100]]);
      expect(open.unchanged).toBe(1);

      // 200 records in windows of 80: two full windows; the last 40 wait for more.
      const counted = await checkMonitor(ws.dir, ws.db, 'by-80');
      expect(counted.batches.map((b) => [b.label, b.rows])).toEqual([
        ['records-1-80', 80],
        ['records-81-160', 80],
      ]);
      // Requests between a window's first and last prediction: 8 of the first day's 10 requests.
      expect(counted.batches[0]!.serving!.requests).toBe(8);
      expect(counted.alerts).toEqual([]);
      expect(counts(ws.db)).toEqual({ labeled: 0, predictions: 200 });
    } finally {
      ws.close();
    }
  }, 60_000);

  it('refuses bad input with clear errors and changes nothing', async () => {
    const { core, dir } = await openCore();
    writeTraining(dir);
    const truth = logPredictions(dir, 'churn', DAYS.slice(0, 1), 20);

    // Unknown model, for a monitor and for labels.
    expect(
      await fails(core, 'monitors.add', { ...monitor, predictions: { model: 'nope', window: 'day' } }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'predictions.model', hint: expect.stringContaining('churn') });
    writeFileSync(path.join(dir, 'ok.csv'), labelsCsv(truth));
    expect(
      await fails(core, 'predictions.label', {
        model: 'nope',
        file: 'ok.csv',
        idColumn: 'id',
        targetColumn: 'outcome',
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'model' });
    // Files and a prediction log at once; serving rules on a file monitor.
    expect(await fails(core, 'monitors.add', { ...monitor, files: ['data/train.csv'] })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'predictions',
    });
    const serving = await fails(core, 'monitors.add', {
      name: 'files',
      reference: 'data/train.csv',
      files: ['data/train.csv'],
      rules: ['latency_p99 > 200'],
    });
    expect(serving).toMatchObject({ code: 'INVALID_INPUT', field: 'rules.0' });
    expect(serving.message).toMatch(/only a monitor of a prediction log/);
    expect(
      await fails(core, 'monitors.add', { ...monitor, predictions: { model: 'churn', window: 'month' } }),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'predictions.window' });
    expect((await call(core, 'monitors.list', {})).monitors).toEqual([]);

    // Duplicate IDs: refused naming the rows; missing columns: refused naming the columns there are.
    const [a, b] = [...truth.keys()];
    writeFileSync(path.join(dir, 'dup.csv'), `id,outcome\n${a},yes\n${b},no\n${a},no\n`);
    const dup = await fails(core, 'predictions.label', {
      model: 'churn',
      file: 'dup.csv',
      idColumn: 'id',
      targetColumn: 'outcome',
    });
    expect(dup).toMatchObject({ code: 'BAD_FILE', field: 'file' });
    expect(dup.message).toContain(`"${a}" is on rows 1 and 3`);
    const noId = await fails(core, 'predictions.label', {
      model: 'churn',
      file: 'ok.csv',
      idColumn: 'record',
      targetColumn: 'outcome',
    });
    expect(noId).toMatchObject({ code: 'INVALID_INPUT', field: 'idColumn', hint: 'Its columns are: id, outcome.' });
    expect(
      await fails(core, 'predictions.label', { model: 'churn', file: 'ok.csv', idColumn: 'id', targetColumn: 'truth' }),
    ).toMatchObject({ field: 'targetColumn' });
    expect(
      await fails(core, 'predictions.label', {
        model: 'churn',
        file: 'missing.csv',
        idColumn: 'id',
        targetColumn: 'outcome',
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'file' });
    // JSONL duplicates too, by row.
    writeFileSync(path.join(dir, 'dup.jsonl'), `{"id":"${a}","outcome":"yes"}\n\n{"id":"${a}","outcome":"no"}\n`);
    expect(
      (
        await fails(core, 'predictions.label', {
          model: 'churn',
          file: 'dup.jsonl',
          idColumn: 'id',
          targetColumn: 'outcome',
        })
      ).message,
    ).toContain('rows 1 and 2');
    expect(await fails(core, 'predictions.export', { model: 'churn', since: 'yesterday' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'since',
    });
    expect(await fails(core, 'predictions.export', { model: 'churn', file: '../out.csv' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'file',
    });
    core.close();

    const ws = Workspace.open(dir);
    try {
      expect(counts(ws.db)).toEqual({ labeled: 0, predictions: 20 });
    } finally {
      ws.close();
    }
    expect(existsSync(path.join(dir, 'exports'))).toBe(false);
    expect(existsSync(path.join(dir, '.benchtop', 'monitor-batches'))).toBe(false);
  }, 60_000);

  it('percentiles interpolate linearly between ranks, as NumPy does', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.99)).toBe(7);
    // numpy.percentile([1, 2, 3, 4], [50, 95, 99]) = 2.5, 3.85, 3.97
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(percentile([1, 2, 3, 4], 0.99)).toBeCloseTo(3.97, 12);
  });
});
