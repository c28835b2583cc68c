// Runs in: main (core). A look inside one of a run's artifacts without opening it elsewhere: text,
// the first rows of a CSV, pretty JSON, or an image as a data URL, each capped in size so a
// gigabyte file never crosses the contract.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { parseDelimitedText } from '../files/delimited';
import { BenchtopError } from '../../../shared/contract/errors';
import type { ArtifactPreview } from '../../../shared/contract/schemas';
import { insideProject } from '../files/list-files';
import { ObjectStore, sha256File } from '../git/object-store';
import { CACHE_DIR } from '../util/layout';
import { artifactStore, artifactType, checkArtifactName } from './artifacts';
import { requireRun } from './runs';

export const PREVIEW_TEXT_BYTES = 256 * 1024;
export const PREVIEW_IMAGE_BYTES = 2 * 1024 * 1024;
export const PREVIEW_CSV_ROWS = 100;

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

function readHead(file: string, max: number): { bytes: Buffer; size: number } {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(Math.min(size, max));
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(fd, bytes, off, bytes.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: bytes.subarray(0, off), size };
  } finally {
    closeSync(fd);
  }
}

/** Text of the first bytes, cut at the last whole line when the file goes on. */
function headText(bytes: Buffer, truncated: boolean): string {
  const text = bytes.toString('utf8');
  if (!truncated) return text;
  const nl = text.lastIndexOf('\n');
  return nl > 0 ? text.slice(0, nl + 1) : text.replace(/\uFFFD$/, '');
}

const looksBinary = (bytes: Buffer): boolean => bytes.subarray(0, 8000).includes(0);

/**
 * Where the bytes are: a logged artifact's copy in the cache; a pipeline output's cached object,
 * or the project's file while it still has the recorded hash; for an artifact a stage reported
 * without a copy, the project's file as it is now (said so in the note).
 */
async function locate(projectDir: string, rel: string, hash: string | null): Promise<{ file: string; note?: string }> {
  const stores = [artifactStore(projectDir), new ObjectStore(path.join(projectDir, CACHE_DIR, 'objects'))];
  if (hash && /^[0-9a-f]{64}$/.test(hash)) {
    for (const store of stores) if (store.has(hash)) return { file: store.pathOf(hash) };
  }
  let current: string | null = null;
  try {
    current = insideProject(projectDir, rel);
  } catch {
    current = null;
  }
  if (current && statSync(current).isDirectory()) {
    throw new BenchtopError('UNSUPPORTED', `${rel} is a folder; previews show single files.`, {
      field: 'path',
      hint: 'Open the folder in the project to see its files.',
    });
  }
  if (current && hash === null)
    return { file: current, note: 'The run kept no copy of this file: this is the file as it is now in the project.' };
  if (current && hash && (await sha256File(current)) === hash) return { file: current };
  throw new BenchtopError(
    'NOT_FOUND',
    `The bytes of ${rel}${hash ? ` (${hash.slice(0, 12)}…)` : ''} are neither in the cache nor in the project any more.`,
    {
      field: 'path',
      hint: 'Re-run the stage, or check out the commit the run used, to get the file back.',
    },
  );
}

export async function previewArtifact(
  projectDir: string,
  db: Database,
  runId: string,
  name: string,
): Promise<ArtifactPreview> {
  requireRun(db, runId);
  const rel = checkArtifactName(name);
  const row = db
    .prepare(
      `SELECT hash, type FROM run_artifacts WHERE run_id = ? AND role != 'dep' AND path = ? ORDER BY role = 'artifact' DESC, hash IS NULL, stage LIMIT 1`,
    )
    .get(runId, rel) as { hash: string | null; type: string | null } | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `Run ${runId} has no artifact ${rel}.`, {
      field: 'path',
      hint: 'Open the run to see its artifacts.',
    });
  const { file, note } = await locate(projectDir, rel, row.hash);
  const preview = previewFile(file, rel, row.type ?? artifactType(rel));
  return note ? { ...preview, note } : preview;
}

function previewFile(file: string, rel: string, type: string): ArtifactPreview {
  const ext = path.extname(rel).toLowerCase();

  if (IMAGE_TYPES[ext]) {
    const size = statSync(file).size;
    if (size > PREVIEW_IMAGE_BYTES)
      return {
        kind: 'none',
        size,
        reason: `The image is ${size} bytes; previews show images up to ${PREVIEW_IMAGE_BYTES} bytes.`,
      };
    const { bytes } = readHead(file, PREVIEW_IMAGE_BYTES);
    return {
      kind: 'image',
      size,
      mime: IMAGE_TYPES[ext]!,
      dataUrl: `data:${IMAGE_TYPES[ext]};base64,${bytes.toString('base64')}`,
    };
  }

  const { bytes, size } = readHead(file, PREVIEW_TEXT_BYTES);
  const truncated = size > bytes.length;
  if (looksBinary(bytes))
    return { kind: 'none', size, reason: `${rel} is a binary file (${type}); it has no text preview.` };
  const text = headText(bytes, truncated);

  if (type === 'csv') {
    const delimiter = ext === '.tsv' ? '\t' : ',';
    try {
      const records = parseDelimitedText(text, delimiter, PREVIEW_CSV_ROWS + 2);
      const [columns = [], ...rows] = records;
      return {
        kind: 'csv',
        size,
        columns,
        rows: rows.slice(0, PREVIEW_CSV_ROWS),
        truncated: truncated || rows.length > PREVIEW_CSV_ROWS,
      };
    } catch {
      // Not really CSV: show it as text.
    }
  }
  if (type === 'json' && !truncated && ext === '.json') {
    try {
      return { kind: 'json', size, text: JSON.stringify(JSON.parse(text), null, 2), truncated: false };
    } catch {
      // Invalid JSON is still worth reading as text.
    }
  }
  return { kind: 'text', size, text, truncated };
}
