import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt } from '../helpers';

describe('migration 0016 monitor serving', () => {
  it('adds serving_json to monitor batches, null for the batches already checked', () => {
    const db = dbAt(15);
    db.prepare(`INSERT INTO monitors (name, kind, config) VALUES ('weekly', 'drift', '{}')`).run();
    db.prepare(
      `INSERT INTO monitor_batches (monitor_id, label, path, hash, drift_share, share_threshold, dataset_drift, drifted_columns, tested_columns) VALUES (1, 'w1', 'b/w1.csv', ?, 0, 0.5, 0, 0, 3)`,
    ).run('a'.repeat(64));
    migrate(db, ':memory:');
    expect(columns(db, 'monitor_batches')).toContain('serving_json');
    expect(db.prepare('SELECT label, serving_json FROM monitor_batches').get()).toEqual({
      label: 'w1',
      serving_json: null,
    });
    db.prepare(`UPDATE monitor_batches SET serving_json = '{"requests":3}'`).run();
    expect(db.prepare('SELECT serving_json FROM monitor_batches').get()).toEqual({ serving_json: '{"requests":3}' });
  });
});
