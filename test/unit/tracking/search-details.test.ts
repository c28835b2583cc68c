import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { searchRuns } from '../../../electron/core/tracking/search';

const key = fc.oneof(
  fc.constantFrom('lr', 'model/type', '__proto__', 'constructor', 'a b', 'x:y'),
  fc.stringMatching(/^[A-Za-z0-9_\-./: ]{1,20}$/),
);
const text = fc.oneof(
  fc.string(),
  fc.constantFrom('"quoted"', 'back\\slash', 'line\nbreak', 'é ☃ 🚀', '', '{"json":1}'),
);
const number = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.1 + 0.2, 5e-324, 2 ** 53 + 2, -0),
);

describe('searchRuns details', () => {
  it('return every run its exact params, tags and latest metrics (NaN, ±Infinity and full precision kept), in the order asked', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, ':memory:');
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            params: fc.dictionary(key, text, { maxKeys: 6 }),
            tags: fc.dictionary(key, text, { maxKeys: 4 }),
            metrics: fc.dictionary(key, number, { maxKeys: 6 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (runs) => {
          db.prepare('DELETE FROM runs').run();
          runs.forEach((r, i) => {
            const id = `r${String(i).padStart(3, '0')}`;
            db.prepare(
              `INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES (?, 1, ?, 'succeeded', ?)`,
            ).run(id, id, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`);
            for (const [k, v] of Object.entries(r.params))
              db.prepare('INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)').run(id, k, v);
            for (const [k, v] of Object.entries(r.tags))
              db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)').run(id, k, v);
            for (const [k, v] of Object.entries(r.metrics))
              db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, 0, ?, 'now')`).run(
                id,
                k,
                v,
              );
          });
          const found = searchRuns(db, { sort: 'start_time', limit: 100 });
          expect(found.map((r) => r.id)).toEqual(runs.map((_, i) => `r${String(i).padStart(3, '0')}`));
          found.forEach((r, i) => {
            const sorted = <T>(o: Record<string, T>): [string, T][] =>
              Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
            expect(sorted(r.params)).toEqual(sorted(runs[i]!.params));
            expect(sorted(r.tags)).toEqual(sorted(runs[i]!.tags));
            // SQLite stores -0 as 0; everything else comes back bit for bit.
            expect(sorted(r.metrics)).toEqual(sorted(runs[i]!.metrics).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]));
            expect(Object.getPrototypeOf(r.params)).toBe(Object.prototype);
            expect(Object.getPrototypeOf(r.metrics)).toBe(Object.prototype);
          });
        },
      ),
      { numRuns: 60 },
    );
    db.close();
  }, 30_000);
});
