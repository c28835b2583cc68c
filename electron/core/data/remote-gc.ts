// Runs in: main (core). `benchtop data gc --remote NAME`: free a remote (a folder or a bucket) of
// objects nothing in this clone refers to, by the same mark as the cache's gc (`data/gc.ts`).
// Only this clone's history is known: objects that other clones pushed for commits not fetched
// here look unreferenced, so recent objects are kept (the grace period) and a folder version whose
// file list cannot be read anywhere stops the sweep.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { type GcResult, objectsIn, reachableObjects } from './gc';
import { resolveRemote } from './remotes';
import { type RemoteObject, S3Objects, s3TuningFromEnv } from './s3-remote';
import { dataStore } from './track';

export interface RemoteGcResult extends GcResult {
  remote: string;
  removedObjects: { hash: string; size: number }[];
}

export async function gcRemote(
  projectDir: string,
  db: Database,
  name: string,
  opts: { dryRun?: boolean; graceMs?: number } = {},
): Promise<RemoteGcResult> {
  const remote = resolveRemote(projectDir, name);
  const store = dataStore(projectDir);
  const bucket = remote.kind === 's3' ? new S3Objects(remote, s3TuningFromEnv()) : null;
  const objects: RemoteObject[] = bucket
    ? await bucket.list()
    : objectsIn(remote.path).map((o) => ({ hash: o.hash, size: o.size, mtimeMs: o.mtimeMs }));
  const onRemote = new Set(objects.map((o) => o.hash));
  const readLocal = (h: string): Buffer | null => {
    const file = store.pathOf(h);
    return existsSync(file) ? readFileSync(file) : null;
  };
  // A manifest the cache lacks is read from the remote itself (checked against its name there).
  const { keep, pointerSets, refs, unreadableManifests } = await reachableObjects(projectDir, db, async (h) => {
    const local = readLocal(h);
    if (local) return local;
    if (!onRemote.has(h)) return null;
    if (bucket) return bucket.readBytes(h);
    const file = path.join(remote.path, h.slice(0, 2), h.slice(2));
    return existsSync(file) ? readFileSync(file) : null;
  });
  if (unreadableManifests && !opts.dryRun)
    throw new BenchtopError(
      'NOT_FOUND',
      `${unreadableManifests} tracked folder version${unreadableManifests === 1 ? '' : 's'} ha${unreadableManifests === 1 ? 's' : 've'} a file list neither in the cache nor on remote ${remote.name}, so which of its objects are in use is unknown; nothing was deleted.`,
      { hint: 'Pull or push that data first (`benchtop data status` shows it), or see what would go with --dry-run.' },
    );
  const cutoff = Date.now() - (opts.graceMs ?? 0);
  const removedObjects: { hash: string; size: number }[] = [];
  let recent = 0;
  for (const o of objects) {
    if (keep.has(o.hash)) continue;
    if (o.mtimeMs > cutoff) {
      recent++;
      continue;
    }
    removedObjects.push({ hash: o.hash, size: o.size });
  }
  if (!opts.dryRun && removedObjects.length) {
    if (bucket) await bucket.delete(removedObjects.map((o) => o.hash));
    else for (const o of removedObjects) rmSync(path.join(remote.path, o.hash.slice(0, 2), o.hash.slice(2)));
  }
  const bytes = removedObjects.reduce((n, o) => n + o.size, 0);
  return {
    dryRun: Boolean(opts.dryRun),
    objects: objects.length,
    kept: objects.length - removedObjects.length,
    removed: removedObjects.length,
    bytes,
    recent,
    references: {
      commits: pointerSets.commits.size,
      workspace: pointerSets.workspace.size,
      runs: refs.runs.size + refs.datasets.size,
      registry: refs.registry.size,
    },
    unreadableManifests,
    remote: remote.name,
    removedObjects,
  };
}
