// Runs in: main (core). `benchtop data verify`: rehash every object in the cache and name the ones
// whose bytes no longer match their name (a failing disk, a stray edit). It reads every object
// whatever the verification records say, and leaves the records matching what it found: good
// objects recorded with their stat, corrupt ones forgotten (a checkout then hashes them and refuses).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { checkPointerSize } from './checkout';
import { runHashTasks } from './hash-pool';
import { decodeManifest } from './manifest';
import { readPointer } from './pointer';
import { findPointers } from './pointer';
import { dataStore } from './track';
import { sameStamp, stampOf, VerifiedObjects, type ObjectStamp, type VerifiedEntry } from './verified-objects';

export interface VerifyResult {
  checked: number;
  corrupt: { hash: string; actual: string }[];
  /** Working-tree pointers whose size is not that of the data they name (cases an intact cache cannot show). */
  badPointers: { pointer: string; problem: string }[];
}

/** Each working pointer whose object is here (and intact) but whose size does not match its bytes. */
function checkPointers(projectDir: string, corrupt: ReadonlySet<string>): VerifyResult['badPointers'] {
  const store = dataStore(projectDir);
  const out: VerifyResult['badPointers'] = [];
  for (const pointerRel of findPointers(projectDir)) {
    try {
      const p = readPointer(projectDir, pointerRel);
      if (!store.has(p.hash) || corrupt.has(p.hash)) continue;
      const actual =
        p.kind === 'folder'
          ? decodeManifest(store.readBytes(p.hash), p.hash).reduce((n, e) => n + e.size, 0)
          : statSync(store.pathOf(p.hash)).size;
      checkPointerSize(pointerRel, p, actual);
    } catch (err) {
      out.push({ pointer: pointerRel, problem: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** Objects per round: progress moves, and a cache of a million objects is not stat'ed all at once. */
const ROUND = 2048;

export async function verifyCache(
  projectDir: string,
  db: Database,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyResult> {
  const store = dataStore(projectDir);
  const verified = new VerifiedObjects(db);
  const hashes: string[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(store.root).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
    return { checked: 0, corrupt: [], badPointers: checkPointers(projectDir, new Set()) };
  }
  for (const d of dirs)
    for (const f of readdirSync(path.join(store.root, d))) if (/^[0-9a-f]{62}$/.test(f)) hashes.push(d + f);
  hashes.sort();
  const corrupt: VerifyResult['corrupt'] = [];
  for (let from = 0; from < hashes.length; from += ROUND) {
    const round = hashes.slice(from, from + ROUND);
    const before: (ObjectStamp | null)[] = round.map((h) => stampOf(store.pathOf(h)));
    // The pool spreads the objects over the cores; an object removed meanwhile (a gc) is skipped.
    const present = round.map((_, i) => i).filter((i) => before[i] !== null);
    const actual = await runHashTasks(
      present.map((i) => ({ file: store.pathOf(round[i]!), size: Number(before[i]!.size) })),
      (done) => onProgress?.(from + done, hashes.length),
    );
    const good: VerifiedEntry[] = [];
    const bad: string[] = [];
    present.forEach((i, k) => {
      const hash = round[i]!;
      if (actual[k] !== hash) {
        corrupt.push({ hash, actual: actual[k]! });
        bad.push(hash);
        return;
      }
      const now = stampOf(store.pathOf(hash));
      if (now && sameStamp(now, before[i]!)) good.push({ hash, stamp: now });
    });
    verified.record(good);
    verified.forget(bad);
    onProgress?.(Math.min(from + ROUND, hashes.length), hashes.length);
  }
  return {
    checked: hashes.length,
    corrupt,
    badPointers: checkPointers(projectDir, new Set(corrupt.map((c) => c.hash))),
  };
}
