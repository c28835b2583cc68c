// Runs in: main (core). Reading the registry: a model with its versions and alias log, and one
// version with everything it recorded when it was registered.
import type { Database } from 'better-sqlite3';
import { fromWire } from '../../../shared/contract/wire';
import type {
  AliasLogEntry,
  ModelDetail,
  ModelSignature,
  ModelVersionDetail,
  ModelVersionSummary,
} from '../../../shared/contract/schemas';
import { requireModel, requireVersion } from './refs';

interface VersionRow {
  name: string;
  version: number;
  format: string;
  size: number;
  files: number;
  source: 'run' | 'path' | 'bundle';
  runId: string | null;
  runName: string | null;
  description: string;
  metricsJson: string;
  archivedAt: string | null;
  createdAt: string;
}

const SUMMARY_SQL = `SELECT v.model_name AS name, v.version, v.format, v.size, v.files, v.source, v.run_id AS runId, r.name AS runName,
        v.description, v.metrics_json AS metricsJson, v.archived_at AS archivedAt, v.created_at AS createdAt
   FROM model_versions v LEFT JOIN runs r ON r.id = v.run_id`;

function aliasesOf(db: Database, name: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const a of db
    .prepare('SELECT alias, version FROM model_aliases WHERE model_name = ? ORDER BY alias')
    .all(name) as { alias: string; version: number }[]) {
    out.set(a.version, [...(out.get(a.version) ?? []), a.alias]);
  }
  return out;
}

function summary(row: VersionRow, aliases: Map<number, string[]>): ModelVersionSummary {
  return {
    name: row.name,
    version: row.version,
    aliases: aliases.get(row.version) ?? [],
    format: row.format,
    size: row.size,
    files: row.files,
    source: row.source,
    runId: row.runId,
    runName: row.runName,
    description: row.description,
    metrics: fromWire(row.metricsJson) as Record<string, number>,
    archived: row.archivedAt !== null,
    createdAt: row.createdAt,
  };
}

export function aliasLog(db: Database, name: string, limit = 500): AliasLogEntry[] {
  return db
    .prepare(
      'SELECT alias, from_version AS fromVersion, to_version AS toVersion, reason, at FROM model_alias_log WHERE model_name = ? ORDER BY id DESC LIMIT ?',
    )
    .all(name, limit) as AliasLogEntry[];
}

export function getModel(db: Database, name: string): ModelDetail {
  requireModel(db, name);
  const m = db
    .prepare(
      'SELECT name, description, created_at AS createdAt, updated_at AS updatedAt FROM registered_models WHERE name = ?',
    )
    .get(name) as Pick<ModelDetail, 'name' | 'description' | 'createdAt' | 'updatedAt'>;
  const aliases = aliasesOf(db, name);
  const rows = db.prepare(`${SUMMARY_SQL} WHERE v.model_name = ? ORDER BY v.version DESC`).all(name) as VersionRow[];
  return {
    ...m,
    aliases: db.prepare('SELECT alias, version FROM model_aliases WHERE model_name = ? ORDER BY alias').all(name) as {
      alias: string;
      version: number;
    }[],
    versions: rows.map((r) => summary(r, aliases)),
    aliasLog: aliasLog(db, name),
  };
}

export function getVersion(db: Database, name: string, version: number): ModelVersionDetail {
  requireVersion(db, name, version);
  const row = db
    .prepare(
      `${SUMMARY_SQL.replace(
        'SELECT ',
        `SELECT v.artifact_path AS artifactPath, v.artifact_kind AS artifactKind, v.artifact_hash AS artifactHash,
        v.params_json AS paramsJson, v.data_json AS dataJson, v.git_commit AS gitCommit, v.signature_json AS signatureJson,
        v.intended_use AS intendedUse, v.limitations, v.predict, v.updated_at AS updatedAt, `,
      )} WHERE v.model_name = ? AND v.version = ?`,
    )
    .get(name, version) as VersionRow & {
    artifactPath: string;
    artifactKind: 'file' | 'folder';
    artifactHash: string | null;
    paramsJson: string;
    dataJson: string;
    gitCommit: string | null;
    signatureJson: string | null;
    intendedUse: string;
    limitations: string;
    predict: string | null;
    updatedAt: string | null;
  };
  const tags = Object.fromEntries(
    (
      db
        .prepare('SELECT key, value FROM model_version_tags WHERE model_name = ? AND version = ? ORDER BY key')
        .all(name, version) as { key: string; value: string }[]
    ).map((t) => [t.key, t.value]),
  );
  return {
    ...summary(row, aliasesOf(db, name)),
    artifact: { path: row.artifactPath, kind: row.artifactKind, hash: row.artifactHash ?? '' },
    params: JSON.parse(row.paramsJson) as Record<string, string>,
    data: JSON.parse(row.dataJson) as ModelVersionDetail['data'],
    gitCommit: row.gitCommit,
    signature: row.signatureJson ? (JSON.parse(row.signatureJson) as ModelSignature) : null,
    intendedUse: row.intendedUse,
    limitations: row.limitations,
    tags,
    predict: row.predict,
    archivedAt: row.archivedAt,
    updatedAt: row.updatedAt,
  };
}
