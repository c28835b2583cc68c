// Runs in: main (core). Version 4: monitors and the history of their checks.
import type { Migration } from './types';

export const migration0004: Migration = {
  version: 4,
  name: 'monitors',
  up(db) {
    db.exec(`
      CREATE TABLE monitors (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL,
        config     TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE TABLE monitor_checks (
        id         INTEGER PRIMARY KEY,
        monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
        status     TEXT NOT NULL CHECK (status IN ('ok','warning','alert')),
        summary    TEXT NOT NULL DEFAULT '{}',
        ran_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX monitor_checks_latest ON monitor_checks(monitor_id, ran_at);
    `);
  },
};
