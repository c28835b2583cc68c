// Runs in: main (core). Version 7: each run's latest value per metric, kept by a trigger on every
// write path, and indexes for filtering runs by metrics, params and tags.
import type { Migration } from './types';

export const migration0007: Migration = {
  version: 7,
  name: 'latest-metrics',
  up(db) {
    db.exec(`
      CREATE TABLE run_latest_metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key    TEXT NOT NULL,
        value  REAL NOT NULL,
        step   INTEGER NOT NULL,
        at     TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) STRICT;
      INSERT INTO run_latest_metrics (run_id, key, value, step, at)
        SELECT m.run_id, m.key, m.value, m.step, m.at FROM run_metrics m
         WHERE m.step = (SELECT MAX(step) FROM run_metrics x WHERE x.run_id = m.run_id AND x.key = m.key);
      CREATE TRIGGER run_metrics_keep_latest AFTER INSERT ON run_metrics BEGIN
        INSERT INTO run_latest_metrics (run_id, key, value, step, at) VALUES (NEW.run_id, NEW.key, NEW.value, NEW.step, NEW.at)
          ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, at = excluded.at
          WHERE excluded.step >= run_latest_metrics.step;
      END;
      CREATE INDEX run_latest_metrics_by_key ON run_latest_metrics (key, value);
      CREATE INDEX run_params_by_key ON run_params (key, value);
      CREATE INDEX run_tags_by_key ON run_tags (key, value);
    `);
  },
};
