import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0018 folder stamps', () => {
  it('adds an empty folder_stamps table keyed by path, with an optional cache digest', () => {
    const db = dbAt(17);
    expect(tables(db)).not.toContain('folder_stamps');
    migrate(db, ':memory:');
    expect(columns(db, 'folder_stamps')).toEqual([
      'path',
      'pointer_hash',
      'files_digest',
      'cache_digest',
      'stamped_at',
    ]);
    const put = db.prepare(
      `INSERT INTO folder_stamps (path, pointer_hash, files_digest, cache_digest, stamped_at) VALUES (?, ?, 'f', NULL, 'now')`,
    );
    put.run('data', 'a'.repeat(64));
    expect(() => put.run('data', 'b'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => put.run('other', 'short')).toThrow(/CHECK/);
  });
});
