import { describe, expect, it } from 'vitest';
import { dbAt, tables } from '../helpers';

describe('migration 0003 model-registry', () => {
  it('adds models, versions and aliases; an alias must point at an existing version', () => {
    const db = dbAt(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['registered_models', 'model_versions', 'model_aliases']));
    db.prepare(`INSERT INTO registered_models (name) VALUES ('iris')`).run();
    db.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('iris', 1)`).run();
    db.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES ('iris', 'champion', 1)`).run();
    expect(() =>
      db.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES ('iris', 'challenger', 7)`).run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('iris', 0)`).run()).toThrow(
      /CHECK/,
    );
  });
});
