// Runs in: main (core). Streams the rows of a CSV, TSV, JSONL or Parquet file as arrays of cell texts, with
// the same parser settings table-schema.ts uses, so a diff reads a table exactly as `data add` did.
// When the file is a cache object, its sha256 is computed from the same chunks as they stream past
// and checked at the end: a corrupt object fails the diff instead of producing a wrong one.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { BenchtopError } from '../../../../shared/contract/errors';
import { forEachParquetRow } from '../parquet';
import { DelimitedRecords, delimiterOf, feedFile } from '../../files/delimited';

export type RowFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export interface RowSource {
  file: string;
  /** How errors name it: `data/x.csv at abc1234`. */
  display: string;
  format: RowFormat;
  /** The sha256 the bytes must have (a cache object), checked when the whole file was read. */
  expectHash?: string | null;
}

/** Called per data row with its 1-based row number; returning false stops the read early. */
export type RowVisitor = (cells: string[], row: number) => boolean | void;

function jsonCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * Visits every data row. CSV/TSV header names come from the file's first record; JSONL objects are
 * laid out along `jsonColumns` (the schema's column order). Returns the header.
 */
export async function forEachRow(src: RowSource, jsonColumns: readonly string[], visit: RowVisitor): Promise<string[]> {
  if (src.format === 'parquet') {
    // Parquet is read by row ranges, not as one stream, so its hash is checked in a pass first.
    if (src.expectHash) {
      const digest = createHash('sha256');
      for await (const chunk of createReadStream(src.file)) digest.update(chunk as Buffer);
      checkDigest(src, digest.digest('hex'));
    }
    return (await forEachParquetRow(src.file, src.display, visit)).header;
  }
  const digest = src.expectHash ? createHash('sha256') : null;
  let stopped = false;
  let header: string[] = [];
  if (src.format === 'jsonl') {
    const stream = createReadStream(src.file, { highWaterMark: 1 << 20 });
    if (digest) stream.on('data', (chunk) => digest.update(chunk as Buffer));
    try {
      stopped = await readJsonl(stream, src, jsonColumns, visit, (h) => (header = h));
    } finally {
      stream.destroy();
    }
  } else stopped = await readDelimited(src, visit, digest, (h) => (header = h));
  if (digest && !stopped) checkDigest(src, digest.digest('hex'));
  return header;
}

function checkDigest(src: RowSource, actual: string): void {
  if (actual !== src.expectHash) {
    throw new BenchtopError(
      'BAD_FILE',
      `The cached data of ${src.display} is corrupt (its bytes hash to ${actual.slice(0, 12)}…, not ${src.expectHash!.slice(0, 12)}…).`,
      {
        field: 'path',
        hint: 'Run `benchtop data verify`, then restore it with `benchtop data pull` or add the data again.',
      },
    );
  }
}

/** Returns whether the visitor stopped the read. */
async function readJsonl(
  stream: NodeJS.ReadableStream,
  src: RowSource,
  jsonColumns: readonly string[],
  visit: RowVisitor,
  setHeader: (h: string[]) => void,
): Promise<boolean> {
  let stopped = false;
  const header = [...jsonColumns];
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let row = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      obj = null;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new BenchtopError('BAD_FILE', `${src.display}:${line}: not a JSON object.`, {
        field: 'path',
        hint: 'Each line of a JSONL file must be one JSON object.',
      });
    const rec = obj as Record<string, unknown>;
    if (
      visit(
        header.map((c) => jsonCell(rec[c])),
        ++row,
      ) === false
    ) {
      stopped = true;
      break;
    }
  }
  setHeader(header);
  return stopped;
}

/** CSV/TSV through the one entry (files/delimited.ts). Returns whether the visitor stopped the read. */
async function readDelimited(
  src: RowSource,
  visit: RowVisitor,
  digest: ReturnType<typeof createHash> | null,
  setHeader: (h: string[]) => void,
): Promise<boolean> {
  const reader = new DelimitedRecords(delimiterOf(src.format === 'tsv' ? 'tsv' : 'csv'), visit);
  try {
    await feedFile(src.file, reader, digest ? (chunk) => digest.update(chunk) : undefined);
  } catch (err) {
    if (err instanceof BenchtopError) throw err;
    const e = err as { lines?: number; message?: string };
    throw new BenchtopError('BAD_FILE', `${src.display}${e.lines ? `:${e.lines}` : ''}: ${e.message ?? String(err)}`, {
      field: 'path',
    });
  }
  setHeader(reader.header ?? []);
  return reader.stopped;
}
