// Runs in: main (core). Model names, aliases and references (`NAME@ALIAS`, `NAME/3`, `models:/…`):
// what is allowed, and which one version a reference names.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { parseModelRef } from '../../../shared/contract/models';

// The pure checks live in the contract, so the CLI can check a name or reference before opening a project.
export { checkAlias, checkModelName, type ModelRef, parseModelRef } from '../../../shared/contract/models';

export function requireModel(db: Database, name: string): void {
  if (!db.prepare('SELECT 1 FROM registered_models WHERE name = ?').get(name)) {
    throw new BenchtopError('NOT_FOUND', `There is no registered model named ${name}.`, {
      field: 'name',
      hint: 'List them with `benchtop models list`, or register one with `benchtop models register`.',
    });
  }
}

export function requireVersion(db: Database, name: string, version: number): { archived: boolean } {
  requireModel(db, name);
  const row = db
    .prepare('SELECT archived_at AS archivedAt FROM model_versions WHERE model_name = ? AND version = ?')
    .get(name, version) as { archivedAt: string | null } | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `Model ${name} has no version ${version}.`, {
      field: 'version',
      hint: `See its versions with \`benchtop models show ${name}\`.`,
    });
  return { archived: row.archivedAt !== null };
}

/** The one version a reference names; `latest` is the newest version that is not archived. */
export function resolveModelRef(db: Database, ref: string, field = 'ref'): { name: string; version: number } {
  const r = parseModelRef(ref, field);
  requireModel(db, r.name);
  if (r.version !== null) {
    requireVersion(db, r.name, r.version);
    return { name: r.name, version: r.version };
  }
  if (r.alias === 'latest') {
    const row = db
      .prepare('SELECT MAX(version) AS v FROM model_versions WHERE model_name = ? AND archived_at IS NULL')
      .get(r.name) as { v: number | null };
    if (row.v === null)
      throw new BenchtopError('NOT_FOUND', `Model ${r.name} has no version that is not archived.`, {
        field,
        hint: 'Register a version, or restore an archived one.',
      });
    return { name: r.name, version: row.v };
  }
  const row = db.prepare('SELECT version FROM model_aliases WHERE model_name = ? AND alias = ?').get(r.name, r.alias) as
    | { version: number }
    | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `Model ${r.name} has no alias ${r.alias}.`, {
      field,
      hint: `Set it with \`benchtop models alias ${r.name} ${r.alias} VERSION\`.`,
    });
  return { name: r.name, version: row.version };
}
