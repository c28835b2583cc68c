// Runs in: main (core) and worker threads. The one way in to a CSV/TSV file: every caller that opens
// or scans one comes through here, and picks the reader that fits what it makes of the cells —
//  - DelimitedRecords: csv-parse's exact records and errors, fast on plain lines (`data add`'s
//    schema pass, the data diff, prediction labels through the diff's row reader);
//  - DelimitedScanner: cell bounds without strings, for typed columns (drift reports);
//  - previewRecords / parseDelimitedText: csv-parse itself, lenient, for the file preview and
//    summaries and for an artifact's first rows.
// The readers' inner loops are their own; this module only opens the file, feeds them 1 MiB chunks
// and closes it, so the benchmarked paths (drift, data diff) run exactly as before.
import { createReadStream } from 'node:fs';
import { parse as parseStream } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

export { csvOptions, DelimitedRecords, ownString, type RecordVisitor } from './delimited-records';
export { DelimitedScanner, type ProblemSink, type RowSink, type ScanProblem } from './delimited-scanner';

export type DelimitedFormat = 'csv' | 'tsv';

/** The delimiter of a format: a comma, or a tab for TSV. */
export function delimiterOf(format: DelimitedFormat): ',' | '\t' {
  return format === 'tsv' ? '\t' : ',';
}

/** Large reads: the readers work a chunk at a time, and fewer, larger chunks cost less. */
const CHUNK_BYTES = 1 << 20;

/** What feedFile drives: DelimitedRecords (whose write says false once its visitor stopped) or DelimitedScanner. */
export interface ChunkReader {
  write(chunk: Buffer): boolean | void;
  end(): void;
}

/**
 * Streams `file` into `reader` in 1 MiB chunks and ends it, stopping early once `write` returns
 * false. `onChunk` sees every chunk first (a digest of the bytes read). Read errors and the reader's
 * own errors are thrown as they are: each caller words them for its file.
 */
export async function feedFile(file: string, reader: ChunkReader, onChunk?: (chunk: Buffer) => void): Promise<void> {
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  try {
    if (onChunk)
      for await (const chunk of stream) {
        onChunk(chunk as Buffer);
        if (reader.write(chunk as Buffer) === false) break;
      }
    else for await (const chunk of stream) if (reader.write(chunk as Buffer) === false) break;
    reader.end();
  } finally {
    stream.destroy();
  }
}

/**
 * csv-parse's records of a whole file, for previews and summaries (a BOM and blank lines skipped).
 * A read error (the file missing, unreadable, removed mid-read) is handed on to the parser: `pipe`
 * alone leaves the parser waiting for data that never comes, and the caller hangs.
 */
export function previewRecords(file: string, opts: { relaxColumnCount: boolean }): AsyncIterable<string[]> {
  const parser = parseStream({ bom: true, relax_column_count: opts.relaxColumnCount, skip_empty_lines: true });
  const source = createReadStream(file);
  source.on('error', (err) => parser.destroy(err));
  return source.pipe(parser) as AsyncIterable<string[]>;
}

/** The first records of text already read (an artifact's head), leniently: ragged rows and stray quotes pass. */
export function parseDelimitedText(text: string, delimiter: string, maxRecords: number): string[][] {
  return parseSync(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    to: maxRecords,
  }) as string[][];
}
