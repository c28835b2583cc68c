// Runs in: main (core). Setting, moving and removing aliases; every change is written to the audit
// log in the same transaction, so the log can never disagree with the aliases.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';
import { checkAlias, requireModel, requireVersion } from './refs';

const now = (): string => new Date().toISOString();

/** Points `alias` at `version` (moving it when set elsewhere). Returns the version it pointed at before. */
export function setAlias(db: Database, name: string, alias: string, version: number, reason = ''): number | null {
  checkAlias(alias);
  return writeTransaction(db, () => {
    const { archived } = requireVersion(db, name, version);
    if (archived)
      throw new BenchtopError('CONFLICT', `Version ${version} of ${name} is archived; an alias cannot point to it.`, {
        field: 'version',
        hint: `Restore it first with \`benchtop models restore ${name}/${version}\`.`,
      });
    const before = db
      .prepare('SELECT version FROM model_aliases WHERE model_name = ? AND alias = ?')
      .get(name, alias) as { version: number } | undefined;
    if (before?.version === version) return version;
    db.prepare(
      `INSERT INTO model_aliases (model_name, alias, version) VALUES (?, ?, ?) ON CONFLICT(model_name, alias) DO UPDATE SET version = excluded.version`,
    ).run(name, alias, version);
    const at = now();
    db.prepare(
      'INSERT INTO model_alias_log (model_name, alias, from_version, to_version, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(name, alias, before?.version ?? null, version, reason, at);
    db.prepare('UPDATE registered_models SET updated_at = ? WHERE name = ?').run(at, name);
    return before?.version ?? null;
  });
}

/** Removes `alias`; returns the version it pointed at. */
export function removeAlias(db: Database, name: string, alias: string, reason = ''): number {
  checkAlias(alias);
  return writeTransaction(db, () => {
    requireModel(db, name);
    const before = db
      .prepare('SELECT version FROM model_aliases WHERE model_name = ? AND alias = ?')
      .get(name, alias) as { version: number } | undefined;
    if (!before)
      throw new BenchtopError('NOT_FOUND', `Model ${name} has no alias ${alias}.`, {
        field: 'alias',
        hint: `See its aliases with \`benchtop models show ${name}\`.`,
      });
    db.prepare('DELETE FROM model_aliases WHERE model_name = ? AND alias = ?').run(name, alias);
    const at = now();
    db.prepare(
      'INSERT INTO model_alias_log (model_name, alias, from_version, to_version, reason, at) VALUES (?, ?, ?, NULL, ?, ?)',
    ).run(name, alias, before.version, reason, at);
    db.prepare('UPDATE registered_models SET updated_at = ? WHERE name = ?').run(at, name);
    return before.version;
  });
}
