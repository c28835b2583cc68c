// Runs without a name given get a short readable one (adjective-noun-number), derived from their id
// and unique in the project, so the table, Compare and chart legends never show bare ids.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { newRunId } from '../../../electron/core/tracking/ids';
import { readableRunName, uniqueRunName } from '../../../electron/core/tracking/run-names';
import { createRun, getRun } from '../../../electron/core/tracking/runs';

const READABLE = /^[a-z]+-[a-z]+-\d{1,3}$/;

function memoryDb(): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  return db;
}

describe('readable run names', () => {
  it('are adjective-noun-number, short, and the same for the same id', () => {
    const id = 'run-20261207-130246-bf13d3';
    const name = readableRunName(id);
    expect(name).toMatch(READABLE);
    expect(name.length).toBeLessThanOrEqual(24);
    expect(readableRunName(id)).toBe(name);
    expect(readableRunName(id, 1)).not.toBe(name);
  });

  it('spread over many ids', () => {
    const names = new Set(Array.from({ length: 2000 }, (_, i) => readableRunName(`run-x-${i}`)));
    expect(names.size).toBeGreaterThan(1950);
  });

  it('are given to a run created without a name, never its id, and are unique in the project', () => {
    const db = memoryDb();
    const ids = Array.from({ length: 300 }, () => createRun(db, { experiment: 'e' }));
    const names = ids.map((id) => getRun(db, id).name);
    for (const [i, name] of names.entries()) {
      expect(name).toMatch(READABLE);
      expect(name).not.toBe(ids[i]);
    }
    expect(new Set(names).size).toBe(300);
  });

  it('step aside when the derived name is taken', () => {
    const db = memoryDb();
    const id = newRunId();
    createRun(db, { experiment: 'e', name: readableRunName(id) });
    expect(uniqueRunName(db, id)).not.toBe(readableRunName(id));
    expect(uniqueRunName(db, id)).toMatch(READABLE);
  });

  it('leave a given name alone', () => {
    const db = memoryDb();
    const id = createRun(db, { experiment: 'e', name: 'baseline' });
    expect(getRun(db, id).name).toBe('baseline');
  });
});
