// Runs in: main (core). Version 18: for each tracked folder found unchanged by `data status`, a digest
// of its files' stats (path, size, mtime, inode) and of the cache's shard folders' stats at that
// moment. While both digests are the same, the next status knows the folder still matches its pointer
// and its objects are all still in the cache, without loading a stat-cache row or listing the cache.
import type { Migration } from './types';

export const migration0018: Migration = {
  version: 18,
  name: 'folder-stamps',
  up(db) {
    db.exec(`
      CREATE TABLE folder_stamps (
        path TEXT PRIMARY KEY,
        pointer_hash TEXT NOT NULL CHECK (length(pointer_hash) = 64),
        files_digest TEXT NOT NULL,
        cache_digest TEXT,
        stamped_at TEXT NOT NULL
      ) WITHOUT ROWID
    `);
  },
};
