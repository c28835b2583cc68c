import BetterSqlite3, { type Database } from 'better-sqlite3';
import { MIGRATIONS } from '../../../electron/core/store/migrations';
import { migrate } from '../../../electron/core/store/database';

/** An in-memory database migrated up to `version`. */
export function dbAt(version: number): Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    ':memory:',
    MIGRATIONS.filter((m) => m.version <= version),
  );
  return db;
}

export function tables(db: Database): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]
  ).map((r) => r.name);
}

export function columns(db: Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name);
}
