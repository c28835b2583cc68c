// Runs in: main (core). Version 6: the run cache: for a stage and the signature of its inputs, the
// outputs it produced, so seeing the same inputs again restores them instead of re-running.
import type { Migration } from './types';

export const migration0006: Migration = {
  version: 6,
  name: 'run-cache',
  up(db) {
    db.exec(`
      CREATE TABLE run_cache (
        stage      TEXT NOT NULL,
        signature  TEXT NOT NULL,
        outs       TEXT NOT NULL,
        run_id     TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (stage, signature)
      ) STRICT;
    `);
  },
};
