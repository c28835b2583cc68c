// Runs in: main (core). Cache objects are trusted by name; one whose bytes no longer match its name
// (a flipped bit, a stray edit, a copy cut short by a crash) must not make `data add` of the good
// bytes say "unchanged" or `data pull` skip it as present. These checks find such an object cheaply
// (its verification record, then its size, then its hash) so the caller can replace it.
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { ObjectStore } from '../git/object-store';
import { runHashTasks } from './hash-pool';
import { stampOf, VerifiedObjects, type VerifiedEntry } from './verified-objects';

export interface ObjectCheck {
  hash: string;
  /** The size its bytes should have, when known (a pointer's or a manifest entry's). */
  size?: number;
}

/**
 * The hashes among `items` whose object is in the store but does not hold the bytes its name says.
 * Objects found good are recorded as verified, so the next check of them is a stat.
 */
export async function corruptObjects(
  store: ObjectStore,
  db: Database,
  items: readonly ObjectCheck[],
): Promise<Set<string>> {
  const verified = new VerifiedObjects(db);
  const bad = new Set<string>();
  const toHash: { hash: string; stamp: NonNullable<ReturnType<typeof stampOf>> }[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.hash)) continue;
    seen.add(item.hash);
    const stamp = stampOf(store.pathOf(item.hash));
    if (!stamp || verified.holdsStamp(item.hash, stamp)) continue;
    if (item.size !== undefined && Number(stamp.size) !== item.size) bad.add(item.hash);
    else toHash.push({ hash: item.hash, stamp });
  }
  if (toHash.length) {
    const actual = await runHashTasks(toHash.map((t) => ({ file: store.pathOf(t.hash), size: Number(t.stamp.size) })));
    const good: VerifiedEntry[] = [];
    toHash.forEach((t, i) => {
      if (actual[i] !== t.hash) bad.add(t.hash);
      else if (statSync(store.pathOf(t.hash), { throwIfNoEntry: false })) good.push(t);
    });
    verified.record(good);
  }
  verified.forget([...bad]);
  return bad;
}
