// Runs in: main (core). Version 17: cache objects whose bytes were hashed and matched their name,
// with the object file's stat at that moment (size, mtime and ctime in ns, inode). While the stat is
// the same, a checkout copies the object without reading it twice; any write to the object, even one
// that puts the mtime back, moves its ctime and sends it through the hash again.
import type { Migration } from './types';

export const migration0017: Migration = {
  version: 17,
  name: 'verified-objects',
  up(db) {
    db.exec(`
      CREATE TABLE verified_objects (
        hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
        size INTEGER NOT NULL,
        mtime_ns TEXT NOT NULL,
        ctime_ns TEXT NOT NULL,
        ino TEXT NOT NULL,
        verified_at TEXT NOT NULL
      ) WITHOUT ROWID
    `);
  },
};
