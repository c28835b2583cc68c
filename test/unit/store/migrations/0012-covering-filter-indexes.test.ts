import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { dbAt } from '../helpers';

const plan = (db: ReturnType<typeof dbAt>, sql: string, ...params: unknown[]): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');

describe('migration 0012 covering-filter-indexes', () => {
  it('lets filters read run ids from the metric, param and tag indexes alone, keeping every row', () => {
    const db = dbAt(10);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    for (const id of ['a', 'b'])
      db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES (?, 1, ?, 'succeeded')`).run(id, id);
    db.prepare(
      `INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('a', 'acc', 0, 0.9, 'now'), ('b', 'acc', 0, NULL, 'now')`,
    ).run();
    db.prepare(`INSERT INTO run_params (run_id, key, value) VALUES ('a', 'lr', '0.1'), ('b', 'lr', 'high')`).run();
    db.prepare(`INSERT INTO run_tags (run_id, key, value) VALUES ('a', 'team', 'x')`).run();
    const metric = `SELECT run_id FROM run_latest_metrics WHERE key = ? AND value > ?`;
    const param = `SELECT run_id FROM run_params WHERE key = ? AND value = ?`;
    const number = `SELECT run_id FROM run_params WHERE key = ? AND num < ?`;
    const tag = `SELECT run_id FROM run_tags WHERE key = ? AND value = ?`;
    expect(plan(db, metric, 'acc', 0.5)).not.toContain('COVERING');
    migrate(db, ':memory:');
    expect(plan(db, metric, 'acc', 0.5)).toContain('USING COVERING INDEX run_latest_metrics_by_key');
    expect(plan(db, param, 'lr', '0.1')).toContain('USING COVERING INDEX run_params_by_key');
    expect(plan(db, number, 'lr', 1)).toContain('USING COVERING INDEX run_params_by_number');
    expect(plan(db, tag, 'team', 'x')).toContain('USING COVERING INDEX run_tags_by_key');
    expect(db.prepare(metric).all('acc', 0.5)).toEqual([{ run_id: 'a' }]);
    expect(db.prepare(number).all('lr', 1)).toEqual([{ run_id: 'a' }]);
    expect(db.prepare(param).all('lr', 'high')).toEqual([{ run_id: 'b' }]);
    expect(db.prepare(tag).all('team', 'x')).toEqual([{ run_id: 'a' }]);
    // The trigger-kept latest value still moves its index entry.
    db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('b', 'acc', 1, 0.95, 'now')`).run();
    expect(db.prepare(metric).all('acc', 0.5)).toEqual([{ run_id: 'a' }, { run_id: 'b' }]);
  });
});
