// Runs in: main (core). `benchtop data push` and `pull`: copy the cache objects the tracked data
// needs between the cache and a remote (a folder, or an S3-compatible bucket through
// `data/s3-remote.ts`), only those missing on the other side, a few at a time. Each object lands in a temp file, is checked against its name (sha256) and only then is
// renamed into place, so an interrupted transfer leaves no half object and a rerun sends the rest.
import fs, { readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { headCommit } from '../git/git';
import { checkoutPointers, type CheckoutResult } from './checkout';
import { corruptObjects } from './repair';
import { decodeManifest } from './manifest';
import { dataPathOf, parsePointer, pointerPathOf, type DataPointer } from './pointer';
import { projectRelative } from './paths';
import { boundedPool } from '../util/bounded-pool';
import { CorruptObject, remoteObjects } from './remote-objects';
import { resolveRemote } from './remotes';
import { findPointers } from './pointer';
import { dataStore } from './track';
import { stampOf, VerifiedObjects, type VerifiedEntry } from './verified-objects';

export interface TransferProgress {
  path: string;
  done: number;
  total: number;
}

export interface TransferOptions {
  remote?: string | null;
  /** Tracked paths (relative to `base`); none: every tracked path of the working tree. */
  paths?: readonly string[];
  base?: string;
  /** Objects copied at once. */
  concurrency?: number;
  onProgress?: (p: TransferProgress) => void;
  /**
   * Fault injection for tests of interrupted transfers: after this many objects are complete, the
   * next one is half written to its temp file and the process is killed (SIGKILL), as a crash would.
   */
  killAfterObjects?: number;
}

export interface TransferResult {
  remote: string;
  /** Distinct objects the selected data needs. */
  objects: number;
  /** Objects copied by this call. */
  transferred: number;
  /** Objects the destination had already. */
  present: number;
  /** Bytes copied by this call. */
  bytes: number;
}

export interface PullResult extends TransferResult {
  checkout: Pick<CheckoutResult, 'restored' | 'unchanged'> | null;
  /** Tracked paths whose cache object held other bytes than its name says, fetched again. */
  repaired: string[];
}

const TMP = 'tmp';
const TEMP_NAME = /^([0-9a-f]{64})\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;
const DAY_MS = 24 * 3600 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files that transfers which died left behind: this machine's whose process is gone,
 * and other machines' (a shared NAS) after a day. A live transfer's temp files are never touched.
 */
export function sweepStaleTemps(root: string): number {
  const dir = path.join(root, TMP);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const stale = m[2] === os.hostname() ? !alive(Number(m[3])) : Date.now() - statSync(file).mtimeMs > DAY_MS;
    if (stale) {
      rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}

interface Selected {
  rel: string;
  pointerRel: string;
  text: Buffer;
  pointer: DataPointer;
}

/** The working tree's pointers for the paths named (all of them when none is). */
function selectPointers(projectDir: string, given: readonly string[], base: string): Selected[] {
  const all = findPointers(projectDir);
  let chosen = all;
  if (given.length) {
    chosen = [];
    for (const g of given) {
      const pointerRel = pointerPathOf(projectRelative(projectDir, g, base));
      if (!all.includes(pointerRel))
        throw new BenchtopError('NOT_FOUND', `${dataPathOf(pointerRel)} is not tracked.`, {
          field: 'paths',
          hint: 'Track it with `benchtop data add`, or see tracked data with `benchtop data status`.',
        });
      if (!chosen.includes(pointerRel)) chosen.push(pointerRel);
    }
  }
  return chosen.map((pointerRel) => {
    const text = fs.readFileSync(path.join(projectDir, pointerRel));
    return { rel: dataPathOf(pointerRel), pointerRel, text, pointer: parsePointer(text.toString('utf8'), pointerRel) };
  });
}

function raise(errors: unknown[], remote: string, verb: string): void {
  if (errors.length === 0) return;
  const corrupt = errors.filter(
    (e): e is BenchtopError => e instanceof CorruptObject || (e instanceof BenchtopError && e.code === 'BAD_FILE'),
  );
  const first = (corrupt[0] ?? errors[0]) as Error;
  if (errors.length === 1 && first instanceof BenchtopError) throw first;
  const more = `${errors.length} objects could not be ${verb} ${remote}`;
  if (first instanceof BenchtopError)
    throw new BenchtopError(first.code, `${more}; the first: ${first.message}`, { hint: first.hint });
  throw new BenchtopError('INTERNAL', `${more}; the first: ${first.message}`, {
    hint: 'Fix the cause and run the command again: only what is still missing is copied.',
  });
}

/** Sends the objects of the tracked data that the remote does not have. */
export async function pushData(projectDir: string, opts: TransferOptions = {}): Promise<TransferResult> {
  const remote = resolveRemote(projectDir, opts.remote);
  const selected = selectPointers(projectDir, opts.paths ?? [], opts.base ?? projectDir);
  const store = dataStore(projectDir);
  const owner = new Map<string, string>();
  const missing: string[] = [];
  for (const s of selected) {
    if (!store.has(s.pointer.hash)) {
      missing.push(s.rel);
      continue;
    }
    owner.set(s.pointer.hash, s.rel);
    if (s.pointer.kind === 'folder') {
      const entries = decodeManifest(store.readBytes(s.pointer.hash), s.pointer.hash);
      const lacking = entries.filter((e) => !store.has(e.hash));
      if (lacking.length)
        missing.push(
          `${s.rel}/${lacking[0]!.path}${lacking.length > 1 ? ` (and ${lacking.length - 1} more files)` : ''}`,
        );
      for (const e of entries) if (!owner.has(e.hash)) owner.set(e.hash, s.rel);
    }
  }
  // Checked before anything is sent: a push never leaves the remote with half a version.
  if (missing.length)
    throw new BenchtopError('NOT_FOUND', `The cache lacks the data of ${missing.join(', ')}, so it cannot be pushed.`, {
      field: 'paths',
      hint: 'Pull it from a remote that has it, or add the data again. Nothing was sent.',
    });
  if (remote.kind === 'folder') sweepStaleTemps(remote.path);
  const side = remoteObjects(remote, store.root, opts.killAfterObjects);
  // An object on the remote with another size than the cache's is sent again, over it.
  const there = await side.has([...owner.keys()], (h) => statSync(store.pathOf(h)).size);
  const needed = [...owner.keys()].filter((h) => !there.has(h));
  const present = owner.size - needed.length;
  let done = 0;
  let bytes = 0;
  let transferred = 0;
  opts.onProgress?.({ path: '', done, total: needed.length });
  const errors = await boundedPool(needed, opts.concurrency ?? side.concurrency, async (hash) => {
    // Read after the await: `bytes += await …` would add to a stale total when copies overlap.
    const size = await side.send(hash);
    bytes += size;
    transferred++;
    opts.onProgress?.({ path: owner.get(hash)!, done: ++done, total: needed.length });
  });
  raise(errors, remote.name, 'sent to');
  return { remote: remote.name, objects: owner.size, transferred, present, bytes };
}

/**
 * Fetches the objects of the tracked data that the cache lacks, then (unless `checkout` is false)
 * brings the workspace to the working tree's pointers, refusing to overwrite unsaved changes
 * unless forced, like `data checkout`.
 */
export async function pullData(
  projectDir: string,
  db: Database,
  opts: TransferOptions & { checkout?: boolean; force?: boolean } = {},
): Promise<PullResult> {
  const remote = resolveRemote(projectDir, opts.remote);
  const selected = selectPointers(projectDir, opts.paths ?? [], opts.base ?? projectDir);
  const store = dataStore(projectDir);
  sweepStaleTemps(store.root);
  const side = remoteObjects(remote, store.root, opts.killAfterObjects);
  const seen = new Set<string>();
  const errors: unknown[] = [];
  const fetched: VerifiedEntry[] = [];
  let present = 0;
  let transferred = 0;
  let bytes = 0;
  let done = 0;
  let total = 0;
  // Manifests first: a folder's file list is known only once its manifest is here.
  const repaired: string[] = [];
  const fetchAll = async (items: { hash: string; rel: string; size?: number; name?: string }[]): Promise<void> => {
    const fresh = items.filter((i) => !seen.has(i.hash) && (seen.add(i.hash), true));
    // An object present with other bytes than its name says is fetched again, over it.
    const bad = await corruptObjects(
      store,
      db,
      fresh.filter((i) => store.has(i.hash)),
    );
    for (const i of fresh) if (bad.has(i.hash)) repaired.push(i.name ?? i.rel);
    const needed = fresh.filter((i) => !store.has(i.hash) || bad.has(i.hash));
    present += fresh.length - needed.length;
    total += needed.length;
    opts.onProgress?.({ path: '', done, total });
    const there = await side.has(needed.map((i) => i.hash));
    const unavailable = needed.filter((i) => !there.has(i.hash));
    for (const u of unavailable)
      errors.push(
        new BenchtopError('NOT_FOUND', `Object ${u.hash} of ${u.rel} is not on remote ${remote.name}.`, {
          field: 'paths',
          hint: 'Push it there from a clone whose cache has it (`benchtop data push`).',
        }),
      );
    errors.push(
      ...(await boundedPool(
        needed.filter((i) => !unavailable.includes(i)),
        opts.concurrency ?? side.concurrency,
        async (i) => {
          const size = await side.fetch(i.hash, i.size);
          // Its bytes hashed to its name on the way in: a checkout can copy it without reading it again.
          const stamp = stampOf(store.pathOf(i.hash));
          if (stamp) fetched.push({ hash: i.hash, stamp });
          bytes += size;
          transferred++;
          opts.onProgress?.({ path: i.rel, done: ++done, total });
        },
      )),
    );
  };
  await fetchAll(
    selected.map((s) => ({
      hash: s.pointer.hash,
      rel: s.rel,
      ...(s.pointer.kind === 'file' ? { size: s.pointer.size } : {}),
    })),
  );
  const files: { hash: string; rel: string; size: number; name: string }[] = [];
  for (const s of selected) {
    if (s.pointer.kind !== 'folder' || !store.has(s.pointer.hash)) continue;
    for (const e of decodeManifest(store.readBytes(s.pointer.hash), s.pointer.hash))
      files.push({ hash: e.hash, rel: s.rel, size: e.size, name: `${s.rel}/${e.path}` });
  }
  await fetchAll(files);
  new VerifiedObjects(db).record(fetched);
  raise(errors, remote.name, 'fetched from');
  const result: PullResult = {
    remote: remote.name,
    objects: seen.size,
    transferred,
    present,
    bytes,
    checkout: null,
    repaired,
  };
  if (opts.checkout === false || selected.length === 0) return result;
  const pointers = new Map(selected.map((s) => [s.pointerRel, s.text]));
  const head = (await headCommit(projectDir)) ?? '';
  const checked = await checkoutPointers(projectDir, db, head, 'the working tree', pointers, [], {
    force: opts.force,
    onProgress: opts.onProgress,
  });
  result.checkout = { restored: checked.restored, unchanged: checked.unchanged };
  return result;
}
