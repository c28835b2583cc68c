// Runs in: main (core). Version 13: what a model version keeps (its artifact in the cache, the
// snapshot of its run, data versions, signature, card), version tags, archiving, and the audit log of
// alias changes. Deleting a version an alias points to is refused by the database too, not only by
// the code in front of it.
import type { Migration } from './types';

export const migration0013: Migration = {
  version: 13,
  name: 'registry-versions',
  up(db) {
    db.exec(`
      ALTER TABLE model_versions ADD COLUMN artifact_path TEXT NOT NULL DEFAULT '';
      ALTER TABLE model_versions ADD COLUMN artifact_kind TEXT NOT NULL DEFAULT 'file' CHECK (artifact_kind IN ('file', 'folder'));
      ALTER TABLE model_versions ADD COLUMN artifact_hash TEXT;
      ALTER TABLE model_versions ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE model_versions ADD COLUMN files INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE model_versions ADD COLUMN format TEXT NOT NULL DEFAULT 'file';
      ALTER TABLE model_versions ADD COLUMN source TEXT NOT NULL DEFAULT 'run';
      ALTER TABLE model_versions ADD COLUMN params_json TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE model_versions ADD COLUMN metrics_json TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE model_versions ADD COLUMN data_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE model_versions ADD COLUMN git_commit TEXT;
      ALTER TABLE model_versions ADD COLUMN signature_json TEXT;
      ALTER TABLE model_versions ADD COLUMN description TEXT NOT NULL DEFAULT '';
      ALTER TABLE model_versions ADD COLUMN intended_use TEXT NOT NULL DEFAULT '';
      ALTER TABLE model_versions ADD COLUMN limitations TEXT NOT NULL DEFAULT '';
      ALTER TABLE model_versions ADD COLUMN predict TEXT;
      ALTER TABLE model_versions ADD COLUMN archived_at TEXT;
      ALTER TABLE model_versions ADD COLUMN updated_at TEXT;

      CREATE TABLE model_version_tags (
        model_name TEXT NOT NULL,
        version    INTEGER NOT NULL,
        key        TEXT NOT NULL,
        value      TEXT NOT NULL,
        PRIMARY KEY (model_name, version, key),
        FOREIGN KEY (model_name, version) REFERENCES model_versions(model_name, version) ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE model_alias_log (
        id           INTEGER PRIMARY KEY,
        model_name   TEXT NOT NULL,
        alias        TEXT NOT NULL,
        from_version INTEGER,
        to_version   INTEGER,
        reason       TEXT NOT NULL DEFAULT '',
        at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX model_alias_log_by_model ON model_alias_log (model_name, id);

      CREATE INDEX model_versions_by_run ON model_versions (run_id);

      CREATE TRIGGER model_versions_keep_aliased BEFORE DELETE ON model_versions
      WHEN EXISTS (SELECT 1 FROM model_aliases a WHERE a.model_name = OLD.model_name AND a.version = OLD.version)
      BEGIN
        SELECT RAISE(ABORT, 'an alias points to this model version');
      END;
    `);
  },
};
