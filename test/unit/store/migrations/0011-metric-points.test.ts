import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { dbAt } from '../helpers';

describe('migration 0011 metric-points', () => {
  it('keeps every point, several at one step too, and the latest by step then time', () => {
    const db = dbAt(10);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r', 1, 'r', 'running')`).run();
    db.prepare(
      `INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('r', 'loss', 0, 1.0, '2026-01-01T00:00:00.000Z'), ('r', 'loss', 1, 0.5, '2026-01-01T00:00:01.000Z')`,
    ).run();
    migrate(db, ':memory:');
    const put = db.prepare(
      `INSERT OR REPLACE INTO run_metrics (run_id, key, step, value, at) VALUES ('r', ?, ?, ?, ?)`,
    );
    put.run('acc', 0, 0.1, '2026-01-01T00:00:02.000Z');
    put.run('acc', 0, 0.2, '2026-01-01T00:00:03.000Z');
    put.run('acc', 0, 0.15, '2026-01-01T00:00:01.000Z'); // older time at the same step: history only
    expect(db.prepare(`SELECT step, value FROM run_metrics WHERE key = 'acc' ORDER BY step, at`).all()).toEqual([
      { step: 0, value: 0.15 },
      { step: 0, value: 0.1 },
      { step: 0, value: 0.2 },
    ]);
    expect(db.prepare(`SELECT key, value FROM run_latest_metrics ORDER BY key`).all()).toEqual([
      { key: 'acc', value: 0.2 },
      { key: 'loss', value: 0.5 },
    ]);
    put.run('acc', 0, 0.25, '2026-01-01T00:00:03.000Z'); // same step and time: replaces
    expect(db.prepare(`SELECT COUNT(*) AS n FROM run_metrics WHERE key = 'acc'`).get()).toEqual({ n: 3 });
    expect(db.prepare(`SELECT value FROM run_latest_metrics WHERE key = 'acc'`).get()).toEqual({ value: 0.25 });
  });
});
