// Runs in: main (core). CSV/TSV records exactly as csv-parse reads them with table-schema.ts's
// settings, without csv-parse's byte-at-a-time loop where it is not needed: a line with no quote
// character, no stray CR and the header's number of fields is cut at its delimiters by the shared
// scanner (files/delimited-scanner.ts, all that csv-parse would do with it); every other record (quotes,
// newlines inside quotes, a wrong field count, an unterminated last line) is handed to a csv-parse
// instance that has seen every line before it, so its records, its errors and the line numbers in them
// are csv-parse's own.
import { isAscii } from 'node:buffer';
import { Parser } from 'csv-parse';
import { CellBounds, scanRow } from './delimited-scanner';

/** csv-parse's settings for tables: `data add`'s schema pass (table-schema.ts) and the diff read with them. */
export function csvOptions(delimiter: string): {
  bom: true;
  delimiter: string;
  skip_empty_lines: true;
  relax_quotes: false;
} {
  return { bom: true, delimiter, skip_empty_lines: true, relax_quotes: false };
}

/** The part of csv-parse's Parser this module drives: its push-based core and its line counter. */
interface ParseCore {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { lines: number };
}

/** Called per data record with its 1-based number; returning false stops the read. */
export type RecordVisitor = (cells: string[], row: number) => boolean | void;

const LF = 10;
const CR = 13;
const QUOTE = 34;
/** Records in a row that csv-parse had to read before it is given whole chunks. */
const SLOW_RUN = 4;
/** Bytes to wait for a first line before handing everything to csv-parse (a CR-only file has none). */
const FIRST_LINE_LIMIT = 16 << 20;

/**
 * A copy of `s` that does not keep alive the chunk it was cut from. Cells are slices of a ~1 MiB
 * chunk of text (V8 shares the parent for slices of 13+ characters), so a cell kept past its row
 * (a key, a distinct value, a sample) must be copied or it would pin the whole chunk.
 */
export function ownString(s: string): string {
  // Concatenation then slicing flattens into a fresh string of s.length + 1 characters.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class DelimitedRecords {
  /** The header record, once read. */
  header: string[] | null = null;
  /** Set once the visitor returned false; nothing more is visited. */
  stopped = false;
  private row = 0;
  private width = 0;
  /** 0 until the first line is read, then 1 (LF) or 2 (CRLF): csv-parse's own discovery. */
  private rdLength = 0;
  /** Bytes after the last LF handed over (or every byte, until the header is found). */
  private rest: Buffer | null = null;
  /** When set, every byte goes to csv-parse as it comes (a file the fast path cannot start on). */
  private whole = false;
  private core: ParseCore | null = null;
  /** The file's text up to and including the header line (no BOM): csv-parse is started on it. */
  private headBytes: Buffer | null = null;
  /** Lines the fast path read since csv-parse last did, added to its counter before it reads again. */
  private skippedLines = 0;
  private coreSawHeader = false;

  /**
   * `spillBytes`: an unfinished record longer than this (a huge quoted field) is not kept whole to
   * be looked at again with each chunk; csv-parse is handed it and then reads the rest of the file.
   */
  constructor(
    private readonly delimiter: string,
    private readonly visit: RecordVisitor,
    private readonly spillBytes = 8 << 20,
  ) {}

  /** `bom: false` for a parser started on the header line alone (the fast path has read any BOM). */
  private newCore(bom: boolean): ParseCore {
    return (new Parser({ ...csvOptions(this.delimiter), bom }) as unknown as { api: ParseCore }).api;
  }

  private push = (record: string[]): void => {
    if (this.stopped) return;
    if (!this.coreSawHeader) {
      this.coreSawHeader = true;
      if (this.header === null) this.header = record;
      return;
    }
    if (this.visit(record, ++this.row) === false) this.stopped = true;
  };

  private static readonly close = (): void => {};

  private run(core: ParseCore, buf: Buffer | undefined, end: boolean): void {
    const err = core.parse(buf, end, this.push, DelimitedRecords.close);
    if (err !== undefined) throw err;
  }

  /** Hands one record (or the rest of the file) to csv-parse, in the state it would be in by now. */
  private slow(bytes: Buffer): void {
    this.run(this.caughtUp(), bytes, true);
  }

  /** csv-parse, made on first use, with its line count brought up to where the fast path is. */
  private caughtUp(): ParseCore {
    if (this.core === null) {
      // Without the BOM: csv-parse looks for one only in its first 3 bytes, which may not be here.
      this.core = this.newCore(false);
      this.run(this.core, this.headBytes!, true);
      this.headBytes = null;
    }
    this.core.info.lines += this.skippedLines;
    this.skippedLines = 0;
    return this.core;
  }

  /** Feeds the next chunk of the file. Returns false once the visitor has stopped the read. */
  write(chunk: Buffer): boolean {
    if (this.stopped) return false;
    if (this.whole) {
      this.run(this.core!, chunk, false);
      return !this.stopped;
    }
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = null;
    const lastLF = buf.lastIndexOf(LF);
    if (lastLF >= 0) this.consume(buf, lastLF + 1, false);
    else if (this.header === null && buf.length > FIRST_LINE_LIMIT) this.goWhole(buf, false);
    else this.rest = buf;
    return !this.stopped;
  }

  /** Ends the file: reads what is left and checks, as csv-parse does, that no quote is left open. */
  end(): void {
    if (this.stopped) return;
    if (this.whole) {
      this.run(this.core!, undefined, true);
      return;
    }
    const buf = this.rest ?? Buffer.alloc(0);
    this.rest = null;
    this.consume(buf, buf.length, true);
  }

  private goWhole(bytes: Buffer, end: boolean): void {
    this.whole = true;
    this.core = this.newCore(true);
    this.run(this.core, bytes, end);
  }

  /** Reads buf[0, upto) (whole lines, or the file's tail when `eof`); keeps the rest in `rest`. */
  private consume(buf: Buffer, upto: number, eof: boolean): void {
    let pos = 0;
    if (this.header === null) {
      // csv-parse reads a UTF-16 byte order mark as a switch of encoding: leave such a file to it.
      if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return this.goWhole(buf, eof);
      const skip = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      pos = this.readHeader(buf, skip, upto, eof);
      // No header yet: wait for more; or (a quoted header, CR-only lines) let csv-parse have it all.
      if (pos === -1 && !eof) this.rest = buf;
      else if (pos < 0) this.goWhole(buf, eof);
      if (pos < 0) return;
      this.headBytes = Buffer.from(buf.subarray(skip, pos));
    }
    pos = this.lines(buf, pos, upto, eof);
    // An unfinished quoted record is kept, with the bytes after it, for the next chunk.
    const rest = pos < buf.length ? buf.subarray(pos) : null;
    if (pos < upto && rest!.length > this.spillBytes) {
      const core = this.caughtUp();
      this.whole = true;
      this.run(core, rest!, false);
    } else this.rest = rest;
  }

  /**
   * Finds the header in buf[pos, upto): skips empty lines, learns the record delimiter from the first
   * line ending (as csv-parse does: CRLF if the first CR or LF is a CR followed by LF, else LF). Returns
   * where the data starts, -1 to wait for more bytes, -2 when csv-parse must read the whole file.
   */
  private readHeader(buf: Buffer, pos: number, upto: number, eof: boolean): number {
    const first = pos;
    for (;;) {
      const nl = indexIn(buf, LF, pos, upto);
      if (nl < 0) return eof ? -2 : -1;
      if (this.rdLength === 0) {
        const cr = buf.indexOf(CR, first);
        if (cr >= 0 && cr < nl - 1) return -2;
        this.rdLength = cr === nl - 1 ? 2 : 1;
      }
      const end = nl - this.rdLength + 1;
      if (end < pos || (this.rdLength === 2 && buf[end] !== CR)) return -2;
      if (indexIn(buf, QUOTE, pos, end) >= 0 || indexIn(buf, CR, pos, end) >= 0) return -2;
      const start = pos;
      pos = nl + 1;
      if (end === start) continue;
      this.header = buf.toString('utf8', start, end).split(this.delimiter).map(ownString);
      this.width = this.header.length;
      this.coreSawHeader = false;
      return pos;
    }
  }

  /** The record loop over buf[pos, n). Returns where the first record not read (an unfinished one) starts. */
  private lines(buf: Buffer, pos: number, n: number, eof: boolean): number {
    const crlf = this.rdLength === 2;
    const width = this.width;
    const cellsOf = this.cells;
    // Decoded once as latin1 for the scanner's searches; cells of plain ASCII (the usual table) are
    // slices of it, other cells are decoded as UTF-8 one by one.
    const base = pos;
    const ascii = isAscii(buf.subarray(pos, n));
    const text = buf.toString('latin1', pos, n);
    const bytes = buf.subarray(base, n);
    let nextQuote = -1;
    let nextCR = -1;
    let slowRun = 0;
    while (pos < n) {
      // Searched in the latin1 text (String#indexOf is a builtin; Buffer#indexOf a call into C++).
      let nl = text.indexOf('\n', pos - base);
      if (nl >= 0) nl += base;
      if (nl >= 0) {
        const end = crlf ? nl - 1 : nl;
        if (nextQuote < pos) nextQuote = indexOr(text, '"', pos - base, n - base) + base;
        if (nextCR < pos) nextCR = indexOr(text, '\r', pos - base, n - base) + base;
        // Simple: no quote and no CR before the line's end, and the end is a whole record delimiter.
        if (nextQuote >= end && end >= pos && (crlf ? nextCR === end : nextCR > nl)) {
          slowRun = 0;
          if (end === pos) {
            this.skippedLines++;
            pos = nl + 1;
            continue;
          }
          scanRow(bytes, text, pos - base, false, this.delimiter, cellsOf, nl - base);
          if (cellsOf.cells === width) {
            const cells: string[] = new Array(width);
            const { starts, ends } = cellsOf;
            for (let j = 0; j < width; j++)
              cells[j] = ascii
                ? text.slice(starts[j]!, ends[j]!)
                : buf.toString('utf8', base + starts[j]!, base + ends[j]!);
            this.skippedLines++;
            pos = nl + 1;
            if (this.visit(cells, ++this.row) === false) {
              this.stopped = true;
              return n;
            }
            continue;
          }
        }
      }
      // Anything else is one record for csv-parse: up to the first record delimiter outside quotes;
      // after a run of such records (a file that quotes every field), the rest of the chunk at once.
      const stop = ++slowRun >= SLOW_RUN ? lastRecordEnd(buf, pos, n, crlf) : recordEnd(buf, pos, n, crlf);
      if (stop < 0 && !eof) return pos;
      this.slow(buf.subarray(pos, stop < 0 ? n : stop));
      if (this.stopped) return n;
      pos = stop < 0 ? n : stop;
    }
    return pos;
  }

  /** Cell bounds of the plain line being cut, reused for every line. */
  private readonly cells = new CellBounds();
}

/** Index of byte `b` in buf[from, to), or -1. */
function indexIn(buf: Buffer, b: number, from: number, to: number): number {
  const i = buf.indexOf(b, from);
  return i < to ? i : -1;
}

function indexOr(text: string, ch: string, from: number, none: number): number {
  const i = text.indexOf(ch, from);
  return i < 0 ? none : i;
}

/** Just past the last record delimiter outside quotes in buf[pos, n) (see recordEnd), or -1. */
function lastRecordEnd(buf: Buffer, pos: number, n: number, crlf: boolean): number {
  let odd = false;
  let last = -1;
  let from = pos;
  for (;;) {
    const nl = indexIn(buf, LF, from, n);
    if (nl < 0) return last;
    for (let q = indexIn(buf, QUOTE, from, nl); q >= 0; q = indexIn(buf, QUOTE, q + 1, nl)) odd = !odd;
    from = nl + 1;
    if (!odd && (!crlf || (nl > pos && buf[nl - 1] === CR))) last = nl + 1;
  }
}

/**
 * Where the record starting at `pos` ends (just past its delimiter), or -1 if not within buf[pos, n).
 * A record delimiter ends the record when the quotes before it are even in number: in text
 * csv-parse accepts, every quote opens a field, closes it, or is half of an escaped pair; in text it
 * rejects, csv-parse meets the error inside the span it is given, as it would have in one pass.
 */
function recordEnd(buf: Buffer, pos: number, n: number, crlf: boolean): number {
  let odd = false;
  let from = pos;
  for (;;) {
    const nl = indexIn(buf, LF, from, n);
    if (nl < 0) return -1;
    for (let q = indexIn(buf, QUOTE, from, nl); q >= 0; q = indexIn(buf, QUOTE, q + 1, nl)) odd = !odd;
    from = nl + 1;
    if (!odd && (!crlf || (nl > pos && buf[nl - 1] === CR))) return nl + 1;
  }
}
