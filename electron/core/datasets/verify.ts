// Runs in: main (core). `benchtop data verify`: rehash every object in the cache and name the ones
// whose bytes no longer match their name (a failing disk, a stray edit).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '../versioning/object-store';
import { dataStore } from './track';

export interface VerifyResult {
  checked: number;
  corrupt: { hash: string; actual: string }[];
}

export async function verifyCache(projectDir: string, onProgress?: (done: number, total: number) => void): Promise<VerifyResult> {
  const store = dataStore(projectDir);
  const hashes: string[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(store.root).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
    return { checked: 0, corrupt: [] };
  }
  for (const d of dirs) for (const f of readdirSync(path.join(store.root, d))) if (/^[0-9a-f]{62}$/.test(f)) hashes.push(d + f);
  const corrupt: VerifyResult['corrupt'] = [];
  let done = 0;
  for (const hash of hashes.sort()) {
    const actual = await sha256File(store.pathOf(hash));
    if (actual !== hash) corrupt.push({ hash, actual });
    onProgress?.(++done, hashes.length);
  }
  return { checked: hashes.length, corrupt };
}
