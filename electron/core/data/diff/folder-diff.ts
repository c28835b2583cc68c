// Runs in: main (core). What changed between two folder manifests: files added, removed, modified,
// renamed (a removed file whose exact bytes reappear under a new path) and how many stayed.
import type { DataDiff } from '../../../../shared/contract/schemas';
import type { ManifestEntry } from '../manifest';

export type FolderDiff = NonNullable<DataDiff['files']>;

export function diffManifests(before: readonly ManifestEntry[], after: readonly ManifestEntry[]): FolderDiff {
  const a = new Map(before.map((e) => [e.path, e]));
  const b = new Map(after.map((e) => [e.path, e]));
  const byPath = (x: { path: string }, y: { path: string }): number => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  let unchanged = 0;
  const modified: FolderDiff['modified'] = [];
  const gone: ManifestEntry[] = [];
  for (const e of a.values()) {
    const now = b.get(e.path);
    if (!now) gone.push(e);
    else if (now.hash === e.hash) unchanged++;
    else modified.push({ path: e.path, sizeBefore: e.size, sizeAfter: now.size });
  }
  const fresh = [...b.values()].filter((e) => !a.has(e.path)).sort(byPath);
  // New paths by content, in path order, so pairing a rename is deterministic when copies abound.
  const freshByHash = new Map<string, ManifestEntry[]>();
  for (const e of fresh) freshByHash.set(e.hash, [...(freshByHash.get(e.hash) ?? []), e]);
  const renamed: FolderDiff['renamed'] = [];
  const paired = new Set<string>();
  const removed: FolderDiff['removed'] = [];
  for (const e of gone.sort(byPath)) {
    const candidates = freshByHash.get(e.hash);
    const to = candidates?.shift();
    if (to) {
      renamed.push({ from: e.path, to: to.path });
      paired.add(to.path);
    } else removed.push({ path: e.path, size: e.size });
  }
  const added = fresh.filter((e) => !paired.has(e.path)).map((e) => ({ path: e.path, size: e.size }));
  return { added, removed, modified: modified.sort(byPath), renamed, unchanged };
}
