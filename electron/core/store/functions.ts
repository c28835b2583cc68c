// Runs in: main (core). SQL functions every Benchtop connection has; triggers and queries use them,
// so they are registered before migrations run.
import type { Database } from 'better-sqlite3';
import { numericText } from '../../../shared/query/evaluate';

export function registerSqlFunctions(db: Database): void {
  // A text value as a number, or NULL when it does not read as one: the query language's rule.
  db.function('bt_num', { deterministic: true }, (text: unknown) => numericText(text));
}
