// Runs in: main (core). Registering a model version: the artifact's bytes go into the cache (a
// folder as a manifest of its files), and the run's params, metrics, data versions and commit are
// copied into the version, so the record stays whole if the run is later deleted.
import { createHash } from 'node:crypto';
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { toWire } from '../../../shared/contract/wire';
import type { ModelSignature } from '../../../shared/contract/schemas';
import { encodeManifest, type ManifestEntry } from '../data/manifest';
import { projectRelative } from '../data/paths';
import { dataStore, listFolder } from '../data/track';
import { FileHasher } from '../util/hashing';
import { RUN_CACHE_OBJECTS_DIR } from '../util/layout';
import { ObjectStore } from '../git/object-store';
import { writeTransaction } from '../store/database';
import { checkArtifactName } from '../tracking/artifacts';
import { getRun } from '../tracking/runs';
import { headCommit } from '../git/git';
import { detectFileFormat, detectFolderFormat } from './format';
import { checkModelName } from './refs';
import { signatureFromData } from './signature';

export interface RegisterInput {
  name: string;
  runId?: string;
  /** An artifact's path in the run. */
  artifact?: string;
  /** A file or folder in the project (relative to `base`). */
  path?: string;
  format?: string;
  description?: string;
  tags?: Record<string, string>;
  signature?: { name: string; type: string }[];
  exclude?: string[];
  predict?: string;
  /** A pipeline output as the run wrote it, from the run cache rather than the working tree. */
  fromCache?: boolean;
  /** Where the version came from; bundles set 'bundle'. */
  source?: 'run' | 'path' | 'bundle';
}

interface Stored {
  path: string;
  kind: 'file' | 'folder';
  hash: string;
  size: number;
  files: number;
  format: string;
}

/** Stores a folder's files (given as project-relative paths under `rel`) and their manifest. */
async function storeFolder(
  projectDir: string,
  rel: string,
  files: readonly string[],
): Promise<Omit<Stored, 'path' | 'format'>> {
  const store = dataStore(projectDir);
  const entries: ManifestEntry[] = [];
  for (const f of files) {
    const st = statSync(path.join(projectDir, f));
    const hash = await store.put(path.join(projectDir, f));
    if (statSync(path.join(projectDir, f)).mtimeMs !== st.mtimeMs)
      throw new BenchtopError('CONFLICT', `${f} changed while it was being registered.`, {
        field: 'path',
        hint: 'Wait for whatever writes it to finish, then register again.',
      });
    entries.push({ path: f.slice(rel.length + 1), hash, size: st.size });
  }
  const m = encodeManifest(entries);
  await store.putBytes(m.bytes, m.hash);
  return { kind: 'folder', hash: m.hash, size: entries.reduce((n, e) => n + e.size, 0), files: entries.length };
}

async function storePath(projectDir: string, rel: string): Promise<Stored> {
  let st: Stats;
  try {
    st = statSync(path.join(projectDir, rel));
  } catch {
    throw new BenchtopError('NOT_FOUND', `There is no file or folder at ${rel}.`, {
      field: 'path',
      hint: 'Give the path of the model file or folder, relative to the project.',
    });
  }
  if (st.isFile()) {
    const hash = await dataStore(projectDir).put(path.join(projectDir, rel));
    return { path: rel, kind: 'file', hash, size: st.size, files: 1, format: detectFileFormat(rel) };
  }
  if (!st.isDirectory())
    throw new BenchtopError('INVALID_INPUT', `${rel} is neither a file nor a folder.`, { field: 'path' });
  const files = listFolder(projectDir, rel);
  if (files.length === 0)
    throw new BenchtopError('INVALID_INPUT', `The folder ${rel} is empty.`, {
      field: 'path',
      hint: 'Register the folder once the model has been written into it.',
    });
  return {
    path: rel,
    format: detectFolderFormat(files.map((f) => f.slice(rel.length + 1))),
    ...(await storeFolder(projectDir, rel, files)),
  };
}

/** Where the run cache keeps a stage output's bytes, and the data store a version's bytes go to. */
function runCacheObjects(projectDir: string): ObjectStore {
  return new ObjectStore(path.join(projectDir, RUN_CACHE_OBJECTS_DIR));
}

/** A folder's hash as FileHasher records it for an output: its files' names and hashes, in order. */
function folderHash(files: Record<string, string>): string {
  const names = Object.keys(files).sort();
  const h = createHash('sha256');
  for (const f of names) h.update(`${f}\0${files[f]}\n`);
  return `dir:${h.digest('hex')}:${names.length}`;
}

/**
 * A pipeline output as run `runId` wrote it, from the run cache rather than the working tree: a
 * file by the hash the run recorded, a folder by the run cache's record of its files, rebuilt and
 * checked against the folder hash the run recorded. Every byte is hashed again on the way in.
 */
async function storeFromRunCache(
  projectDir: string,
  db: Database,
  runId: string,
  name: string,
  recorded: string,
): Promise<Stored> {
  const cached = runCacheObjects(projectDir);
  const store = dataStore(projectDir);
  const missing = () =>
    new BenchtopError('NOT_FOUND', `The run cache has no copy of ${name} as run ${runId} wrote it.`, {
      field: 'artifact',
      hint: 'The cache was cleaned since; reproduce the run (`benchtop reproduce`) to write it again.',
    });
  const take = async (hash: string): Promise<number> => {
    if (!store.has(hash)) {
      if (!cached.has(hash)) throw missing();
      const got = await store.put(cached.pathOf(hash));
      if (got !== hash)
        throw new BenchtopError(
          'CONFLICT',
          `The run cache's copy of ${name} does not match what run ${runId} recorded.`,
          {
            field: 'artifact',
            hint: 'Run `benchtop doctor` to check the cache.',
          },
        );
    }
    return statSync(store.pathOf(hash)).size;
  };
  if (!recorded.startsWith('dir:')) {
    const size = await take(recorded);
    return { path: name, kind: 'file', hash: recorded, size, files: 1, format: detectFileFormat(name) };
  }
  const rows = db.prepare('SELECT outs FROM run_cache ORDER BY run_id = ? DESC').all(runId) as { outs: string }[];
  for (const row of rows) {
    let outs: { path?: unknown; files?: unknown; dir?: unknown }[];
    try {
      outs = JSON.parse(row.outs) as typeof outs;
    } catch {
      continue;
    }
    for (const o of Array.isArray(outs) ? outs : []) {
      if (o.path !== name || o.dir !== true || o.files === null || typeof o.files !== 'object') continue;
      const files = o.files as Record<string, string>;
      if (folderHash(files) !== recorded) continue;
      const entries: ManifestEntry[] = [];
      for (const [rel, hash] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        entries.push({ path: rel, hash, size: await take(hash) });
      const m = encodeManifest(entries);
      await store.putBytes(m.bytes, m.hash);
      return {
        path: name,
        kind: 'folder',
        hash: m.hash,
        size: entries.reduce((n, e) => n + e.size, 0),
        files: entries.length,
        format: detectFolderFormat(entries.map((e) => e.path)),
      };
    }
  }
  throw missing();
}

/** A run's artifact: a logged file (already in the cache), a folder of logged files, or a pipeline output checked against the hash the run recorded. */
async function storeRunArtifact(
  projectDir: string,
  db: Database,
  runId: string,
  given: string,
  opts: { model: string; fromCache: boolean },
): Promise<Stored> {
  const name = checkArtifactName(given, 'artifact');
  const rows = db
    .prepare(
      `SELECT path, role, hash, size FROM run_artifacts WHERE run_id = ? AND role IN ('artifact', 'out') AND (path = ? OR substr(path, 1, ?) = ?) ORDER BY role = 'artifact' DESC, path`,
    )
    .all(runId, name, name.length + 1, `${name}/`) as {
    path: string;
    role: 'artifact' | 'out';
    hash: string | null;
    size: number | null;
  }[];
  const store = dataStore(projectDir);
  const exact = rows.find((r) => r.path === name);
  if (exact?.role === 'artifact' && exact.hash) {
    if (!store.has(exact.hash))
      throw new BenchtopError(
        'NOT_FOUND',
        `The bytes of artifact ${name} of run ${runId} are missing from the cache.`,
        { field: 'artifact', hint: 'Fetch them with `benchtop data pull`, or register from the file with --path.' },
      );
    return {
      path: name,
      kind: 'file',
      hash: exact.hash,
      size: exact.size ?? statSync(store.pathOf(exact.hash)).size,
      files: 1,
      format: detectFileFormat(name),
    };
  }
  if (exact?.role === 'out' && opts.fromCache) {
    if (!exact.hash)
      throw new BenchtopError('NOT_FOUND', `Run ${runId} recorded no hash for its output ${name}.`, {
        field: 'artifact',
        hint: 'Register the file in the working tree instead, without --from-cache.',
      });
    return storeFromRunCache(projectDir, db, runId, name, exact.hash);
  }
  if (exact?.role === 'out') {
    // A pipeline output lives in the working tree; it is the run's only if it still has the hash the run recorded.
    const now = await new FileHasher(projectDir, db).hash(name);
    // The run cache keeps what each run wrote: the exact command that registers those bytes.
    const fromCache = `\`benchtop models register ${opts.model} --run ${runId} --path ${name} --from-cache\``;
    if (now === null)
      throw new BenchtopError('NOT_FOUND', `Output ${name} of run ${runId} is no longer in the working tree.`, {
        field: 'artifact',
        hint: `Register what the run wrote from the run cache with ${fromCache}, or reproduce the run (\`benchtop reproduce\`) to write it again.`,
      });
    if (exact.hash !== now)
      throw new BenchtopError('CONFLICT', `${name} has changed since run ${runId} wrote it.`, {
        field: 'artifact',
        hint: `Register the bytes run ${runId} wrote from the run cache with ${fromCache}; or register the current file from the run that wrote it, or with --path alone (without the run lineage).`,
      });
    const stored = await storePath(projectDir, name);
    const again = await new FileHasher(projectDir, db).hash(name);
    if (again !== now)
      throw new BenchtopError('CONFLICT', `${name} changed while it was being registered.`, {
        field: 'artifact',
        hint: 'Wait for whatever writes it to finish, then register again.',
      });
    return stored;
  }
  const logged = rows.filter((r) => r.role === 'artifact' && r.hash && r.path !== name);
  if (logged.length) {
    const entries: ManifestEntry[] = [];
    for (const r of logged) {
      if (!store.has(r.hash!))
        throw new BenchtopError(
          'NOT_FOUND',
          `The bytes of artifact ${r.path} of run ${runId} are missing from the cache.`,
          { field: 'artifact', hint: 'Fetch them with `benchtop data pull`.' },
        );
      entries.push({
        path: r.path.slice(name.length + 1),
        hash: r.hash!,
        size: r.size ?? statSync(store.pathOf(r.hash!)).size,
      });
    }
    const m = encodeManifest(entries);
    await store.putBytes(m.bytes, m.hash);
    return {
      path: name,
      kind: 'folder',
      hash: m.hash,
      size: entries.reduce((n, e) => n + e.size, 0),
      files: entries.length,
      format: detectFolderFormat(entries.map((e) => e.path)),
    };
  }
  const known = (
    db
      .prepare(
        `SELECT DISTINCT path FROM run_artifacts WHERE run_id = ? AND role IN ('artifact', 'out') ORDER BY path LIMIT 20`,
      )
      .all(runId) as { path: string }[]
  ).map((r) => r.path);
  throw new BenchtopError('NOT_FOUND', `Run ${runId} has no artifact or output ${name}.`, {
    field: 'artifact',
    hint: known.length
      ? `Its artifacts are: ${known.join(', ')}.`
      : 'The run logged no artifacts; register from a file with --path.',
  });
}

/** Registers a new version; returns its number. */
export async function registerVersion(
  projectDir: string,
  db: Database,
  input: RegisterInput,
  base = projectDir,
): Promise<number> {
  checkModelName(input.name);
  if (input.artifact !== undefined && input.path !== undefined)
    throw new BenchtopError('INVALID_INPUT', 'Give either a run artifact or a path, not both.', { field: 'path' });
  if (input.artifact !== undefined && !input.runId)
    throw new BenchtopError('INVALID_INPUT', 'A run artifact needs the run it belongs to.', {
      field: 'runId',
      hint: 'Pass --run RUN with --path ARTIFACT.',
    });
  if (input.artifact === undefined && input.path === undefined)
    throw new BenchtopError('INVALID_INPUT', 'Say what to register: a run artifact or a path.', {
      field: 'path',
      hint: 'Use --run RUN --path ARTIFACT, or --path FILE for a file in the project.',
    });
  if (input.fromCache && input.artifact === undefined)
    throw new BenchtopError(
      'INVALID_INPUT',
      "Taking a version from the run cache needs the run and its output's path.",
      {
        field: 'fromCache',
        hint: 'Pass --run RUN --path OUTPUT with --from-cache.',
      },
    );
  const run = input.runId ? getRun(db, input.runId) : null;
  if (run?.deleted)
    throw new BenchtopError('CONFLICT', `Run ${run.id} is deleted.`, {
      field: 'runId',
      hint: 'Restore it with `benchtop runs restore` first.',
    });
  const stored =
    input.artifact !== undefined
      ? await storeRunArtifact(projectDir, db, run!.id, input.artifact, {
          model: input.name,
          fromCache: input.fromCache === true,
        })
      : await storePath(projectDir, projectRelative(projectDir, input.path!, base));

  const metrics: Record<string, number> = {};
  for (const m of run?.metrics ?? []) metrics[m.key] = m.value;
  const data = (run?.inputs ?? []).map((i) => ({ dataset: i.dataset, version: i.version, context: i.context }));
  let signature: ModelSignature | null = null;
  if (input.signature)
    signature = { inputs: input.signature.map((c) => ({ name: c.name, type: c.type })), source: 'given' };
  else if (data.length) signature = await signatureFromData(projectDir, data, input.exclude ?? []);
  const gitCommit = run ? run.gitCommit : await headCommit(projectDir);

  return writeTransaction(db, () => {
    const at = new Date().toISOString();
    db.prepare(
      'INSERT INTO registered_models (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at',
    ).run(input.name, at, at);
    const version = (
      db
        .prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM model_versions WHERE model_name = ?')
        .get(input.name) as { v: number }
    ).v;
    db.prepare(
      `INSERT INTO model_versions (model_name, version, run_id, created_at, artifact_path, artifact_kind, artifact_hash, size, files, format, source,
         params_json, metrics_json, data_json, git_commit, signature_json, description, predict, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      input.name,
      version,
      run?.id ?? null,
      at,
      stored.path,
      stored.kind,
      stored.hash,
      stored.size,
      stored.files,
      input.format ?? stored.format,
      input.source ?? (run ? 'run' : 'path'),
      JSON.stringify(run?.params ?? {}),
      toWire(metrics),
      JSON.stringify(data),
      gitCommit,
      signature ? JSON.stringify(signature) : null,
      input.description ?? '',
      input.predict ?? null,
      at,
    );
    const tag = db.prepare('INSERT INTO model_version_tags (model_name, version, key, value) VALUES (?, ?, ?, ?)');
    for (const [k, v] of Object.entries(input.tags ?? {})) tag.run(input.name, version, k, v);
    return version;
  });
}
