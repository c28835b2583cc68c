// Runs in: main (core). A run's artifacts: files copied into the project's content-addressed cache
// when logged, so a later edit or delete of the original never changes what the run produced.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';
import { ObjectStore } from '../git/object-store';
import { CACHE_DIR } from '../util/layout';
import { checkArtifactName } from './limits';
import { requireRun } from './runs';

const TYPES: Record<string, string> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.jsonl': 'json',
  '.txt': 'text',
  '.log': 'text',
  '.md': 'text',
  '.yaml': 'text',
  '.yml': 'text',
  '.py': 'text',
  '.js': 'text',
  '.html': 'html',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.gif': 'image',
  '.svg': 'image',
  '.webp': 'image',
  '.pkl': 'model',
  '.joblib': 'model',
  '.onnx': 'model',
  '.pt': 'model',
  '.h5': 'model',
  '.parquet': 'parquet',
};

export function artifactType(name: string): string {
  return TYPES[path.extname(name).toLowerCase()] ?? 'binary';
}

/** An artifact's name inside its run (the rule lives in shared/, where the MLflow layer reads it). */
export { checkArtifactName };

export function artifactStore(projectDir: string): ObjectStore {
  return new ObjectStore(path.join(projectDir, CACHE_DIR));
}

export interface LoggedArtifact {
  path: string;
  hash: string;
  size: number;
  type: string;
}

/** Copies `sourceFile` into the cache and records it as artifact `name` of the run (stage ''). */
export async function logArtifactFile(
  projectDir: string,
  db: Database,
  runId: string,
  name: string,
  sourceFile: string,
  stage = '',
): Promise<LoggedArtifact> {
  const rel = checkArtifactName(name);
  requireRun(db, runId);
  let size: number;
  try {
    const st = statSync(sourceFile);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new BenchtopError('NOT_FOUND', `There is no file at ${sourceFile} to log as an artifact.`, {
      field: 'path',
      hint: 'Write the file first, then log it.',
    });
  }
  const hash = await artifactStore(projectDir).put(sourceFile);
  return recordArtifact(db, runId, rel, hash, size, stage);
}

/**
 * Records bytes already in the cache as artifact `name` of the run: the second half of
 * logArtifactFile, kept apart so the inbox (inbox.ts) can record it inside its own transaction.
 */
export function recordArtifact(
  db: Database,
  runId: string,
  name: string,
  hash: string,
  size: number,
  stage = '',
): LoggedArtifact {
  const rel = checkArtifactName(name);
  const type = artifactType(rel);
  writeTransaction(db, () => {
    requireRun(db, runId);
    db.prepare(
      `INSERT OR REPLACE INTO run_artifacts (run_id, stage, role, path, hash, size, type) VALUES (?, ?, 'artifact', ?, ?, ?, ?)`,
    ).run(runId, stage, rel, hash, size, type);
  });
  return { path: rel, hash, size, type };
}

/** Where the bytes of a run's logged artifact are, after checking the run has it. */
export function artifactObject(
  projectDir: string,
  db: Database,
  runId: string,
  name: string,
): { file: string; size: number; type: string; hash: string } {
  requireRun(db, runId);
  const rel = checkArtifactName(name);
  const row = db
    .prepare(
      `SELECT hash, size, type FROM run_artifacts WHERE run_id = ? AND role = 'artifact' AND path = ? AND hash IS NOT NULL ORDER BY stage LIMIT 1`,
    )
    .get(runId, rel) as { hash: string; size: number | null; type: string | null } | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `Run ${runId} has no artifact ${rel}.`, {
      field: 'path',
      hint: 'Open the run to see its artifacts.',
    });
  const store = artifactStore(projectDir);
  if (!store.has(row.hash))
    throw new BenchtopError(
      'NOT_FOUND',
      `The bytes of artifact ${rel} (${row.hash.slice(0, 12)}…) are missing from the cache.`,
      { field: 'path', hint: 'The cache was cleaned or copied without this object.' },
    );
  return { file: store.pathOf(row.hash), size: row.size ?? 0, type: row.type ?? artifactType(rel), hash: row.hash };
}
