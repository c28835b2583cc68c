// Runs in: main (core). A registered model as a stage dependency (`deps: [models:/churn@champion]`):
// which version it names now, the hash the lock keeps for it (so the stage reruns when the alias
// moves), and its bytes placed where the stage's command can read them.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import { decodeManifest } from '../../data/manifest';
import { dataStore } from '../../data/track';
import { parseModelRef, resolveModelRef } from '../../registry/refs';

export const MODEL_DEP_PREFIX = 'models:';

export interface ModelDep {
  /** As written in benchtop.yaml (also its key in the lock). */
  ref: string;
  name: string;
  /** Environment variables that carry the artifact's path to the stage. */
  env: string[];
}

/** True for anything meant as a model reference, well formed or not (so it is never taken for a file). */
export function isModelDep(dep: string): boolean {
  return dep.trim().startsWith(MODEL_DEP_PREFIX);
}

/** Checks a `models:/…` dep; throws BenchtopError saying what is wrong. */
export function parseModelDep(dep: string): { ref: string; name: string; selector: string } {
  if (!dep.startsWith('models:/')) {
    throw new BenchtopError('INVALID_INPUT', `"${dep}" is not a model reference`, {
      field: 'deps',
      hint: 'Write models:/NAME@ALIAS (models:/churn@champion) or models:/NAME/N (models:/churn/3).',
    });
  }
  const r = parseModelRef(dep, 'deps');
  return { ref: dep, name: r.name, selector: r.version !== null ? `V${r.version}` : r.alias! };
}

const envPart = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * The variables a stage gets for its model deps: BENCHTOP_MODEL_<NAME>, and BENCHTOP_MODEL_<NAME>_<ALIAS|V<N>>
 * for each reference, so a stage that reads two versions of one model can tell them apart (the
 * short name is then left out, as it would be ambiguous).
 */
export function modelEnvNames(deps: readonly { ref: string; name: string; selector: string }[]): ModelDep[] {
  const count = new Map<string, number>();
  for (const d of deps) count.set(d.name, (count.get(d.name) ?? 0) + 1);
  return deps.map((d) => {
    const base = `BENCHTOP_MODEL_${envPart(d.name)}`;
    return {
      ref: d.ref,
      name: d.name,
      env: count.get(d.name) === 1 ? [base, `${base}_${envPart(d.selector)}`] : [`${base}_${envPart(d.selector)}`],
    };
  });
}

export interface ResolvedModel {
  name: string;
  version: number;
  kind: 'file' | 'folder';
  artifactPath: string;
  artifactHash: string;
  /** What the lock keeps: the version and its bytes, so moving an alias (or re-registering) shows. */
  lockHash: string;
}

/** The version a model dep names right now; throws BenchtopError (NOT_FOUND) when the model, alias or version is missing. */
export function resolveModelDep(db: Database, ref: string): ResolvedModel {
  const { name, version } = resolveModelRef(db, ref, 'deps');
  const row = db
    .prepare(
      'SELECT artifact_path AS artifactPath, artifact_kind AS kind, artifact_hash AS artifactHash FROM model_versions WHERE model_name = ? AND version = ?',
    )
    .get(name, version) as
    | { artifactPath: string | null; kind: 'file' | 'folder' | null; artifactHash: string | null }
    | undefined;
  if (!row?.artifactHash || !row.kind || !row.artifactPath) {
    throw new BenchtopError('NOT_FOUND', `Version ${version} of ${name} has no artifact in the cache.`, {
      field: 'deps',
      hint: `Register a version with its artifact (\`benchtop models register ${name} …\`).`,
    });
  }
  return {
    name,
    version,
    kind: row.kind,
    artifactPath: row.artifactPath,
    artifactHash: row.artifactHash,
    lockHash: `model:${name}/${version}:${row.artifactHash}`,
  };
}

/** Like resolveModelDep, but null when the reference names nothing (the plan then says "missing"). */
export function modelDepHash(db: Database, ref: string): string | null {
  try {
    return resolveModelDep(db, ref).lockHash;
  } catch (err) {
    if (err instanceof BenchtopError) return null;
    throw err;
  }
}

/**
 * Copies a version's bytes (checked against their hashes) under `dir`, named as when registered:
 * the file itself, or the folder with its files. Copies, not links into the cache, so a stage that
 * writes to them cannot corrupt the registry. Returns the path to hand to the stage.
 */
export async function materializeModel(home: string, model: ResolvedModel, dir: string): Promise<string> {
  const store = dataStore(home);
  const dest = path.join(dir, model.name, String(model.version), path.posix.basename(model.artifactPath));
  if (model.kind === 'file') {
    if (!store.has(model.artifactHash)) throw missing(model);
    await store.get(model.artifactHash, dest);
    return dest;
  }
  if (!store.has(model.artifactHash)) throw missing(model);
  for (const e of decodeManifest(store.readBytes(model.artifactHash), model.artifactHash)) {
    if (!store.has(e.hash)) throw missing(model);
    await store.get(e.hash, path.join(dest, ...e.path.split('/')));
  }
  return dest;
}

function missing(model: ResolvedModel): BenchtopError {
  return new BenchtopError(
    'NOT_FOUND',
    `The bytes of ${model.name} version ${model.version} are missing from the cache.`,
    { field: 'deps', hint: 'Fetch them with `benchtop data pull`, or register the model again.' },
  );
}
