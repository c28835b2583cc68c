import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { MIGRATIONS } from '../../../../electron/core/store/migrations';
import { dbAt } from '../helpers';

describe('migration 0008 param-numbers', () => {
  it('backfills and keeps a numeric copy of every param that reads as a number', () => {
    const db = dbAt(7);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r', 1, 'r', 'running')`).run();
    db.prepare(`INSERT INTO run_params (run_id, key, value) VALUES ('r', 'lr', '0.5'), ('r', 'model', 'rf')`).run();
    migrate(
      db,
      ':memory:',
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    const nums = db.prepare('SELECT key, num FROM run_params ORDER BY key');
    expect(nums.all()).toEqual([
      { key: 'lr', num: 0.5 },
      { key: 'model', num: null },
    ]);
    db.prepare(
      `INSERT OR REPLACE INTO run_params (run_id, key, value) VALUES ('r', 'epochs', '1e3'), ('r', 'lr', 'auto')`,
    ).run();
    db.prepare(`UPDATE run_params SET value = '42' WHERE key = 'model'`).run();
    expect(nums.all()).toEqual([
      { key: 'epochs', num: 1000 },
      { key: 'lr', num: null },
      { key: 'model', num: 42 },
    ]);
  });
});
