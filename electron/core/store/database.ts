// Runs in: main (core). Opening the project database safely: a newer schema is refused before
// anything is written; pragmas for concurrency; migrations in one immediate transaction.
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { BenchtopError } from '../../../shared/contract/errors';
import { packageVersion } from '../util/package-root';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';
import { registerSqlFunctions } from './functions';
import { nativeBindingForRuntime } from './native-binding';

export type { Database };

/** How long a writer waits for another process's lock before failing. */
export const BUSY_TIMEOUT_MS = 10_000;

function options(): BetterSqlite3.Options {
  const nativeBinding = nativeBindingForRuntime();
  return nativeBinding ? { nativeBinding } : {};
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** What to do about a project database Benchtop refuses to open: never something done for the user. */
const DAMAGED_HINT =
  'Run `benchtop doctor` to see what is wrong; restore the file from a backup, or move it aside (Benchtop then starts a new, empty database, losing the runs and models recorded in it).';

/**
 * A database file with no bytes that is not one being created right now. SQLite makes the file empty
 * when it opens it and writes the header on the first commit (into the -wal file first), so another
 * process creating the project's database shows an empty file for a moment: only an empty file with
 * an empty or no -wal, untouched for longer than a writer may wait for the lock, is a lost database.
 */
function lostEmpty(file: string): boolean {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st || st.size > 0) return false;
  const wal = statSync(`${file}-wal`, { throwIfNoEntry: false });
  if (wal && wal.size > 0) return false;
  return Date.now() - st.mtimeMs > BUSY_TIMEOUT_MS;
}

/**
 * Reads the schema version (`PRAGMA user_version`, a big-endian int at byte 60 of the header)
 * straight from the file, without SQLite: even a read-only connection would leave -wal and -shm
 * files behind on a WAL database, and a refused database must be left exactly as it was.
 */
export function readSchemaVersion(file: string): number {
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return 0; // An empty file is a new database.
  if (read < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new BenchtopError('BAD_FILE', `${file} is not a SQLite database, so Benchtop left it untouched.`, {
      hint: DAMAGED_HINT,
    });
  }
  return header.readInt32BE(60);
}

function newerError(file: string, found: number, known: number): BenchtopError {
  return new BenchtopError(
    'NEWER_DATABASE',
    `${file} was written by a newer Benchtop (schema version ${found}; this Benchtop knows up to ${known}), so it was left untouched.`,
    { hint: 'Open this project with the newer Benchtop, or update this one.' },
  );
}

/** Applies every pending migration in one IMMEDIATE transaction, so two processes cannot race. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  registerSqlFunctions(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) throw newerError(file, current, latest);
    // A schema version set back (by hand, or a file pieced together) would replay migrations over
    // tables that exist; schema_history says what was really applied.
    if (
      current > 0 &&
      db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_history'`).get()
    ) {
      const applied = (db.prepare('SELECT MAX(version) AS v FROM schema_history').get() as { v: number | null }).v ?? 0;
      if (applied > current) {
        throw new BenchtopError(
          'BAD_FILE',
          `${file} says it is at schema version ${current}, but migrations up to version ${applied} were applied to it (this Benchtop knows up to ${latest}), so it was left untouched.`,
          { hint: DAMAGED_HINT },
        );
      }
    }
    const appVersion = packageVersion();
    for (const m of migrations) {
      if (m.version <= current) continue;
      m.up(db);
      if (db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_history'`).get()) {
        db.prepare('INSERT INTO schema_history (version, name, app_version) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          appVersion,
        );
      }
      db.pragma(`user_version = ${m.version}`);
    }
    return db.pragma('user_version', { simple: true }) as number;
  });
  return run.immediate();
}

export interface OpenDatabaseOptions {
  migrations?: readonly Migration[];
}

/**
 * Switches a database to WAL. Changing the journal mode needs the database to itself, and SQLite
 * answers SQLITE_BUSY at once, without waiting on busy_timeout, when another process is opening or
 * migrating the same new file. So wait here, within the same limit; WAL is kept in the file, so
 * only the first opening of a database ever switches it.
 */
function enableWal(db: Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, delay);
    }
  }
}

/**
 * Opens (creating if needed) a project database at the current schema version.
 * Throws NEWER_DATABASE, without writing, when the file comes from a newer Benchtop.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Database {
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (existsSync(file)) {
    if (lostEmpty(file))
      throw new BenchtopError(
        'BAD_FILE',
        `${file} is empty (zero bytes): the project's database was lost or truncated, so Benchtop did not create a new one over it.`,
        { hint: DAMAGED_HINT },
      );
    const found = readSchemaVersion(file);
    if (found > latest) throw newerError(file, found, latest);
  }
  const db = new BetterSqlite3(file, options());
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export { SCHEMA_VERSION };

/** Runs `fn` in a write transaction that takes the lock up front (no upgrade deadlocks). */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}
