// Runs in: main (core). Version 2: experiments and their runs, with params, metrics and tags.
import type { Migration } from './types';

export const migration0002: Migration = {
  version: 2,
  name: 'experiments-runs',
  up(db) {
    db.exec(`
      CREATE TABLE experiments (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE TABLE runs (
        id            TEXT PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE RESTRICT,
        name          TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled','interrupted')),
        started_at    TEXT,
        ended_at      TEXT,
        git_commit    TEXT,
        pid           INTEGER
      ) STRICT;
      CREATE INDEX runs_by_experiment ON runs(experiment_id, started_at);
      CREATE INDEX runs_by_status ON runs(status);
      CREATE TABLE run_params (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        value  TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) STRICT;
      CREATE TABLE run_metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        step   INTEGER NOT NULL,
        value  REAL NOT NULL,
        at     TEXT NOT NULL,
        PRIMARY KEY (run_id, key, step)
      ) STRICT;
      CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        value  TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) STRICT;
    `);
  },
};
