// Runs in: main (core). Lineage: which version of each tracked dataset a run read. The pipeline
// runner records it for every stage dependency that is tracked data (or lies inside a tracked
// folder); `data.usage` turns it around: for each version of a dataset, the runs and registered
// model versions that used it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { FileHasher } from '../util/hashing';
import { writeTransaction } from '../store/database';
import { dataLog } from './history';
import { POINTER_SUFFIX } from '../util/layout';
import { pointerPathOf, readPointer } from './pointer';
import { projectRelative } from './paths';
import { workspaceHash } from './status';

export interface TrackedInput {
  dataset: string;
  /** The dataset's hash as the run read it: the pointer's when the data matches its pointer. */
  version: string;
}

function normalise(dep: string): string {
  return path.posix.normalize(dep.split(path.sep).join('/')).replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Tracked paths a dependency reaches: itself, the tracked folder it lies in, or tracked data inside it. */
function trackedPathsOf(projectDir: string, dep: string): string[] {
  const rel = normalise(dep);
  if (rel === '' || rel === '.' || rel.startsWith('..')) return [];
  if (existsSync(path.join(projectDir, pointerPathOf(rel)))) return [rel];
  for (let dir = path.posix.dirname(rel); dir !== '.' && dir !== '/'; dir = path.posix.dirname(dir)) {
    if (existsSync(path.join(projectDir, pointerPathOf(dir)))) return [dir];
  }
  const abs = path.join(projectDir, rel);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) return [];
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(path.join(projectDir, d), { withFileTypes: true })) {
      const child = `${d}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && e.name.endsWith(POINTER_SUFFIX)) found.push(child.slice(0, -POINTER_SUFFIX.length));
    }
  };
  walk(rel);
  return found.sort();
}

/** The tracked datasets among a stage's dependencies, at the version the stage saw. */
export async function trackedInputs(
  projectDir: string,
  hasher: FileHasher,
  deps: readonly string[],
): Promise<TrackedInput[]> {
  const out = new Map<string, string>();
  for (const dep of deps) {
    for (const dataset of trackedPathsOf(projectDir, dep)) {
      if (out.has(dataset)) continue;
      try {
        const pointer = readPointer(projectDir, pointerPathOf(dataset));
        const now = await workspaceHash(projectDir, hasher, dataset, pointer.kind);
        // Data changed since its pointer was written is recorded by what the run really read.
        if (now && /^[0-9a-f]{64}$/.test(now.hash)) out.set(dataset, now.hash);
      } catch {
        // A pointer that does not parse names no version; the stage's dep row still has its hash.
      }
    }
  }
  return [...out].map(([dataset, version]) => ({ dataset, version }));
}

/** Records the run's tracked inputs (context 'training' unless the run already said otherwise). */
export async function recordLineage(
  db: Database,
  projectDir: string,
  hasher: FileHasher,
  runId: string,
  deps: readonly string[],
): Promise<TrackedInput[]> {
  const inputs = await trackedInputs(projectDir, hasher, deps);
  if (inputs.length === 0) return inputs;
  writeTransaction(db, () => {
    const put = db.prepare(
      `INSERT INTO run_inputs (run_id, dataset, version, context) VALUES (?, ?, ?, 'training') ON CONFLICT (run_id, dataset, context) DO UPDATE SET version = excluded.version`,
    );
    for (const i of inputs) put.run(runId, i.dataset, i.version);
  });
  return inputs;
}

export interface UsageRun {
  id: string;
  name: string;
  status: string;
  startedAt: string | null;
  gitCommit: string | null;
  context: string;
  deleted: boolean;
}

export interface UsageModel {
  name: string;
  version: number;
  runId: string;
}

export interface UsageVersion {
  hash: string;
  /** The commits that hold this version (newest first); empty for a version never committed. */
  commits: { commit: string; date: string; message: string }[];
  /** The working tree's pointer names this version. */
  current: boolean;
  runs: UsageRun[];
  models: UsageModel[];
}

/** Each version of a tracked path, newest first, with the runs and model versions that used it. */
export async function dataUsage(
  projectDir: string,
  db: Database,
  given: string,
  base = projectDir,
): Promise<{ path: string; versions: UsageVersion[] }> {
  const rel = projectRelative(projectDir, given, base);
  const runRows = db
    .prepare(
      `SELECT i.version, i.context, r.id, r.name, r.status, r.started_at AS startedAt, r.git_commit AS gitCommit, r.deleted_at AS deletedAt
         FROM run_inputs i JOIN runs r ON r.id = i.run_id WHERE i.dataset = ? ORDER BY r.started_at DESC, r.id`,
    )
    .all(rel) as {
    version: string;
    context: string;
    id: string;
    name: string;
    status: string;
    startedAt: string | null;
    gitCommit: string | null;
    deletedAt: string | null;
  }[];
  let log: Awaited<ReturnType<typeof dataLog>> = [];
  try {
    log = await dataLog(projectDir, rel);
  } catch (err) {
    // Data used by runs but tracked only in a repository-less project still has its usage.
    if (runRows.length === 0 && !existsSync(path.join(projectDir, pointerPathOf(rel)))) throw err;
  }
  let current: string | null = null;
  if (existsSync(path.join(projectDir, pointerPathOf(rel)))) {
    try {
      current = readPointer(projectDir, pointerPathOf(rel)).hash;
    } catch {
      current = null;
    }
  }
  const versions = new Map<string, UsageVersion>();
  const version = (hash: string): UsageVersion => {
    let v = versions.get(hash);
    if (!v) versions.set(hash, (v = { hash, commits: [], current: hash === current, runs: [], models: [] }));
    return v;
  };
  if (current && !log.some((l) => l.pointer?.hash === current)) version(current);
  for (const l of log)
    if (l.pointer) version(l.pointer.hash).commits.push({ commit: l.commit, date: l.date, message: l.message });
  const models = db.prepare(
    'SELECT model_name AS name, version, run_id AS runId FROM model_versions WHERE run_id = ? ORDER BY model_name, version',
  );
  for (const r of runRows) {
    const v = version(r.version);
    if (!v.runs.some((x) => x.id === r.id)) {
      v.runs.push({
        id: r.id,
        name: r.name,
        status: r.status,
        startedAt: r.startedAt,
        gitCommit: r.gitCommit,
        context: r.context,
        deleted: r.deletedAt !== null,
      });
      v.models.push(...(models.all(r.id) as UsageModel[]));
    }
  }
  if (versions.size === 0)
    throw new BenchtopError('NOT_FOUND', `${rel} has no version yet.`, {
      field: 'path',
      hint: 'Track it with `benchtop data add`, then commit it with `benchtop data commit -m MSG`.',
    });
  return { path: rel, versions: [...versions.values()] };
}
