// Runs in: main (core). Model names, aliases and references (`NAME@ALIAS`, `NAME/3`, `models:/…`):
// what is allowed, and which one version a reference names.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { aliasName, modelName } from '../../../shared/contract/schemas';

export interface ModelRef {
  name: string;
  /** An alias, `latest`, or a version number. */
  alias: string | null;
  version: number | null;
}

export function checkModelName(name: string, field = 'name'): string {
  const r = modelName.safeParse(name);
  if (!r.success)
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${name.slice(0, 120)}" cannot be a model name: ${r.error.issues[0]!.message}.`,
      { field, hint: 'Use a name such as churn-classifier.' },
    );
  return name;
}

/** Aliases a user may set. `latest` and `v<digits>` would be ambiguous with the references that name versions. */
export function checkAlias(alias: string, field = 'alias'): string {
  const r = aliasName.safeParse(alias);
  if (!r.success)
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${alias.slice(0, 80)}" cannot be an alias: ${r.error.issues[0]!.message}.`,
      { field, hint: 'Use a name such as champion, challenger or production.' },
    );
  if (/^latest$/i.test(alias) || /^v\d+$/i.test(alias)) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${alias}" is reserved: \`latest\` and v followed by digits already name versions.`,
      { field, hint: 'Pick another alias, such as champion or production.' },
    );
  }
  return alias;
}

/** Parses `NAME`, `NAME@ALIAS`, `NAME/N`, `NAME/latest`, each optionally after `models:/`. */
export function parseModelRef(ref: string, field = 'ref'): ModelRef {
  const body = ref.trim().replace(/^models:\/+/, '');
  const bad = (): never => {
    throw new BenchtopError('INVALID_INPUT', `"${ref.slice(0, 200)}" is not a model reference.`, {
      field,
      hint: 'Write NAME@ALIAS (churn@champion), NAME/N (churn/3), or either after models:/.',
    });
  };
  let m = /^([^@/]+)@([^@/]+)$/.exec(body);
  if (m) {
    const name = checkModelName(m[1]!, field);
    const alias = m[2]!;
    if (/^latest$/i.test(alias)) return { name, alias: 'latest', version: null };
    const v = /^v(\d+)$/i.exec(alias);
    if (v) return { name, alias: null, version: Number(v[1]) };
    return { name, alias: checkAlias(alias, field), version: null };
  }
  m = /^([^@/]+)\/([^@/]+)$/.exec(body);
  if (m) {
    const name = checkModelName(m[1]!, field);
    if (/^latest$/i.test(m[2]!)) return { name, alias: 'latest', version: null };
    const n = /^v?(\d{1,9})$/i.exec(m[2]!);
    if (!n || Number(n[1]) < 1) return bad();
    return { name, alias: null, version: Number(n[1]) };
  }
  if (/^[^@/]+$/.test(body)) return { name: checkModelName(body, field), alias: 'latest', version: null };
  return bad();
}

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
