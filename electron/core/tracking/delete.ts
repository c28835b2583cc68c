// Runs in: main (core). Deleting runs: a deleted run is hidden but restorable; only purge removes
// it, and only runs already deleted, so nothing is lost by one mistaken call.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';

function check(db: Database, ids: readonly string[]): void {
  const known = new Set(
    (
      db.prepare('SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
        id: string;
      }[]
    ).map((r) => r.id),
  );
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length)
    throw new BenchtopError('NOT_FOUND', `There is no run ${missing.join(', ')} in this project.`, {
      field: 'ids',
      hint: 'List runs with `benchtop runs`.',
    });
}

export function deleteRuns(db: Database, ids: readonly string[]): number {
  return writeTransaction(db, () => {
    check(db, ids);
    const running = db
      .prepare(`SELECT id FROM runs WHERE status = 'running' AND id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as { id: string }[];
    if (running.length)
      throw new BenchtopError('BUSY', `Run ${running.map((r) => r.id).join(', ')} is still running.`, {
        hint: 'Cancel it first, then delete it.',
      });
    return db
      .prepare(
        `UPDATE runs SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))`,
      )
      .run(JSON.stringify(ids)).changes;
  });
}

export function restoreRuns(db: Database, ids: readonly string[]): number {
  return writeTransaction(db, () => {
    check(db, ids);
    return db
      .prepare(
        `UPDATE runs SET deleted_at = NULL WHERE deleted_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))`,
      )
      .run(JSON.stringify(ids)).changes;
  });
}

/** Removes deleted runs for good (with their params, metrics, tags, stages: cascades). */
export function purgeRuns(db: Database, ids?: readonly string[]): number {
  return writeTransaction(db, () => {
    if (ids) {
      check(db, ids);
      const live = db
        .prepare('SELECT id FROM runs WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids)) as { id: string }[];
      if (live.length)
        throw new BenchtopError(
          'INVALID_INPUT',
          `Run ${live.map((r) => r.id).join(', ')} is not deleted, so it cannot be purged.`,
          { field: 'ids', hint: 'Delete it first; purge removes only deleted runs.' },
        );
    }
    // Registered model versions keep pointing at their run (ON DELETE SET NULL), never vanish.
    return ids
      ? db
          .prepare('DELETE FROM runs WHERE deleted_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))')
          .run(JSON.stringify(ids)).changes
      : db.prepare('DELETE FROM runs WHERE deleted_at IS NOT NULL').run().changes;
  });
}
