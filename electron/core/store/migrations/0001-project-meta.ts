// Runs in: main (core). Version 1: facts about the project and who wrote the database.
import type { Migration } from './types';

export const migration0001: Migration = {
  version: 1,
  name: 'project-meta',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE schema_history (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        app_version TEXT NOT NULL
      ) STRICT;
    `);
  },
};
