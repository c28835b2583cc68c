// Runs in: main (core). Registered models for the Models section.
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { modelsList } from '../../../shared/contract/schemas';

type ModelsList = z.infer<typeof modelsList>;

export function listModels(db: Database): ModelsList {
  const rows = db
    .prepare(
      `SELECT m.name, m.description, m.updated_at AS updatedAt,
              COUNT(v.version) AS versionCount, MAX(v.version) AS latestVersion
         FROM registered_models m LEFT JOIN model_versions v ON v.model_name = m.name
        GROUP BY m.name ORDER BY m.updated_at DESC`,
    )
    .all() as Omit<ModelsList['models'][number], 'aliases'>[];
  const aliases = db.prepare('SELECT alias, version FROM model_aliases WHERE model_name = ? ORDER BY alias');
  return { models: rows.map((r) => ({ ...r, aliases: aliases.all(r.name) as { alias: string; version: number }[] })) };
}
