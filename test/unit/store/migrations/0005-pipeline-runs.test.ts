import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0005 pipeline-runs', () => {
  it('adds run kind and trigger, stage records, artifacts and the file hash cache', () => {
    const db = dbAt(5);
    expect(tables(db)).toEqual(expect.arrayContaining(['run_stages', 'run_artifacts', 'file_hashes']));
    expect(columns(db, 'runs')).toEqual(expect.arrayContaining(['kind', 'trigger']));
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r', 1, 'r', 'running')`).run();
    expect(db.prepare(`SELECT kind, trigger FROM runs WHERE id = 'r'`).get()).toEqual({
      kind: 'script',
      trigger: 'manual',
    });
    db.prepare(`INSERT INTO run_stages (run_id, stage, position, status) VALUES ('r', 'train', 0, 'queued')`).run();
    expect(() =>
      db.prepare(`INSERT INTO run_stages (run_id, stage, position, status) VALUES ('r', 'x', 1, 'exploded')`).run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE runs SET kind = 'other' WHERE id = 'r'`).run()).toThrow(/CHECK/);
    db.prepare(`DELETE FROM runs WHERE id = 'r'`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_stages').get()).toEqual({ n: 0 });
  });

  it('upgrades a version 4 database that already holds runs', () => {
    const db = dbAt(4);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('old', 1, 'old', 'succeeded')`).run();
    migrate(db, ':memory:');
    expect(db.prepare(`SELECT id, kind FROM runs`).all()).toEqual([{ id: 'old', kind: 'script' }]);
  });
});
