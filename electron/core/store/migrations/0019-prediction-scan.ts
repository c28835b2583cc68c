// Runs in: main (core). Version 19: a check of a prediction-log monitor reads only what changed since
// the last one. Predictions are appended with growing ids, so "new" is an id range; a change to a
// logged prediction (labels joined later) is stamped by a trigger with a number that grows per model
// in commit order (`changed_seq`, 0 = never changed), found through a partial index; a deletion, or a
// prediction moved to another time or model, bumps the log's epoch, after which checks read the
// whole log again. Per monitor, `monitor_log_marks` says how far the last check read and
// `monitor_log_windows` every window it saw (a calendar window by its bounds, a record window by its
// id range and count) with the hash the check recorded (NULL: not recorded yet, because the window was
// open or its report failed).
import type { Migration } from './types';

export const migration0019: Migration = {
  version: 19,
  name: 'prediction-scan',
  up(db) {
    db.exec(`
      ALTER TABLE predictions ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX predictions_by_change ON predictions (model_name, changed_seq) WHERE changed_seq > 0;

      -- One epoch for the whole log: a deleted prediction's id can be taken again by the next one logged,
      -- for any model, so every monitor's "new since id N" is in doubt after a delete.
      CREATE TABLE prediction_log_epoch (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        epoch INTEGER NOT NULL
      ) STRICT;
      INSERT INTO prediction_log_epoch (id, epoch) VALUES (1, 0);

      CREATE TRIGGER predictions_content_changed AFTER UPDATE OF input_json, output_json, label_json ON predictions
      BEGIN
        UPDATE predictions
           SET changed_seq = (SELECT coalesce(max(changed_seq), 0) + 1 FROM predictions WHERE model_name = NEW.model_name AND changed_seq > 0)
         WHERE id = NEW.id;
      END;

      CREATE TRIGGER predictions_removed AFTER DELETE ON predictions
      BEGIN
        UPDATE prediction_log_epoch SET epoch = epoch + 1;
      END;

      CREATE TRIGGER predictions_moved AFTER UPDATE OF id, model_name, at ON predictions
      BEGIN
        UPDATE prediction_log_epoch SET epoch = epoch + 1;
      END;

      CREATE TABLE monitor_log_marks (
        monitor_id INTEGER PRIMARY KEY REFERENCES monitors(id) ON DELETE CASCADE,
        source     TEXT NOT NULL,
        epoch      INTEGER NOT NULL,
        max_id     INTEGER NOT NULL,
        max_seq    INTEGER NOT NULL,
        seen       INTEGER NOT NULL,
        canonical  INTEGER NOT NULL CHECK (canonical IN (0, 1))
      ) STRICT;

      CREATE TABLE monitor_log_windows (
        monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
        label      TEXT NOT NULL,
        start_at   TEXT,
        end_at     TEXT,
        first_id   INTEGER,
        last_id    INTEGER,
        rows       INTEGER,
        hash       TEXT CHECK (hash IS NULL OR length(hash) = 64),
        PRIMARY KEY (monitor_id, label),
        CHECK ((start_at IS NOT NULL AND end_at IS NOT NULL) OR (first_id IS NOT NULL AND last_id IS NOT NULL AND rows IS NOT NULL))
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
