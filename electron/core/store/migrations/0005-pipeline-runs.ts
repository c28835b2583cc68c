// Runs in: main (core). Version 5: pipeline runs stage by stage, their artifacts, and the stat
// cache that lets an unchanged file skip rehashing.
import type { Migration } from './types';

export const migration0005: Migration = {
  version: 5,
  name: 'pipeline-runs',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'script' CHECK (kind IN ('script', 'pipeline'));
      ALTER TABLE runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';
      CREATE TABLE run_stages (
        run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','skipped','cancelled','up-to-date')),
        reason      TEXT NOT NULL DEFAULT '',
        started_at  TEXT,
        ended_at    TEXT,
        duration_ms INTEGER,
        exit_code   INTEGER,
        attempts    INTEGER NOT NULL DEFAULT 0,
        log_path    TEXT,
        PRIMARY KEY (run_id, stage)
      ) STRICT;
      -- What a run read (role 'dep': the data versions it ran on) and wrote ('out'), with hashes;
      -- 'artifact' rows are files a stage declared with the line protocol.
      CREATE TABLE run_artifacts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage  TEXT NOT NULL,
        role   TEXT NOT NULL DEFAULT 'out' CHECK (role IN ('dep', 'out', 'artifact')),
        path   TEXT NOT NULL,
        hash   TEXT,
        PRIMARY KEY (run_id, stage, role, path)
      ) STRICT;
      CREATE TABLE file_hashes (
        path     TEXT PRIMARY KEY,
        size     INTEGER NOT NULL,
        mtime_ns TEXT NOT NULL,
        ino      TEXT NOT NULL,
        hash     TEXT NOT NULL
      ) STRICT;
    `);
  },
};
