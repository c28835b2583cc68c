// Runs in: main (core). `benchtop data gc --remote NAME`: free a remote (a folder or a bucket) of
// objects nothing in this clone refers to, by the same mark as the cache's gc (`data/gc.ts`).
// Only this clone's history is known: objects that other clones pushed for commits not fetched
// here look unreferenced, so recent objects are kept (the grace period) and a folder version whose
// file list cannot be read anywhere stops the sweep.
import { existsSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { type GcResult, reachableObjects } from './gc';
import { remoteObjects } from './remote-objects';
import { resolveRemote } from './remotes';
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
  const side = remoteObjects(remote, store.root);
  const objects = await side.list();
  const onRemote = new Set(objects.map((o) => o.hash));
  const readLocal = (h: string): Buffer | null => {
    const file = store.pathOf(h);
    return existsSync(file) ? readFileSync(file) : null;
  };
  // A manifest the cache lacks is read from the remote itself (checked against its name there).
  const { keep, pointerSets, refs, unreadableManifests } = await reachableObjects(projectDir, db, async (h) => {
    const local = readLocal(h);
    if (local) return local;
    return onRemote.has(h) ? side.readBytes(h) : null;
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
  if (!opts.dryRun && removedObjects.length) await side.delete(removedObjects.map((o) => o.hash));
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
