import { readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMonitor, checkMonitor } from '../../electron/core/monitoring/monitors';
import type { PredictionScanStats } from '../../electron/core/monitoring/monitors/prediction-batches';
import { joinLabels } from '../../electron/core/serving/labels';
import { PredictionLog } from '../../electron/core/serving/prediction-log';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import type { MonitorCheckResult } from '../../shared/contract/schemas';
import { tmpDir } from '../support/helpers';
import { DAYS, labelsCsv, logPredictions, writeTraining } from '../support/prediction-data';

const AFTER = new Date('2026-01-20T00:00:00Z');
const LONG_AGO = new Date('2000-01-01T00:00:00Z');

async function project(): Promise<string> {
  const dir = path.join(tmpDir(), 'proj');
  (await initProject(dir, {})).workspace.close();
  writeTraining(dir);
  return dir;
}

/** A check that also returns what it read of the log. */
async function check(
  ws: Workspace,
  name: string,
  now = AFTER,
  includeOpen = false,
): Promise<MonitorCheckResult & { scan: PredictionScanStats }> {
  let scan: PredictionScanStats | undefined;
  const result = await checkMonitor(ws.dir, ws.db, name, {
    predictions: { now, includeOpen, onScan: (s) => (scan = s) },
  });
  expect(scan).toBeDefined();
  return { ...result, scan: scan! };
}

const windowFile = (ws: Workspace, monitor: string, label: string): string =>
  path.join(ws.dir, '.benchtop', 'monitor-batches', monitor, `${label}.csv`);

/** Sets a window file's times far back, so a rewrite shows as a new mtime. */
function age(file: string): void {
  utimesSync(file, LONG_AGO, LONG_AGO);
}

/** One request of `n` records at `at`, as an endpoint logs it. */
function logAt(ws: Workspace, at: string, n: number, tag: string): void {
  const log = new PredictionLog(ws.db, { maxPending: 1_000_000, flushMs: 60_000 });
  log.record({
    requestId: `extra-${tag}`,
    deploymentId: null,
    model: 'churn',
    version: 1,
    at,
    status: 200,
    latencyMs: 5,
    records: Array.from({ length: n }, (_, i) => ({
      recordId: `extra-${tag}-${i}`,
      input: { age: 30 + i, income: 40_000, city: 'a' },
      output: { label: 'yes' },
    })),
  });
  log.close();
}

describe('checking a prediction-log monitor reads only what changed', () => {
  it('after new predictions, only the new windows are read and written; the old files are untouched; a full re-read agrees', async () => {
    const dir = await project();
    logPredictions(dir, 'churn', DAYS.slice(0, 3), 100);
    const ws = Workspace.open(dir);
    try {
      await addMonitor(ws.dir, ws.db, {
        name: 'live',
        reference: 'data/train.csv',
        predictions: { model: 'churn', window: 'day' },
        target: 'label',
      });
      const first = await check(ws, 'live');
      expect(first.batches.map((b) => b.label)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07']);
      expect(first.scan).toEqual({ full: true, windowsRead: 3, rowsRead: 300, filesWritten: 3, skipped: 0 });
      const old = first.batches.map((b) => windowFile(ws, 'live', b.label));
      old.forEach(age);

      // Nothing new: nothing read, nothing written, every window counted unchanged.
      const idle = await check(ws, 'live');
      expect(idle).toMatchObject({
        batches: [],
        unchanged: 3,
        scan: { full: false, windowsRead: 0, rowsRead: 0, filesWritten: 0, skipped: 3 },
      });

      // Two more days arrive.
      logPredictions(dir, 'churn', DAYS.slice(3), 100);
      const next = await check(ws, 'live');
      expect(next.batches.map((b) => [b.label, b.rows])).toEqual([
        ['2026-01-08', 100],
        ['2026-01-09', 100],
      ]);
      expect(next.unchanged).toBe(3);
      expect(next.scan).toEqual({ full: false, windowsRead: 2, rowsRead: 200, filesWritten: 2, skipped: 3 });
      expect(next.batches[1]!.serving).toMatchObject({ requests: 10 + DAYS[4]!.failures, errors: DAYS[4]!.failures });
      for (const f of old) expect(statSync(f).mtimeMs).toBe(LONG_AGO.getTime());

      // Without its marks the check reads the whole log, as every check did before: it finds every
      // file as the incremental checks left it (nothing rewritten) and nothing new to record.
      const files = () =>
        ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'].map((d) =>
          readFileSync(windowFile(ws, 'live', d), 'utf8'),
        );
      const before = files();
      ws.db.prepare(`DELETE FROM monitor_log_marks`).run();
      const full = await check(ws, 'live');
      expect(full).toMatchObject({
        batches: [],
        unchanged: 5,
        scan: { full: true, windowsRead: 5, rowsRead: 500, filesWritten: 0, skipped: 0 },
      });
      expect(files()).toEqual(before);
      for (const f of old) expect(statSync(f).mtimeMs).toBe(LONG_AGO.getTime());

      // A window file removed by hand is written again (same content, so not checked again).
      const gone = windowFile(ws, 'live', '2026-01-06');
      const text = readFileSync(gone, 'utf8');
      unlinkSync(gone);
      expect(await check(ws, 'live')).toMatchObject({
        batches: [],
        unchanged: 5,
        scan: { full: false, windowsRead: 1, rowsRead: 100, filesWritten: 1, skipped: 4 },
      });
      expect(readFileSync(gone, 'utf8')).toBe(text);
    } finally {
      ws.close();
    }
  }, 60_000);

  it('labels joined later for an old window re-check that window alone, with its performance; a relabel does it again', async () => {
    const dir = await project();
    const truth = logPredictions(dir, 'churn', DAYS, 100);
    const ws = Workspace.open(dir);
    try {
      await addMonitor(ws.dir, ws.db, {
        name: 'live',
        reference: 'data/train.csv',
        predictions: { model: 'churn', window: 'day' },
        target: 'label',
        rules: ['accuracy < 0.8'],
      });
      const first = await check(ws, 'live');
      expect(first.batches).toHaveLength(5);
      expect(first.batches.every((b) => b.performance === null)).toBe(true);
      first.batches.forEach((b) => age(windowFile(ws, 'live', b.label)));

      // The truth for day 5 (accuracy 0.6 there) arrives.
      const day5 = [...truth.keys()].filter((id) => id.startsWith('2026-01-09'));
      writeFileSync(path.join(dir, 'outcomes.csv'), labelsCsv(truth, day5));
      expect(
        await joinLabels(dir, ws.db, { model: 'churn', file: 'outcomes.csv', idColumn: 'id', targetColumn: 'outcome' }),
      ).toMatchObject({ labeledPredictions: 100 });
      const labeled = await check(ws, 'live');
      expect(labeled.batches.map((b) => b.label)).toEqual(['2026-01-09']);
      expect(labeled.scan).toEqual({ full: false, windowsRead: 1, rowsRead: 100, filesWritten: 1, skipped: 4 });
      expect(labeled.unchanged).toBe(4);
      const accuracy = labeled.batches[0]!.performance!.metrics.accuracy!;
      expect(accuracy).toBeLessThan(0.8);
      expect(labeled.alerts.map((a) => [a.batch, a.rule])).toEqual([['2026-01-09', 'accuracy < 0.8']]);
      expect(readFileSync(windowFile(ws, 'live', '2026-01-09'), 'utf8').split('\n')[0]).toBe(
        'age,income,city,prediction,label',
      );
      for (const d of ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08'])
        expect(statSync(windowFile(ws, 'live', d)).mtimeMs).toBe(LONG_AGO.getTime());

      // One label corrected (forced): the window is read again and its accuracy moves by one record in 100.
      const fixed = day5.find((id) => truth.get(id) === 'yes')!;
      writeFileSync(path.join(dir, 'fix.csv'), `id,outcome\n${fixed},no\n`);
      expect(
        await joinLabels(dir, ws.db, {
          model: 'churn',
          file: 'fix.csv',
          idColumn: 'id',
          targetColumn: 'outcome',
          force: true,
        }),
      ).toMatchObject({ relabeled: 1 });
      const relabeled = await check(ws, 'live');
      expect(relabeled.batches.map((b) => b.label)).toEqual(['2026-01-09']);
      expect(relabeled.scan).toMatchObject({ windowsRead: 1, rowsRead: 100, skipped: 4 });
      expect(Math.abs(relabeled.batches[0]!.performance!.metrics.accuracy! - accuracy)).toBeCloseTo(0.01, 10);

      // Joining the same label again changes no row: nothing is read.
      expect(
        await joinLabels(dir, ws.db, {
          model: 'churn',
          file: 'fix.csv',
          idColumn: 'id',
          targetColumn: 'outcome',
          force: true,
        }),
      ).toMatchObject({ labeledPredictions: 0, alreadyLabeled: 1 });
      expect(await check(ws, 'live')).toMatchObject({
        batches: [],
        unchanged: 5,
        scan: { full: false, windowsRead: 0, rowsRead: 0 },
      });
    } finally {
      ws.close();
    }
  }, 60_000);

  it('a window still open is not checked, even when predictions keep arriving in it; once closed it is, without new predictions', async () => {
    const dir = await project();
    logPredictions(dir, 'churn', DAYS.slice(0, 3), 100);
    const ws = Workspace.open(dir);
    try {
      await addMonitor(ws.dir, ws.db, {
        name: 'live',
        reference: 'data/train.csv',
        predictions: { model: 'churn', window: 'day' },
      });
      const noon = await check(ws, 'live', new Date('2026-01-07T12:00:00Z'));
      expect(noon.batches.map((b) => b.label)).toEqual(['2026-01-05', '2026-01-06']);

      // More predictions the same afternoon: still open, so nothing is checked or read.
      logAt(ws, '2026-01-07T13:00:00.000Z', 7, 'afternoon');
      const later = await check(ws, 'live', new Date('2026-01-07T14:00:00Z'));
      expect(later).toMatchObject({ batches: [], unchanged: 2, scan: { windowsRead: 0, rowsRead: 0, skipped: 2 } });

      // Midnight passes with nothing logged: the day is closed and checked whole.
      const midnight = await check(ws, 'live', new Date('2026-01-08T00:00:00Z'));
      expect(midnight.batches.map((b) => [b.label, b.rows])).toEqual([['2026-01-07', 107]]);
      expect(midnight.scan).toEqual({ full: false, windowsRead: 1, rowsRead: 107, filesWritten: 1, skipped: 2 });

      // A prediction logged late into a closed day (a delayed flush) changes that day: it is read and checked again.
      logAt(ws, '2026-01-06T23:59:59.999Z', 1, 'late');
      const late = await check(ws, 'live', new Date('2026-01-08T00:00:00Z'));
      expect(late.batches.map((b) => [b.label, b.rows])).toEqual([['2026-01-06', 101]]);
      expect(late.scan).toMatchObject({ windowsRead: 1, rowsRead: 101, skipped: 2 });
    } finally {
      ws.close();
    }
  }, 60_000);

  it('record windows: new records fill the open window and the next; labels re-check the window holding them', async () => {
    const dir = await project();
    const truth = logPredictions(dir, 'churn', DAYS.slice(0, 2), 100);
    const ws = Workspace.open(dir);
    try {
      await addMonitor(ws.dir, ws.db, {
        name: 'by-80',
        reference: 'data/train.csv',
        predictions: { model: 'churn', window: 80 },
        target: 'label',
      });
      const first = await check(ws, 'by-80');
      expect(first.batches.map((b) => b.label)).toEqual(['records-1-80', 'records-81-160']);

      // 100 more: records 161-240 close, 241-300 wait. Only the 40 already logged and the new 100 are read.
      logPredictions(dir, 'churn', DAYS.slice(2, 3), 100);
      const next = await check(ws, 'by-80');
      expect(next.batches.map((b) => [b.label, b.rows])).toEqual([['records-161-240', 80]]);
      expect(next.scan).toEqual({ full: false, windowsRead: 1, rowsRead: 80, filesWritten: 1, skipped: 2 });
      // The open one on demand, then nothing new.
      const open = await check(ws, 'by-80', AFTER, true);
      expect(open.batches.map((b) => [b.label, b.rows])).toEqual([['records-241-320', 60]]);
      expect(open.unchanged).toBe(3);
      expect(await check(ws, 'by-80', AFTER, true)).toMatchObject({ batches: [], unchanged: 4, scan: { rowsRead: 0 } });

      // Labels for the first day's records 1-100 re-check the two windows holding them.
      const dayOne = [...truth.keys()].filter((id) => id.startsWith('2026-01-05'));
      writeFileSync(path.join(dir, 'outcomes.csv'), labelsCsv(truth, dayOne));
      await joinLabels(dir, ws.db, { model: 'churn', file: 'outcomes.csv', idColumn: 'id', targetColumn: 'outcome' });
      const labeled = await check(ws, 'by-80');
      expect(labeled.batches.map((b) => b.label)).toEqual(['records-1-80', 'records-81-160']);
      expect(labeled.scan).toEqual({ full: false, windowsRead: 2, rowsRead: 160, filesWritten: 2, skipped: 1 });
      expect(labeled.batches[0]!.performance).not.toBeNull();
    } finally {
      ws.close();
    }
  }, 60_000);

  it('reads the whole log again when predictions were deleted or logged with another time format', async () => {
    const dir = await project();
    logPredictions(dir, 'churn', DAYS.slice(0, 3), 100);
    const ws = Workspace.open(dir);
    try {
      await addMonitor(ws.dir, ws.db, {
        name: 'live',
        reference: 'data/train.csv',
        predictions: { model: 'churn', window: 'day' },
      });
      await check(ws, 'live');

      // A request removed (its predictions go with it): day 2 has 10 fewer rows and is checked again.
      ws.db.prepare(`DELETE FROM prediction_requests WHERE request_id = '2026-01-06-q0'`).run();
      const pruned = await check(ws, 'live');
      expect(pruned.scan).toMatchObject({ full: true, rowsRead: 290, filesWritten: 1 });
      expect(pruned.batches.map((b) => [b.label, b.rows])).toEqual([['2026-01-06', 90]]);
      expect(await check(ws, 'live')).toMatchObject({ batches: [], scan: { full: false, rowsRead: 0 } });

      // A time with an offset: 2026-01-08T01:00+02:00 is 2026-01-07T23:00Z, day 3 by time though not by text.
      logAt(ws, '2026-01-08T01:00:00+02:00', 3, 'offset');
      const offset = await check(ws, 'live');
      expect(offset.scan).toMatchObject({ full: true, rowsRead: 293 });
      expect(offset.batches.map((b) => [b.label, b.rows])).toEqual([['2026-01-07', 103]]);
      // From then on every check of this calendar monitor reads the whole log, as before.
      expect(await check(ws, 'live')).toMatchObject({
        batches: [],
        unchanged: 3,
        scan: { full: true, filesWritten: 0 },
      });
    } finally {
      ws.close();
    }
  }, 60_000);
});
