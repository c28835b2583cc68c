// Runs in: main (core). Version 9: deleting a run only marks it (restorable) until it is purged.
import type { Migration } from './types';

export const migration0009: Migration = {
  version: 9,
  name: 'soft-delete',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN deleted_at TEXT;
      CREATE INDEX runs_live ON runs (deleted_at, started_at);
    `);
  },
};
