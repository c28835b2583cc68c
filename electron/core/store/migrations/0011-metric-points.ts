// Runs in: main (core). Version 11: a metric may have several points at one step (MLflow clients
// log at step 0 when no step is given, and MLflow keeps every point), so a point is keyed by its
// time too and a second value at a step no longer replaces the first. The table is WITHOUT ROWID,
// clustered by (run, key, step, time): reading one series is one contiguous range, not a lookup
// per row.
import type { Migration } from './types';

export const migration0011: Migration = {
  version: 11,
  name: 'metric-points',
  up(db) {
    db.exec(`
      CREATE TABLE run_metrics_v11 (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        step   INTEGER NOT NULL,
        at     TEXT NOT NULL,
        value  REAL,
        PRIMARY KEY (run_id, key, step, at)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO run_metrics_v11 (run_id, key, step, at, value) SELECT run_id, key, step, at, value FROM run_metrics;
      DROP TABLE run_metrics;
      ALTER TABLE run_metrics_v11 RENAME TO run_metrics;
      CREATE TRIGGER run_metrics_keep_latest AFTER INSERT ON run_metrics BEGIN
        INSERT INTO run_latest_metrics (run_id, key, value, step, at) VALUES (NEW.run_id, NEW.key, NEW.value, NEW.step, NEW.at)
          ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, at = excluded.at
          WHERE excluded.step > run_latest_metrics.step OR (excluded.step = run_latest_metrics.step AND excluded.at >= run_latest_metrics.at);
      END;
    `);
  },
};
