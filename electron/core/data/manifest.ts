// Runs in: main (core). A tracked folder's manifest: its files' relative paths, hashes and sizes,
// sorted and serialised one way only, so the same folder always gets the same hash.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';

export const manifestEntry = z
  .object({ path: z.string().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0) })
  .strict();
export type ManifestEntry = z.infer<typeof manifestEntry>;
const manifest = z.object({ version: z.literal(1), files: z.array(manifestEntry) }).strict();

function byPath(a: ManifestEntry, b: ManifestEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The canonical bytes of a manifest, and their sha256 (the folder's hash). */
export function encodeManifest(entries: readonly ManifestEntry[]): { bytes: Buffer; hash: string } {
  const files = [...entries].sort(byPath).map((e) => ({ path: e.path, hash: e.hash, size: e.size }));
  for (let i = 1; i < files.length; i++)
    if (files[i]!.path === files[i - 1]!.path)
      throw new BenchtopError('INTERNAL', `duplicate manifest path ${files[i]!.path}`);
  const bytes = Buffer.from(`${JSON.stringify({ version: 1, files })}\n`, 'utf8');
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

export function decodeManifest(bytes: Buffer, hash: string): ManifestEntry[] {
  const parsed = manifest.safeParse(
    (() => {
      try {
        return JSON.parse(bytes.toString('utf8'));
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success)
    throw new BenchtopError(
      'BAD_FILE',
      `The folder manifest ${hash.slice(0, 12)}… in the cache is not a valid manifest.`,
      { hint: 'Run `benchtop data verify`; restore the object from a remote with `benchtop data pull`.' },
    );
  for (const f of parsed.data.files) {
    if (f.path.startsWith('/') || f.path.split('/').some((p) => p === '..' || p === '' || p === '.')) {
      throw new BenchtopError(
        'BAD_FILE',
        `The folder manifest ${hash.slice(0, 12)}… names a path outside its folder: ${f.path}.`,
        { hint: 'The manifest was tampered with; do not check it out.' },
      );
    }
  }
  return parsed.data.files;
}
