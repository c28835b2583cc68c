import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0017 verified objects', () => {
  it('adds an empty verified_objects table keyed by hash, refusing ids that are not sha256 hex length', () => {
    const db = dbAt(16);
    expect(tables(db)).not.toContain('verified_objects');
    migrate(db, ':memory:');
    expect(columns(db, 'verified_objects')).toEqual(['hash', 'size', 'mtime_ns', 'ctime_ns', 'ino', 'verified_at']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM verified_objects').get()).toEqual({ n: 0 });
    const put = db.prepare(
      `INSERT INTO verified_objects (hash, size, mtime_ns, ctime_ns, ino, verified_at) VALUES (?, 1, '1', '2', '3', 'now')`,
    );
    put.run('a'.repeat(64));
    expect(() => put.run('a'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => put.run('short')).toThrow(/CHECK/);
  });
});
