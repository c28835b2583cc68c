import { describe, expect, it } from 'vitest';
import { columns, dbAt } from '../helpers';

describe('migration 0009 soft-delete', () => {
  it('adds deleted_at to runs, empty for every existing run', () => {
    const db = dbAt(9);
    expect(columns(db, 'runs')).toContain('deleted_at');
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r', 1, 'r', 'succeeded')`).run();
    expect(db.prepare('SELECT deleted_at FROM runs').get()).toEqual({ deleted_at: null });
  });
});
