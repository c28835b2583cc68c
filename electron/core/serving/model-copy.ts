// Runs in: main (core) or the CLI's `benchtop serve`. What a version's predict processes run with:
// its command, its signature, and a copy of its artifact under .benchtop/serving/NAME/VERSION/,
// checked against the registry's hashes. The copy is kept and reused while its files are as they
// were written (same sizes and times), so restarting an endpoint does not copy a large model again,
// and a copy someone edited is replaced rather than served.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { ModelSignature } from '../../../shared/contract/schemas';
import { materializeModel, resolveModelDep, type ResolvedModel } from '../pipeline/models/deps';
import { writeFileAtomic } from '../util/atomic-write';
import { listFolder } from '../data/track';
import { ensureGitignore } from '../workspace/gitignore';
import { BENCHTOP_DIR } from '../util/layout';

export const SERVING_DIR = path.join(BENCHTOP_DIR, 'serving');
const MARKER = '.verified.json';

export interface ServedVersion {
  name: string;
  version: number;
  predict: string;
  signature: ModelSignature | null;
  /** Absolute path of the verified copy (the file, or the folder). */
  modelPath: string;
}

interface Marker {
  hash: string;
  files: { path: string; size: number; mtimeMs: number }[];
}

function filesOf(target: string): { path: string; size: number; mtimeMs: number }[] {
  const st = statSync(target);
  if (st.isFile()) return [{ path: '.', size: st.size, mtimeMs: st.mtimeMs }];
  const parent = path.dirname(target);
  return listFolder(parent, path.basename(target))
    .sort()
    .map((rel) => {
      const s = statSync(path.join(parent, rel));
      return { path: rel, size: s.size, mtimeMs: s.mtimeMs };
    });
}

function sameFiles(a: Marker['files'], b: Marker['files']): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.path === b[i]!.path && f.size === b[i]!.size && f.mtimeMs === b[i]!.mtimeMs)
  );
}

/** The copy of a version's artifact, made (or reused when still as verified) under .benchtop/serving. */
export async function servingCopy(projectDir: string, model: ResolvedModel): Promise<string> {
  const root = path.join(projectDir, SERVING_DIR);
  const versionDir = path.join(root, model.name, String(model.version));
  const target = path.join(versionDir, path.posix.basename(model.artifactPath));
  const markerFile = path.join(versionDir, MARKER);
  if (existsSync(markerFile) && existsSync(target)) {
    try {
      const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
      if (marker.hash === model.artifactHash && sameFiles(marker.files, filesOf(target))) return target;
    } catch {
      /* an unreadable marker: copy again */
    }
  }
  // A project made before serving existed has no ignore line for the copies yet.
  ensureGitignore(projectDir);
  rmSync(versionDir, { recursive: true, force: true });
  const placed = await materializeModel(projectDir, model, root);
  const marker: Marker = { hash: model.artifactHash, files: filesOf(placed) };
  writeFileAtomic(markerFile, JSON.stringify(marker));
  return placed;
}

/** Everything needed to serve NAME/VERSION; throws BenchtopError when it has no predict command or no artifact. */
export async function prepareVersion(
  projectDir: string,
  db: Database,
  name: string,
  version: number,
): Promise<ServedVersion> {
  const row = db
    .prepare('SELECT predict, signature_json AS signatureJson FROM model_versions WHERE model_name = ? AND version = ?')
    .get(name, version) as { predict: string | null; signatureJson: string | null } | undefined;
  if (!row) throw new BenchtopError('NOT_FOUND', `Model ${name} has no version ${version}.`, { field: 'ref' });
  if (!row.predict) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `Version ${version} of ${name} has no predict command, so it cannot answer requests.`,
      {
        field: 'ref',
        hint: `Give it one: \`benchtop models update ${name}/${version} --predict "python predict.py"\` (see docs/predict-protocol.md).`,
      },
    );
  }
  const model = resolveModelDep(db, `${name}/${version}`);
  const modelPath = await servingCopy(projectDir, model);
  return {
    name,
    version,
    predict: row.predict,
    signature: row.signatureJson ? (JSON.parse(row.signatureJson) as ModelSignature) : null,
    modelPath,
  };
}
