import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, readSchemaVersion, SCHEMA_VERSION } from '../../../electron/core/store/database';
import { MIGRATIONS, type Migration } from '../../../electron/core/store/migrations';
import { tmpDir } from '../../support/helpers';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('openDatabase', () => {
  it('creates a WAL database at the current schema version with a busy timeout', () => {
    const file = path.join(tmpDir(), 'b.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    // Opening again migrates nothing.
    const again = openDatabase(file);
    expect(again.prepare('SELECT COUNT(*) AS n FROM schema_history').get()).toEqual({ n: MIGRATIONS.length });
    again.close();
  });

  it('refuses a database from a newer Benchtop and leaves it byte-for-byte untouched', () => {
    const file = path.join(tmpDir(), 'newer.db');
    const raw = new BetterSqlite3(file);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(
      /newer Benchtop \(schema version \d+; this Benchtop knows up to \d+\).*left untouched/,
    );
    expect(sha(file)).toBe(before);
    expect(readSchemaVersion(file)).toBe(SCHEMA_VERSION + 1);
  });

  it('refuses a newer database in WAL mode too, leaving the file and its folder as they were', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'newer-wal.db');
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1)');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(file);
    const listing = readdirSync(dir).sort();
    expect(() => openDatabase(file)).toThrow(/NEWER|newer Benchtop/);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(listing);
  });

  it('refuses a file that is not a SQLite database and leaves it alone', () => {
    const file = path.join(tmpDir(), 'junk.db');
    writeFileSync(file, 'this is not a database, but somebody made it'.repeat(5));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/is not a SQLite database, so Benchtop left it untouched/);
    expect(sha(file)).toBe(before);
  });

  it('rolls back every migration of a failed upgrade', () => {
    const file = path.join(tmpDir(), 'fail.db');
    openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) }).close();
    const broken: Migration = {
      version: 3,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x)');
        throw new Error('disk on fire');
      },
    };
    expect(() => openDatabase(file, { migrations: [...MIGRATIONS.slice(0, 2), broken] })).toThrow(/disk on fire/);
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('half_done', 'experiments')`).all()).toEqual([]);
    db.close();
  });
});
