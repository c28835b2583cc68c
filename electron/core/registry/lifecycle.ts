// Runs in: main (core). Editing, archiving, restoring and deleting versions. A version an alias
// points to can be neither archived nor deleted: the alias would then name nothing.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';
import { requireVersion } from './refs';

const now = (): string => new Date().toISOString();

function refuseIfAliased(db: Database, name: string, version: number, doing: string): void {
  const aliases = (
    db
      .prepare('SELECT alias FROM model_aliases WHERE model_name = ? AND version = ? ORDER BY alias')
      .all(name, version) as { alias: string }[]
  ).map((a) => a.alias);
  if (aliases.length) {
    throw new BenchtopError(
      'CONFLICT',
      `Cannot ${doing} version ${version} of ${name}: ${aliases.map((a) => `@${a}`).join(', ')} ${aliases.length === 1 ? 'points' : 'point'} to it.`,
      {
        field: 'version',
        hint: `Move or remove the alias first (\`benchtop models alias ${name} ${aliases[0]} OTHER_VERSION\`).`,
      },
    );
  }
}

export interface VersionEdit {
  description?: string;
  intendedUse?: string;
  limitations?: string;
  /** Replaces the version's tags. */
  tags?: Record<string, string>;
  predict?: string | null;
}

export function updateVersion(db: Database, name: string, version: number, edit: VersionEdit): void {
  writeTransaction(db, () => {
    requireVersion(db, name, version);
    const sets: string[] = [];
    const args: unknown[] = [];
    const col = {
      description: 'description',
      intendedUse: 'intended_use',
      limitations: 'limitations',
      predict: 'predict',
    } as const;
    for (const [k, c] of Object.entries(col) as [keyof typeof col, string][]) {
      if (edit[k] !== undefined) {
        sets.push(`${c} = ?`);
        args.push(edit[k]);
      }
    }
    const at = now();
    // A predict command written here is the project's own, not the bundle's: it needs no --trust.
    if (edit.predict !== undefined) {
      sets.push('predict_trusted_at = ?');
      args.push(at);
    }
    db.prepare(
      `UPDATE model_versions SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE model_name = ? AND version = ?`,
    ).run(...args, at, name, version);
    if (edit.tags) {
      db.prepare('DELETE FROM model_version_tags WHERE model_name = ? AND version = ?').run(name, version);
      const put = db.prepare('INSERT INTO model_version_tags (model_name, version, key, value) VALUES (?, ?, ?, ?)');
      for (const [k, v] of Object.entries(edit.tags)) put.run(name, version, k, v);
    }
    db.prepare('UPDATE registered_models SET updated_at = ? WHERE name = ?').run(at, name);
  });
}

export function archiveVersion(db: Database, name: string, version: number): void {
  writeTransaction(db, () => {
    if (requireVersion(db, name, version).archived) return;
    refuseIfAliased(db, name, version, 'archive');
    const at = now();
    db.prepare('UPDATE model_versions SET archived_at = ?, updated_at = ? WHERE model_name = ? AND version = ?').run(
      at,
      at,
      name,
      version,
    );
  });
}

export function restoreVersion(db: Database, name: string, version: number): void {
  writeTransaction(db, () => {
    if (!requireVersion(db, name, version).archived) return;
    db.prepare('UPDATE model_versions SET archived_at = NULL, updated_at = ? WHERE model_name = ? AND version = ?').run(
      now(),
      name,
      version,
    );
  });
}

/** Deletes the version's record. Its artifact stays in the cache until `data gc` finds nothing else uses it. */
export function deleteVersion(db: Database, name: string, version: number): void {
  writeTransaction(db, () => {
    requireVersion(db, name, version);
    refuseIfAliased(db, name, version, 'delete');
    db.prepare('DELETE FROM model_versions WHERE model_name = ? AND version = ?').run(name, version);
    db.prepare('UPDATE registered_models SET updated_at = ? WHERE name = ?').run(now(), name);
  });
}
