import { describe, expect, it } from 'vitest';
import { dbAt, tables } from '../helpers';

describe('migration 0004 monitors', () => {
  it('adds monitors and their checks with a status constraint', () => {
    const db = dbAt(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['monitors', 'monitor_checks']));
    db.prepare(`INSERT INTO monitors (name, kind) VALUES ('drift', 'data-drift')`).run();
    db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (1, 'alert')`).run();
    expect(() => db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (1, 'panic')`).run()).toThrow(
      /CHECK/,
    );
    expect(db.prepare('SELECT version FROM schema_history ORDER BY version').all()).toEqual(
      [1, 2, 3, 4].map((version) => ({ version })),
    );
  });
});
