// Runs in: main (core). Version 15: deployments and their prediction logs. A deployment is one launch
// of a local endpoint (from the app or `benchtop serve`); each HTTP call to /predict is one request
// row (status, latency, how many records), and each record in it one prediction row (inputs, output,
// the version that answered, and the ground truth once joined from a labels file). Requests and
// predictions are split so latency and error rate are counted per call while drift is measured per
// record.
import type { Migration } from './types';

export const migration0015: Migration = {
  version: 15,
  name: 'predictions',
  up(db) {
    db.exec(`
      CREATE TABLE deployments (
        id          TEXT PRIMARY KEY,
        ref         TEXT NOT NULL,
        model_name  TEXT NOT NULL,
        host        TEXT NOT NULL,
        port        INTEGER NOT NULL,
        workers     INTEGER NOT NULL CHECK (workers >= 1),
        pid         INTEGER NOT NULL,
        started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        seen_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        stopped_at  TEXT,
        stop_reason TEXT
      ) STRICT;
      CREATE INDEX deployments_by_model ON deployments (model_name, started_at);

      CREATE TABLE prediction_requests (
        id            INTEGER PRIMARY KEY,
        request_id    TEXT NOT NULL UNIQUE,
        deployment_id TEXT REFERENCES deployments(id) ON DELETE SET NULL,
        model_name    TEXT NOT NULL,
        version       INTEGER,
        at            TEXT NOT NULL,
        status        INTEGER NOT NULL,
        latency_ms    REAL NOT NULL,
        records       INTEGER NOT NULL DEFAULT 0,
        error         TEXT
      ) STRICT;
      CREATE INDEX prediction_requests_by_model ON prediction_requests (model_name, at);
      CREATE INDEX prediction_requests_by_deployment ON prediction_requests (deployment_id, at);

      CREATE TABLE predictions (
        id          INTEGER PRIMARY KEY,
        request_id  TEXT NOT NULL REFERENCES prediction_requests(request_id) ON DELETE CASCADE,
        record_id   TEXT NOT NULL,
        model_name  TEXT NOT NULL,
        version     INTEGER NOT NULL,
        at          TEXT NOT NULL,
        input_json  TEXT NOT NULL,
        output_json TEXT,
        label_json  TEXT,
        labeled_at  TEXT
      ) STRICT;
      CREATE INDEX predictions_by_model ON predictions (model_name, at);
      CREATE INDEX predictions_by_record ON predictions (model_name, record_id);
      CREATE INDEX predictions_by_request ON predictions (request_id);
    `);
  },
};
