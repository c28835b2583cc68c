import { describe, expect, it } from 'vitest';
import { dbAt, tables } from '../helpers';

describe('migration 0006 run-cache', () => {
  it('adds the run cache keyed by stage and signature', () => {
    const db = dbAt(6);
    expect(tables(db)).toContain('run_cache');
    db.prepare(`INSERT INTO run_cache (stage, signature, outs) VALUES ('train', 'abc', '[]')`).run();
    expect(() =>
      db.prepare(`INSERT INTO run_cache (stage, signature, outs) VALUES ('train', 'abc', '[]')`).run(),
    ).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(`INSERT INTO run_cache (stage, signature, outs) VALUES ('evaluate', 'abc', '[]')`).run();
    expect(db.pragma('user_version', { simple: true })).toBe(6);
  });
});
