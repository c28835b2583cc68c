// Runs in: main (core). Version 14: what a monitor checked and what it raised. A monitor's definition
// (model, reference, batches, roles, per-column overrides, alert rules) stays in monitors.config as
// JSON; each checked batch is one row (a changed file is checked again, so path and content hash
// together identify a check), and every alert is kept with the batch that raised it, whether it was
// acknowledged, and the pipeline run it started.
import type { Migration } from './types';

export const migration0014: Migration = {
  version: 14,
  name: 'monitor-batches',
  up(db) {
    db.exec(`
      CREATE TABLE monitor_batches (
        id              INTEGER PRIMARY KEY,
        monitor_id      INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
        label           TEXT NOT NULL,
        path            TEXT NOT NULL,
        hash            TEXT NOT NULL CHECK (length(hash) = 64),
        checked_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        rows            INTEGER NOT NULL DEFAULT 0,
        drift_share     REAL NOT NULL,
        share_threshold REAL NOT NULL,
        dataset_drift   INTEGER NOT NULL CHECK (dataset_drift IN (0, 1)),
        drifted_columns INTEGER NOT NULL,
        tested_columns  INTEGER NOT NULL,
        columns_json    TEXT NOT NULL DEFAULT '[]',
        performance_json TEXT,
        report_path     TEXT,
        UNIQUE (monitor_id, path, hash)
      ) STRICT;
      CREATE INDEX monitor_batches_by_monitor ON monitor_batches (monitor_id, id);

      CREATE TABLE monitor_alerts (
        id              INTEGER PRIMARY KEY,
        monitor_id      INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
        batch_id        INTEGER REFERENCES monitor_batches(id) ON DELETE CASCADE,
        rule            TEXT NOT NULL,
        message         TEXT NOT NULL,
        value           REAL,
        threshold       REAL,
        at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        acknowledged_at TEXT,
        run_id          TEXT
      ) STRICT;
      CREATE INDEX monitor_alerts_by_monitor ON monitor_alerts (monitor_id, id);
      CREATE INDEX monitor_alerts_open ON monitor_alerts (acknowledged_at, id);
    `);
  },
};
