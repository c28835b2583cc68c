// Runs in: main (core). The cache objects the records name (model versions' artifacts, files runs
// logged as artifacts), sent to and fetched from the data remote beside the tracked data, through
// the same verified transfers (data/remote-objects.ts). Pipeline run-cache objects stay here:
// they are this machine's cache, rebuilt by running the stage.
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { boundedPool } from '../util/bounded-pool';
import { decodeManifest } from '../data/manifest';
import { remoteObjects } from '../data/remote-objects';
import type { Remote } from '../data/remotes';
import { dataStore } from '../data/track';
import { sweepStaleTemps } from '../data/transfer';
import { stampOf, VerifiedObjects, type VerifiedEntry } from '../data/verified-objects';

export interface ObjectProgress {
  done: number;
  total: number;
}

export interface ObjectTransfer {
  /** Objects the records name. */
  objects: number;
  transferred: number;
  bytes: number;
  /** Objects neither here nor on the remote (a version registered on a machine that never pushed). */
  missing: string[];
}

/** The hashes the records name, with the folder manifests' files once the manifests are here. */
function namedObjects(db: Database): { hash: string; what: string; folder: boolean }[] {
  const rows = db
    .prepare(
      `SELECT artifact_hash AS hash, model_name || '/' || version AS what, artifact_kind = 'folder' AS folder
         FROM model_versions WHERE artifact_hash IS NOT NULL
       UNION ALL
       SELECT hash, run_id || ': ' || path AS what, 0 AS folder FROM run_artifacts WHERE role = 'artifact' AND hash IS NOT NULL`,
    )
    .all() as { hash: string; what: string; folder: number }[];
  return rows.map((r) => ({ hash: r.hash, what: r.what, folder: r.folder === 1 }));
}

function withManifestFiles(projectDir: string, items: { hash: string; what: string; folder: boolean }[]) {
  const store = dataStore(projectDir);
  const out = new Map<string, string>();
  for (const i of items) {
    out.set(i.hash, i.what);
    if (!i.folder || !store.has(i.hash)) continue;
    for (const e of decodeManifest(store.readBytes(i.hash), i.hash))
      if (!out.has(e.hash)) out.set(e.hash, `${i.what}/${e.path}`);
  }
  return out;
}

/**
 * Sends the named objects the remote lacks. `killAfter`: the fault injection of interrupted
 * transfers (TransferOptions.killAfterObjects).
 */
export async function pushNamedObjects(
  projectDir: string,
  db: Database,
  remote: Remote,
  onProgress?: (p: ObjectProgress) => void,
  killAfter?: number,
): Promise<ObjectTransfer> {
  const store = dataStore(projectDir);
  const named = withManifestFiles(projectDir, namedObjects(db));
  const local = [...named.keys()].filter((h) => store.has(h));
  // A push killed mid-copy left its temp file on the remote; pushData sweeps too, but only
  // when the project tracks data.
  if (remote.kind === 'folder') sweepStaleTemps(remote.path);
  const side = remoteObjects(remote, store.root, killAfter);
  const there = await side.has(local, (h) => statSync(store.pathOf(h)).size);
  const needed = local.filter((h) => !there.has(h));
  let done = 0;
  let bytes = 0;
  onProgress?.({ done, total: needed.length });
  const errors = await boundedPool(needed, side.concurrency, async (h) => {
    const size = await side.send(h);
    bytes += size;
    onProgress?.({ done: ++done, total: needed.length });
  });
  if (errors.length) throw errors[0];
  const missingHere = [...named.keys()].filter((h) => !store.has(h) && !there.has(h));
  return { objects: named.size, transferred: needed.length, bytes, missing: missingHere.map((h) => named.get(h)!) };
}

/** Fetches the named objects the cache lacks, each verified against its name before it lands. */
export async function pullNamedObjects(
  projectDir: string,
  db: Database,
  remote: Remote,
  onProgress?: (p: ObjectProgress) => void,
  killAfter?: number,
): Promise<ObjectTransfer> {
  const store = dataStore(projectDir);
  // A pull killed mid-copy left its temp file in the cache's tmp/ (as in pullData).
  sweepStaleTemps(store.root);
  const side = remoteObjects(remote, store.root, killAfter);
  let transferred = 0;
  let bytes = 0;
  const missing: string[] = [];
  const fetched: VerifiedEntry[] = [];
  const round = async (named: Map<string, string>): Promise<void> => {
    const needed = [...named.keys()].filter((h) => !store.has(h));
    const there = await side.has(needed);
    let done = 0;
    const available = needed.filter((h) => there.has(h));
    for (const h of needed) if (!there.has(h)) missing.push(named.get(h)!);
    onProgress?.({ done, total: available.length });
    const errors = await boundedPool(available, side.concurrency, async (h) => {
      // Read after the await: `bytes += await …` would add to a stale total when copies overlap.
      const size = await side.fetch(h);
      bytes += size;
      transferred++;
      const stamp = stampOf(store.pathOf(h));
      if (stamp) fetched.push({ hash: h, stamp });
      onProgress?.({ done: ++done, total: available.length });
    });
    if (errors.length) throw errors[0];
  };
  const items = namedObjects(db);
  await round(new Map(items.map((i) => [i.hash, i.what])));
  // Folder artifacts: their files are known once their manifests are here.
  const all = withManifestFiles(projectDir, items);
  const first = new Set(items.map((i) => i.hash));
  await round(new Map([...all].filter(([h]) => !first.has(h))));
  new VerifiedObjects(db).record(fetched);
  return { objects: all.size, transferred, bytes, missing };
}
