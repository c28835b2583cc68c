// Runs in: main (core). One migration per file; each moves the schema up by exactly one version.
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /** Runs inside the migration transaction; must not open its own. */
  up(db: Database): void;
}
