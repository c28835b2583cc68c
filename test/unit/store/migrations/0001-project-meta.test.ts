import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../../../electron/core/store/migrations/0001-project-meta';
import { dbAt, tables } from '../helpers';

describe('migration 0001 project-meta', () => {
  it('creates meta and schema_history from an empty database and records itself', () => {
    expect(migration0001.version).toBe(1);
    const db = dbAt(1);
    expect(tables(db)).toEqual(['meta', 'schema_history']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare('SELECT version, name FROM schema_history').all()).toEqual([
      { version: 1, name: 'project-meta' },
    ]);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('k', 'v');
    expect(() => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('k', 'w')).toThrow(/UNIQUE/);
  });
});
