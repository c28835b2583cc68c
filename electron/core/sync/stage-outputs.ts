// Runs in: main (core). Stage outputs travel too: benchtop.lock (committed) names each output's
// hash, and the run cache holds its bytes. Push sends those objects to the data remote; pull
// restores the outputs a clone lacks, so its `benchtop status` says what the original's does
// (up to date) instead of asking to run every stage again. An output already here is never
// touched, whatever it holds: status then says it changed, as it would for any edit.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { remoteObjects } from '../data/remote-objects';
import type { Remote } from '../data/remotes';
import { ObjectStore } from '../git/object-store';
import { readLock } from '../pipeline/lock';
import { boundedPool } from '../util/bounded-pool';
import { CACHE_DIR } from '../util/layout';
import { checkRemovable } from '../util/path-policy';

const FILE_HASH = /^[0-9a-f]{64}$/;

/** Where the run cache keeps outputs' bytes (pipeline/run-cache.ts). */
const runCacheObjects = (projectDir: string): ObjectStore =>
  new ObjectStore(path.join(projectDir, CACHE_DIR, 'objects'));

/** The file outputs benchtop.lock names, with their hashes (folders are restored by running their stage). */
export function lockedOutputs(projectDir: string): { path: string; hash: string }[] {
  const out = new Map<string, string>();
  for (const entry of Object.values(readLock(projectDir).stages))
    for (const [p, hash] of Object.entries(entry.outs)) if (hash && FILE_HASH.test(hash)) out.set(p, hash);
  return [...out].map(([p, hash]) => ({ path: p, hash }));
}

/** Sends the locked outputs' objects the remote lacks; returns how many were sent. */
export async function pushStageOutputs(projectDir: string, remote: Remote): Promise<number> {
  const store = runCacheObjects(projectDir);
  const outputs = lockedOutputs(projectDir);
  // An output the run cache does not keep (its stage always runs) is taken from the workspace
  // while it still holds what the lock says.
  for (const o of outputs) {
    if (store.has(o.hash)) continue;
    const file = path.join(projectDir, o.path);
    if (existsSync(file) && statSync(file).isFile()) await store.put(file);
  }
  const hashes = [...new Set(outputs.map((o) => o.hash))].filter((h) => store.has(h));
  const side = remoteObjects(remote, store.root);
  const there = await side.has(hashes, (h) => statSync(store.pathOf(h)).size);
  const needed = hashes.filter((h) => !there.has(h));
  const errors = await boundedPool(needed, side.concurrency, async (h) => {
    await side.send(h);
  });
  if (errors.length) throw errors[0];
  return needed.length;
}

/** Restores the locked outputs missing here, from the run cache or the remote; names those it could not. */
export async function restoreStageOutputs(
  projectDir: string,
  remote: Remote,
): Promise<{ restored: string[]; unavailable: string[] }> {
  const store = runCacheObjects(projectDir);
  const missing = lockedOutputs(projectDir).filter((o) => !existsSync(path.join(projectDir, o.path)));
  const side = remoteObjects(remote, store.root);
  const toFetch = [...new Set(missing.map((o) => o.hash))].filter((h) => !store.has(h));
  const there = await side.has(toFetch);
  const errors = await boundedPool(
    toFetch.filter((h) => there.has(h)),
    side.concurrency,
    async (h) => {
      await side.fetch(h);
    },
  );
  if (errors.length) throw errors[0];
  const restored: string[] = [];
  const unavailable: string[] = [];
  for (const o of missing) {
    if (!store.has(o.hash)) {
      unavailable.push(o.path);
      continue;
    }
    // benchtop.lock came from git: its paths pass the same policy as any stage output.
    const target = checkRemovable(projectDir, o.path, { field: 'outs' });
    if (existsSync(target.abs)) continue;
    await store.get(o.hash, target.abs);
    restored.push(o.path);
  }
  return { restored, unavailable };
}
