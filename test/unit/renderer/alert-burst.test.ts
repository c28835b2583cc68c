// Runs in: tests (Node). Alerts arriving together for one monitor become one toast: which alerts join
// a burst (same monitor, within the window of the previous one), and what the toast says for one
// alert (as before) and for several (a count, a line each up to a limit, "and N more", the retraining run).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToBurst,
  alertLine,
  alertToastContent,
  BURST_MS,
  MAX_LINES,
  type AlertBurst,
  type AlertEvent,
} from '../../../renderer/src/sections/monitoring/alert-burst';

let nextId = 1;
function alert(over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: nextId++,
    monitor: 'loan-weekly',
    rule: 'accuracy < 0.7',
    message: 'accuracy is 0.62 (< 0.7) in week-05.csv',
    batch: 'week-05.csv',
    at: '2026-11-30T08:04:15.000Z',
    runId: null,
    ...over,
  };
}

/** The demo's check of 8 weeks: the accuracy rule on weeks 5–8 and the drift rule (which retrained) on week 6. */
function demoCheck(runId: string): AlertEvent[] {
  return [
    alert({ batch: 'week-05.csv', rule: 'accuracy < 0.7', message: 'accuracy is 0.62 (< 0.7) in week-05.csv' }),
    alert({
      batch: 'week-06.csv',
      rule: 'drift_share >= 0.5 for 2 retrain',
      message: 'drift_share is 0.8 (>= 0.5) in 2 batches in a row (week-05.csv, week-06.csv)',
      runId,
    }),
    alert({ batch: 'week-06.csv', rule: 'accuracy < 0.7', message: 'accuracy is 0.5675 (< 0.7) in week-06.csv' }),
    alert({ batch: 'week-07.csv', rule: 'accuracy < 0.7', message: 'accuracy is 0.62 (< 0.7) in week-07.csv' }),
    alert({ batch: 'week-08.csv', rule: 'accuracy < 0.7', message: 'accuracy is 0.6075 (< 0.7) in week-08.csv' }),
  ];
}

function burstOf(alerts: AlertEvent[], times: number[]): AlertBurst {
  let burst: AlertBurst | undefined;
  alerts.forEach((a, i) => (burst = addToBurst(burst, a, times[i]!)));
  return burst!;
}

describe('addToBurst', () => {
  it('starts a burst with the first alert', () => {
    const a = alert();
    expect(addToBurst(undefined, a, 1000)).toEqual({ monitor: 'loan-weekly', alerts: [a], last: 1000 });
  });

  it('gathers the alerts of one check, arriving together, in their order', () => {
    const alerts = demoCheck('run-1');
    const burst = burstOf(alerts, [1000, 1000, 1001, 1003, 1003]);
    expect(burst.alerts).toEqual(alerts);
    expect(burst.last).toBe(1003);
  });

  it('measures the window from the newest alert, so a steady trickle stays one burst', () => {
    const burst = burstOf([alert(), alert(), alert()], [0, BURST_MS, 2 * BURST_MS]);
    expect(burst.alerts).toHaveLength(3);
  });

  it('starts afresh after a pause longer than the window', () => {
    const first = addToBurst(undefined, alert(), 0);
    const late = alert();
    expect(addToBurst(first, late, BURST_MS + 1)).toEqual({
      monitor: 'loan-weekly',
      alerts: [late],
      last: BURST_MS + 1,
    });
  });

  it("keeps another monitor's alert out", () => {
    const first = addToBurst(undefined, alert(), 0);
    const other = alert({ monitor: 'iris-weekly' });
    expect(addToBurst(first, other, 10)).toEqual({ monitor: 'iris-weekly', alerts: [other], last: 10 });
  });

  it('starts afresh when the clock went back', () => {
    const first = addToBurst(undefined, alert(), 5000);
    expect(addToBurst(first, alert(), 4000).alerts).toHaveLength(1);
  });

  it('does not change the burst it is given', () => {
    const first = addToBurst(undefined, alert(), 0);
    addToBurst(first, alert(), 1);
    expect(first.alerts).toHaveLength(1);
  });
});

describe('alertToastContent', () => {
  it('keeps the look of a single alert: its message, then its rule', () => {
    const a = alert();
    expect(alertToastContent({ monitor: 'loan-weekly', alerts: [a] })).toEqual({
      title: 'Monitor loan-weekly: alert',
      message: a.message,
      hint: 'Rule: accuracy < 0.7',
    });
  });

  it('says when a single alert started retraining instead of its rule', () => {
    expect(alertToastContent({ monitor: 'm', alerts: [alert({ runId: 'run-7' })] }).hint).toBe(
      'Retraining started: run run-7.',
    );
  });

  it("counts the demo check's five alerts, lists the first three by batch and rule, and keeps the retraining run", () => {
    expect(alertToastContent({ monitor: 'loan-weekly', alerts: demoCheck('run-20261130-080415-308463') })).toEqual({
      title: 'Monitor loan-weekly: 5 alerts',
      message: '',
      lines: [
        'week-05.csv: accuracy < 0.7',
        'week-06.csv: drift_share >= 0.5 for 2 retrain',
        'week-06.csv: accuracy < 0.7',
      ],
      more: 'and 2 more',
      hint: 'Retraining started: run run-20261130-080415-308463.',
    });
  });

  it('lists every alert rather than saying "and 1 more"', () => {
    const content = alertToastContent({ monitor: 'm', alerts: [alert(), alert(), alert(), alert()] });
    expect(content.lines).toHaveLength(4);
    expect(content.more).toBeUndefined();
    expect(content.hint).toBeUndefined();
  });

  it('names each run once when the alerts of a burst started more than one', () => {
    const content = alertToastContent({
      monitor: 'm',
      alerts: [alert({ runId: 'a' }), alert({ runId: 'a' }), alert({ runId: 'b' })],
    });
    expect(content.hint).toBe('Retraining started: runs a, b.');
  });

  it('gives the rule alone for an alert without a batch', () => {
    expect(alertLine(alert({ batch: null, rule: 'error_rate > 0.1' }))).toBe('error_rate > 0.1');
  });

  it('refuses an empty burst', () => {
    expect(() => alertToastContent({ monitor: 'm', alerts: [] })).toThrow(/at least one alert/);
  });

  it('accounts for every alert of a burst: lines shown plus "and N more", never more than the limit and a spare', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), (n) => {
        const content = alertToastContent({ monitor: 'm', alerts: Array.from({ length: n }, () => alert()) });
        const more = content.more ? Number(/^and (\d+) more$/.exec(content.more)![1]) : 0;
        expect(content.title).toBe(`Monitor m: ${n} alerts`);
        expect(content.lines!.length + more).toBe(n);
        expect(content.lines!.length).toBeLessThanOrEqual(MAX_LINES + 1);
        if (content.more) expect(more).toBeGreaterThan(1);
      }),
    );
  });
});
