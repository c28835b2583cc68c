import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0013 registry-versions', () => {
  it('keeps existing versions, adds what a version records, tags, the alias log, and refuses to delete an aliased version', () => {
    const db = dbAt(12);
    db.prepare(`INSERT INTO registered_models (name) VALUES ('iris')`).run();
    db.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('iris', 1), ('iris', 2)`).run();
    db.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES ('iris', 'champion', 1)`).run();
    migrate(db, ':memory:');
    expect(columns(db, 'model_versions')).toEqual(
      expect.arrayContaining([
        'artifact_hash',
        'artifact_kind',
        'params_json',
        'metrics_json',
        'data_json',
        'signature_json',
        'archived_at',
        'intended_use',
        'predict',
      ]),
    );
    expect(tables(db)).toEqual(expect.arrayContaining(['model_version_tags', 'model_alias_log']));
    expect(db.prepare(`SELECT version, format, source, files FROM model_versions ORDER BY version`).all()).toEqual([
      { version: 1, format: 'file', source: 'run', files: 1 },
      { version: 2, format: 'file', source: 'run', files: 1 },
    ]);
    expect(() => db.prepare(`DELETE FROM model_versions WHERE model_name = 'iris' AND version = 1`).run()).toThrow(
      /alias points to this model version/,
    );
    db.prepare(
      `INSERT INTO model_version_tags (model_name, version, key, value) VALUES ('iris', 2, 'team', 'a')`,
    ).run();
    db.prepare(`DELETE FROM model_versions WHERE model_name = 'iris' AND version = 2`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM model_version_tags`).get()).toEqual({ n: 0 });
    expect(() => db.prepare(`UPDATE model_versions SET artifact_kind = 'link' WHERE version = 1`).run()).toThrow(
      /CHECK/,
    );
    db.prepare(
      `INSERT INTO model_alias_log (model_name, alias, from_version, to_version, reason) VALUES ('iris', 'champion', NULL, 1, 'first')`,
    ).run();
    expect(db.prepare(`SELECT at FROM model_alias_log`).get()).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });
});
