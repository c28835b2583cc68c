import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0010 tracking-fields', () => {
  it('keeps existing metrics, derives each run source, and stores NaN and ±Infinity', () => {
    const db = dbAt(9);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, kind) VALUES ('p', 1, 'p', 'succeeded', 'pipeline'), ('s', 1, 's', 'succeeded', 'script')`,
    ).run();
    db.prepare(
      `INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('p', 'loss', 0, 0.5, 't'), ('p', 'loss', 1, 0.25, 't')`,
    ).run();
    migrate(db, ':memory:');
    expect(columns(db, 'runs')).toEqual(
      expect.arrayContaining(['source', 'git_dirty', 'parent_id', 'notes', 'starred']),
    );
    expect(columns(db, 'run_artifacts')).toEqual(expect.arrayContaining(['size', 'type']));
    expect(tables(db)).toContain('run_inputs');
    expect(db.prepare('SELECT id, source FROM runs ORDER BY id').all()).toEqual([
      { id: 'p', source: 'pipeline' },
      { id: 's', source: 'script' },
    ]);
    expect(db.prepare('SELECT step, value FROM run_metrics ORDER BY step').all()).toEqual([
      { step: 0, value: 0.5 },
      { step: 1, value: 0.25 },
    ]);
    expect(db.prepare(`SELECT value FROM run_latest_metrics WHERE run_id = 'p'`).get()).toEqual({ value: 0.25 });

    const put = db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('s', ?, 0, ?, 't')`);
    put.run('nan', Number.NaN);
    put.run('inf', Number.POSITIVE_INFINITY);
    put.run('ninf', Number.NEGATIVE_INFINITY);
    const latest = Object.fromEntries(
      (
        db.prepare(`SELECT key, value FROM run_latest_metrics WHERE run_id = 's'`).all() as {
          key: string;
          value: number | null;
        }[]
      ).map((r) => [r.key, r.value]),
    );
    expect(latest).toEqual({ nan: null, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY });
  });

  it('sets a child run parent to null when the parent is purged', () => {
    const db = dbAt(10);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('parent', 1, 'p', 'succeeded')`).run();
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, parent_id) VALUES ('child', 1, 'c', 'succeeded', 'parent')`,
    ).run();
    db.prepare(`DELETE FROM runs WHERE id = 'parent'`).run();
    expect(db.prepare(`SELECT parent_id FROM runs WHERE id = 'child'`).get()).toEqual({ parent_id: null });
  });
});
