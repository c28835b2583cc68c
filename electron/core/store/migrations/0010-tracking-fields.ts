// Runs in: main (core). Version 10: what experiment tracking keeps beyond the pipeline runner.
// Runs gain source, dirty tree, parent run, notes and a star; metric values become nullable because
// SQLite stores NaN as NULL (±Inf are kept as REAL); artifacts gain size and type; data inputs.
import type { Migration } from './types';

export const migration0010: Migration = {
  version: 10,
  name: 'tracking-fields',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN git_dirty INTEGER CHECK (git_dirty IN (0, 1));
      ALTER TABLE runs ADD COLUMN parent_id TEXT REFERENCES runs(id) ON DELETE SET NULL;
      ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1));
      UPDATE runs SET source = CASE kind WHEN 'pipeline' THEN 'pipeline' ELSE 'script' END;
      CREATE INDEX runs_by_parent ON runs(parent_id) WHERE parent_id IS NOT NULL;

      -- NULL is how SQLite keeps NaN: a NOT NULL column would refuse a NaN a run really logged.
      CREATE TABLE run_metrics_v10 (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        step   INTEGER NOT NULL,
        value  REAL,
        at     TEXT NOT NULL,
        PRIMARY KEY (run_id, key, step)
      ) STRICT;
      INSERT INTO run_metrics_v10 (run_id, key, step, value, at) SELECT run_id, key, step, value, at FROM run_metrics;
      DROP TABLE run_metrics;
      ALTER TABLE run_metrics_v10 RENAME TO run_metrics;

      CREATE TABLE run_latest_metrics_v10 (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        value  REAL,
        step   INTEGER NOT NULL,
        at     TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) STRICT;
      INSERT INTO run_latest_metrics_v10 (run_id, key, value, step, at) SELECT run_id, key, value, step, at FROM run_latest_metrics;
      DROP TABLE run_latest_metrics;
      ALTER TABLE run_latest_metrics_v10 RENAME TO run_latest_metrics;
      CREATE INDEX run_latest_metrics_by_key ON run_latest_metrics (key, value);
      CREATE TRIGGER run_metrics_keep_latest AFTER INSERT ON run_metrics BEGIN
        INSERT INTO run_latest_metrics (run_id, key, value, step, at) VALUES (NEW.run_id, NEW.key, NEW.value, NEW.step, NEW.at)
          ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, at = excluded.at
          WHERE excluded.step >= run_latest_metrics.step;
      END;

      -- Artifacts logged outside a pipeline stage use stage ''.
      ALTER TABLE run_artifacts ADD COLUMN size INTEGER;
      ALTER TABLE run_artifacts ADD COLUMN type TEXT;

      -- Which data a run read, and in what role: a dataset pointer (or file) at a version.
      CREATE TABLE run_inputs (
        run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        dataset TEXT NOT NULL,
        version TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT 'training',
        PRIMARY KEY (run_id, dataset, context)
      ) STRICT;
    `);
  },
};
