import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt } from '../helpers';

describe('migration 0021 predict trust', () => {
  it('adds predict_trusted_at to model_versions; existing versions are left untrusted (NULL)', () => {
    const db = dbAt(20);
    db.prepare(`INSERT INTO registered_models (name) VALUES ('iris')`).run();
    db.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('iris', 1)`).run();
    migrate(db, ':memory:');
    expect(columns(db, 'model_versions')).toContain('predict_trusted_at');
    expect(db.prepare('SELECT predict_trusted_at FROM model_versions').get()).toEqual({ predict_trusted_at: null });
    db.prepare(`UPDATE model_versions SET predict_trusted_at = '2026-12-07T10:00:00Z'`).run();
    expect(db.prepare('SELECT predict_trusted_at FROM model_versions').get()).toEqual({
      predict_trusted_at: '2026-12-07T10:00:00Z',
    });
  });
});
