// Runs in: main (core) and worker threads. The one CSV/TSV record scanner: cuts bytes into rows of
// cell bounds (start, end, quoted) without making strings, so each caller decides what a cell becomes —
// typed columns for a drift report (monitoring/drift/read-delimited.ts), csv-parse's exact strings for
// `data add` and the data diff (files/delimited-records.ts). Quoting follows RFC 4180 as csv-parse
// reads it: quotes around a field, "" inside for a quote, newlines allowed inside quotes.
import { isUtf8 } from 'node:buffer';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What stops the scanner: a quoted field never closed (at the end of the file), or text after a closing quote. */
export type ScanProblem = 'unclosed-quote' | 'text-after-quote';

/**
 * Called per row with the buffer its cells point into, the number of cells (bounds in the scanner's
 * `row`), the row's first line number, and where the row starts and where the next one does.
 */
export type RowSink = (buf: Buffer, cells: number, line: number, rowStart: number, next: number) => void;

/** Called when the row at `line` breaks the quoting rules; it throws the caller's own error. */
export type ProblemSink = (problem: ScanProblem, line: number) => never;

/** scanRow's answers besides the next row's start. */
export const NEED_MORE = -1;
export const UNCLOSED_QUOTE = -2;
export const TEXT_AFTER_QUOTE = -3;

/** The cells of the row scanRow last read: bytes [starts[i], ends[i]) of its buffer, i < cells. */
export class CellBounds {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 0: not quoted; 1: quoted; 2: quoted with doubled quotes inside (replace "" by " in its text). */
  quoted = new Uint8Array(64);
  cells = 0;
  /** Newlines inside quoted cells of the row (so line numbers stay right). */
  lines = 0;
  /** The text searched last, and the next delimiter and LF found in it (positions not yet passed). */
  text = '';
  nextDelim = -1;
  nextLf = -1;
  nextQuote = -1;

  grow(): void {
    const g32 = (a: Int32Array) => {
      const g = new Int32Array(a.length * 2);
      g.set(a);
      return g;
    };
    this.starts = g32(this.starts);
    this.ends = g32(this.ends);
    const q = new Uint8Array(this.quoted.length * 2);
    q.set(this.quoted);
    this.quoted = q;
  }
}

/**
 * Reads the row of buf that starts at pos into `out` and returns where the next row starts; NEED_MORE
 * when the row may continue past the buffer (unless `final`: the buffer ends the file), or a quoting
 * problem. A row ends at LF outside quotes; a CR before that LF is not part of the last cell.
 * `text` is buf decoded as latin1 (one character per byte, so positions agree): delimiters, quotes and
 * line ends are found with String#indexOf, V8's vectorised search, several times faster than a byte
 * loop; a row with no quote is then just cut at its delimiters. The next delimiter, quote and line end
 * found are kept in `out` for the following rows, so a file with few of them is not searched again and
 * again. `knownLf`: the first LF at or after pos, when the caller has found it already.
 */
export function scanRow(
  buf: Uint8Array,
  text: string,
  pos: number,
  final: boolean,
  delim: string,
  out: CellBounds,
  knownLf = -1,
): number {
  const n = buf.length;
  if (out.text !== text) {
    out.text = text;
    out.nextDelim = -1;
    out.nextLf = -1;
    out.nextQuote = -1;
  }
  let { starts, ends, quoted } = out;
  let cells = 0;
  let lines = 0;
  let lf = knownLf >= pos ? knownLf : out.nextLf;
  if (lf < pos) {
    lf = text.indexOf('\n', pos);
    if (lf < 0) lf = n;
    out.nextLf = lf;
  }
  let quote = out.nextQuote;
  if (quote < pos) {
    quote = text.indexOf('"', pos);
    if (quote < 0) quote = n;
    out.nextQuote = quote;
  }
  if (quote >= lf && (lf < n || final)) {
    // The usual row, with no quote: cells are cut at each delimiter before the line end.
    let d = out.nextDelim;
    if (d < pos) d = text.indexOf(delim, pos);
    if (d < 0) d = n;
    while (d < lf) {
      if (cells === starts.length) {
        out.grow();
        ({ starts, ends, quoted } = out);
      }
      starts[cells] = pos;
      ends[cells] = d;
      quoted[cells] = 0;
      cells++;
      pos = d + 1;
      d = text.indexOf(delim, pos);
      if (d < 0) d = n;
    }
    out.nextDelim = d;
    if (cells === starts.length) out.grow();
    let end = lf;
    if (end > pos && buf[end - 1] === CR) end--;
    out.starts[cells] = pos;
    out.ends[cells] = end;
    out.quoted[cells] = 0;
    out.cells = cells + 1;
    out.lines = 0;
    return Math.min(lf + 1, n);
  }
  for (;;) {
    if (cells === starts.length) {
      out.grow();
      ({ starts, ends, quoted } = out);
    }
    if (pos < n && buf[pos] === QUOTE) {
      // A quoted field: up to the closing quote that is not doubled.
      let j = pos + 1;
      let doubled = false;
      let q: number;
      for (;;) {
        q = text.indexOf('"', j);
        if (q < 0) return final ? UNCLOSED_QUOTE : NEED_MORE;
        if (q + 1 < n && buf[q + 1] === QUOTE) {
          doubled = true;
          j = q + 2;
          continue;
        }
        if (q + 1 >= n && !final) return NEED_MORE;
        break;
      }
      for (let k = text.indexOf('\n', pos + 1); k >= 0 && k < q; k = text.indexOf('\n', k + 1)) lines++;
      out.lines = lines;
      starts[cells] = pos + 1;
      ends[cells] = q;
      quoted[cells] = doubled ? 2 : 1;
      cells++;
      pos = q + 1;
      const c = pos < n ? buf[pos] : LF;
      if (c === delim.charCodeAt(0)) pos++;
      else if (c === LF) {
        out.cells = cells;
        return Math.min(pos + 1, n);
      } else if (c === CR && (pos + 1 >= n || buf[pos + 1] === LF)) {
        if (pos + 1 >= n && !final) return NEED_MORE;
        out.cells = cells;
        return Math.min(pos + 2, n);
      } else return TEXT_AFTER_QUOTE;
    } else {
      let lf = out.nextLf;
      if (lf < pos) {
        lf = text.indexOf('\n', pos);
        if (lf < 0) lf = n;
        out.nextLf = lf;
      }
      let d = out.nextDelim;
      if (d < pos) {
        d = text.indexOf(delim, pos);
        if (d < 0) d = n;
        out.nextDelim = d;
      }
      const j = d < lf ? d : lf;
      if (j >= n && !final) return NEED_MORE;
      let end = j;
      if (end > pos && buf[end - 1] === CR && (j >= n || buf[j] === LF)) end--;
      starts[cells] = pos;
      ends[cells] = end;
      quoted[cells] = 0;
      cells++;
      if (j >= n || j === lf) {
        out.cells = cells;
        out.lines = lines;
        return Math.min(j + 1, n);
      }
      pos = j + 1;
    }
  }
}

/**
 * A whole file, chunk by chunk: strips a UTF-8 byte order mark, keeps an unfinished row for the next
 * chunk, counts lines, checks UTF-8 once per chunk, and hands each row to the sink.
 */
export class DelimitedScanner {
  /** The cells of the row handed to the sink. */
  readonly row = new CellBounds();
  /** Whether the rows being handed over have bytes that are not UTF-8 (checked per chunk in one native call). */
  badUtf8 = false;
  /** Bytes written so far, BOM included. */
  bytes = 0;
  private line = 1;
  private carry: Buffer | null = null;
  private bomChecked = false;
  constructor(
    private readonly delim: string,
    private readonly onRow: RowSink,
    private readonly onProblem: ProblemSink,
  ) {}

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    let buf = this.carry?.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.bomChecked) {
      // The first three bytes may come in more than one chunk.
      if (buf.length < 3) {
        this.carry = buf;
        return;
      }
      this.bomChecked = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    // Rows end at a newline byte, never inside a multi-byte character, so everything up to the last
    // newline is checked in one native call; callers look at cells one by one only when that fails.
    const lastLf = buf.lastIndexOf(LF);
    this.badUtf8 = lastLf >= 0 && !isUtf8(buf.subarray(0, lastLf + 1));
    const used = this.scan(buf, false);
    this.carry = used < buf.length ? buf.subarray(used) : null;
  }

  /** The end of the file: scans the last row, which may have no line ending. */
  end(): void {
    const buf = this.carry;
    this.carry = null;
    this.bomChecked = true;
    if (!buf?.length) return;
    this.badUtf8 = !isUtf8(buf);
    this.scan(buf, true);
  }

  /** Scans complete rows of buf from 0; returns where the unfinished last row starts. */
  private scan(buf: Buffer, final: boolean): number {
    const n = buf.length;
    const row = this.row;
    const text = buf.toString('latin1');
    let pos = 0;
    while (pos < n) {
      const next = scanRow(buf, text, pos, final, this.delim, row);
      if (next === NEED_MORE) return pos;
      if (next < 0) {
        this.onProblem(
          next === UNCLOSED_QUOTE ? 'unclosed-quote' : 'text-after-quote',
          next === UNCLOSED_QUOTE ? this.line : this.line + row.lines,
        );
      }
      const line = this.line;
      this.line += row.lines + 1;
      this.onRow(buf, row.cells, line, pos, next);
      pos = next;
    }
    return n;
  }
}
