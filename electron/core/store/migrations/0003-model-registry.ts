// Runs in: main (core). Version 3: registered models, their versions and aliases.
import type { Migration } from './types';

export const migration0003: Migration = {
  version: 3,
  name: 'model-registry',
  up(db) {
    db.exec(`
      CREATE TABLE registered_models (
        name        TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE TABLE model_versions (
        model_name TEXT NOT NULL REFERENCES registered_models(name) ON DELETE RESTRICT,
        version    INTEGER NOT NULL CHECK (version >= 1),
        run_id     TEXT REFERENCES runs(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (model_name, version)
      ) STRICT;
      CREATE TABLE model_aliases (
        model_name TEXT NOT NULL,
        alias      TEXT NOT NULL,
        version    INTEGER NOT NULL,
        PRIMARY KEY (model_name, alias),
        FOREIGN KEY (model_name, version) REFERENCES model_versions(model_name, version) ON DELETE CASCADE
      ) STRICT;
    `);
  },
};
