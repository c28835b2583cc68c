import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0014 monitor-batches', () => {
  it('keeps existing monitors, adds batches (one per path and content) and alerts, removed with their monitor', () => {
    const db = dbAt(13);
    db.prepare(
      `INSERT INTO monitors (name, kind, config) VALUES ('weekly', 'drift', '{"model":"churn@champion"}')`,
    ).run();
    db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (1, 'ok')`).run();
    migrate(db, ':memory:');
    expect(tables(db)).toEqual(expect.arrayContaining(['monitor_batches', 'monitor_alerts']));
    expect(columns(db, 'monitor_batches')).toEqual(
      expect.arrayContaining([
        'label',
        'path',
        'hash',
        'checked_at',
        'drift_share',
        'dataset_drift',
        'drifted_columns',
        'columns_json',
        'performance_json',
        'report_path',
      ]),
    );
    expect(db.prepare(`SELECT name, config FROM monitors`).get()).toEqual({
      name: 'weekly',
      config: '{"model":"churn@champion"}',
    });
    const h = 'a'.repeat(64);
    const insert = db.prepare(
      `INSERT INTO monitor_batches (monitor_id, label, path, hash, drift_share, share_threshold, dataset_drift, drifted_columns, tested_columns) VALUES (1, 'w1', 'batches/w1.csv', ?, 0.25, 0.5, 0, 1, 4)`,
    );
    insert.run(h);
    expect(() => insert.run(h)).toThrow(/UNIQUE/);
    insert.run('b'.repeat(64));
    expect(() => insert.run('short')).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO monitor_alerts (monitor_id, batch_id, rule, message, value, threshold) VALUES (1, 2, 'drift_share >= 0.5', 'm', 0.6, 0.5)`,
    ).run();
    expect(db.prepare(`SELECT acknowledged_at, run_id, at FROM monitor_alerts`).get()).toEqual({
      acknowledged_at: null,
      run_id: null,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    db.prepare(`DELETE FROM monitors WHERE id = 1`).run();
    expect(
      db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM monitor_batches) + (SELECT COUNT(*) FROM monitor_alerts) + (SELECT COUNT(*) FROM monitor_checks) AS n`,
        )
        .get(),
    ).toEqual({ n: 0 });
  });
});
