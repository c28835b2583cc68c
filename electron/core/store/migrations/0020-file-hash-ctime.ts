// Runs in: main (core). Version 20: the stat cache (`file_hashes`) keeps each file's ctime too. An
// edit that keeps the size and puts the mtime back (`touch -r`, a restore tool, an editor that
// preserves times) leaves size, mtime and inode as they were, but the kernel moves the ctime on any
// write and no userland call can set it back. Rows made before this version have no ctime (''), so
// they never match: each file is hashed once more, then recorded with its ctime.
import type { Migration } from './types';

export const migration0020: Migration = {
  version: 20,
  name: 'file-hash-ctime',
  up(db) {
    db.exec(`ALTER TABLE file_hashes ADD COLUMN ctime_ns TEXT NOT NULL DEFAULT ''`);
  },
};
