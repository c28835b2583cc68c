import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { dbAt, tables } from '../helpers';

describe('migration 0007 latest-metrics', () => {
  it('backfills the latest value per metric and keeps it current on every insert', () => {
    const db = dbAt(6);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r', 1, 'r', 'running')`).run();
    const put = db.prepare(
      `INSERT OR REPLACE INTO run_metrics (run_id, key, step, value, at) VALUES ('r', ?, ?, ?, 'now')`,
    );
    put.run('loss', 0, 1.0);
    put.run('loss', 5, 0.5);
    put.run('loss', 3, 0.7);
    migrate(db, ':memory:');
    expect(tables(db)).toContain('run_latest_metrics');
    const latest = db.prepare(`SELECT key, step, value FROM run_latest_metrics ORDER BY key`);
    expect(latest.all()).toEqual([{ key: 'loss', step: 5, value: 0.5 }]);
    put.run('loss', 4, 0.6); // an older step does not replace the latest
    put.run('acc', 0, 0.9);
    put.run('loss', 9, 0.2);
    expect(latest.all()).toEqual([
      { key: 'acc', step: 0, value: 0.9 },
      { key: 'loss', step: 9, value: 0.2 },
    ]);
    put.run('loss', 9, 0.25); // rewriting the latest step updates it
    expect(db.prepare(`SELECT value FROM run_latest_metrics WHERE key = 'loss'`).get()).toEqual({ value: 0.25 });
    db.prepare(`DELETE FROM runs WHERE id = 'r'`).run();
    expect(latest.all()).toEqual([]);
  });
});
