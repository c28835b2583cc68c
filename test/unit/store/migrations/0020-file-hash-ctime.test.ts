import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt } from '../helpers';

describe('migration 0020 file hash ctime', () => {
  it('adds a ctime_ns column to file_hashes; existing rows get an empty one that matches no stat', () => {
    const db = dbAt(19);
    db.prepare(
      `INSERT INTO file_hashes (path, size, mtime_ns, ino, hash) VALUES ('data/a.csv', 3, '1', '2', 'h')`,
    ).run();
    migrate(db, ':memory:');
    expect(columns(db, 'file_hashes')).toEqual(['path', 'size', 'mtime_ns', 'ino', 'hash', 'ctime_ns']);
    expect(db.prepare('SELECT ctime_ns FROM file_hashes').get()).toEqual({ ctime_ns: '' });
    db.prepare(
      `INSERT INTO file_hashes (path, size, mtime_ns, ino, hash, ctime_ns) VALUES ('b', 1, '1', '1', 'h', '5')`,
    ).run();
    expect(db.prepare(`SELECT ctime_ns FROM file_hashes WHERE path = 'b'`).get()).toEqual({ ctime_ns: '5' });
  });
});
