import { describe, expect, it } from 'vitest';
import { dbAt, tables } from '../helpers';

describe('migration 0002 experiments-runs', () => {
  it('adds experiments, runs, params, metrics and tags on top of version 1', () => {
    const db = dbAt(2);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['experiments', 'runs', 'run_params', 'run_metrics', 'run_tags']),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(2);
  });

  it('enforces run status values and foreign keys, and cascades run data', () => {
    const db = dbAt(2);
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r1', 1, 'r', 'running')`).run();
    expect(() =>
      db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r2', 1, 'r', 'exploded')`).run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r3', 99, 'r', 'running')`).run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('r1', 'loss', 0, 0.5, 'now')`).run();
    expect(() =>
      db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('r1', 'loss', 0, 0.4, 'now')`).run(),
    ).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(`DELETE FROM runs WHERE id = 'r1'`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_metrics').get()).toEqual({ n: 0 });
    // STRICT tables refuse wrongly typed values.
    expect(() =>
      db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('r1', 'loss', 'x', 0.4, 'now')`).run(),
    ).toThrow();
  });
});
