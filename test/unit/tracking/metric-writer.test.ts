import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { MetricWriter, type MetricPoint } from '../../../electron/core/tracking/metric-writer';

function db(): BetterSqlite3.Database {
  const d = new BetterSqlite3(':memory:');
  migrate(d, ':memory:');
  d.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
  for (const id of ['a', 'b'])
    d.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES (?, 1, ?, 'running')`).run(id, id);
  return d;
}

describe('MetricWriter', () => {
  it('numbers steps per run and key, after the stored ones and after explicit ones', () => {
    const d = db();
    d.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('a', 'loss', 7, 1, 'then')`).run();
    const w = new MetricWriter(d, { flushMs: 60_000 });
    w.add({ runId: 'a', key: 'loss', value: 0.5 });
    w.add({ runId: 'b', key: 'loss', value: 0.4 });
    w.add({ runId: 'a', key: 'acc', value: 0.1, step: 10 });
    w.add({ runId: 'a', key: 'acc', value: 0.2 });
    w.add({ runId: 'a', key: 'loss', value: 0.3, step: 2 });
    w.add({ runId: 'a', key: 'loss', value: 0.2 });
    w.flush();
    expect(
      d.prepare('SELECT run_id, key, step, value FROM run_metrics ORDER BY run_id, key, step').raw().all(),
    ).toEqual([
      ['a', 'acc', 10, 0.1],
      ['a', 'acc', 11, 0.2],
      ['a', 'loss', 2, 0.3],
      ['a', 'loss', 7, 1],
      ['a', 'loss', 8, 0.5],
      ['a', 'loss', 9, 0.2],
      ['b', 'loss', 0, 0.4],
    ]);
    w.forget('a');
    w.add({ runId: 'a', key: 'loss', value: 0.1 });
    w.flush();
    expect(d.prepare(`SELECT MAX(step) AS s FROM run_metrics WHERE run_id = 'a' AND key = 'loss'`).get()).toEqual({
      s: 10,
    });
  });

  it('flushes every maxPending points and tells the last point per run and key, in order of first appearance', () => {
    const d = db();
    const told: Required<MetricPoint>[][] = [];
    const w = new MetricWriter(d, { maxPending: 5, flushMs: 60_000, onFlushed: (latest) => told.push(latest) });
    const seq: [string, string, number][] = [
      ['a', 'loss', 1],
      ['a', 'loss', 2],
      ['b', 'loss', 3],
      ['a', 'acc', 4],
      ['a', 'loss', 5],
      ['b', 'loss', 6],
    ];
    for (const [runId, key, value] of seq) w.add({ runId, key, value, at: '2026-01-01T00:00:00.000Z' });
    expect(told.map((b) => b.map((p) => [p.runId, p.key, p.value]))).toEqual([
      [
        ['a', 'loss', 5],
        ['b', 'loss', 3],
        ['a', 'acc', 4],
      ],
    ]);
    expect(w.waiting).toBe(1);
    w.flush();
    expect(told[1]!.map((p) => [p.runId, p.key, p.value, p.step])).toEqual([['b', 'loss', 6, 1]]);
    expect(d.prepare('SELECT COUNT(*) AS n FROM run_metrics').get()).toEqual({ n: 6 });
  });

  it('refuses a bad key at once, every time', () => {
    const w = new MetricWriter(db(), { flushMs: 60_000 });
    for (let i = 0; i < 2; i++)
      expect(() => w.add({ runId: 'a', key: 'bad\nkey', value: 1 })).toThrow('has characters a key cannot have');
    expect(w.waiting).toBe(0);
  });
  it('stores a large batch exactly as one INSERT per point would, duplicates, NaN and latest included', () => {
    // Several statements' worth of points and a tail, across two runs and keys, with the same
    // (run, key, step, time) given twice, once within a statement's rows and once across two, and
    // steps that go back: the later point replaces the earlier and the latest follows the order.
    const points: Required<MetricPoint>[] = [];
    for (let i = 0; i < 300; i++) {
      const runId = i % 7 === 0 ? 'b' : 'a';
      const key = i % 3 === 0 ? 'acc' : 'loss';
      points.push({ runId, key, step: i % 50, value: i % 11 === 0 ? Number.NaN : i / 300, at: `t${i % 4}` });
    }
    points.push({ ...points[10]!, value: 0.123 }, { ...points[200]!, value: 0.456 });
    const expected = db();
    const one = expected.prepare(
      'INSERT OR REPLACE INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)',
    );
    for (const p of points) one.run(p.runId, p.key, p.step, p.value, p.at);
    const d = db();
    const w = new MetricWriter(d, { maxPending: 1000, flushMs: 60_000 });
    for (const p of points) w.add(p);
    w.flush();
    const rows = (x: BetterSqlite3.Database, table: string) =>
      x.prepare(`SELECT run_id, key, step, at, value FROM ${table} ORDER BY run_id, key, step, at`).raw().all();
    expect(rows(d, 'run_metrics')).toEqual(rows(expected, 'run_metrics'));
    expect(rows(d, 'run_latest_metrics')).toEqual(rows(expected, 'run_latest_metrics'));
    expect(d.prepare('SELECT path, claim FROM record_dirty ORDER BY path').all()).toEqual(
      expected.prepare('SELECT path, claim FROM record_dirty ORDER BY path').all(),
    );
    expect(rows(d, 'run_metrics').length).toBeGreaterThan(100);
  });
});
