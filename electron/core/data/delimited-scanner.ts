// Runs in: main (core) and worker threads. The one CSV/TSV record scanner: cuts bytes into rows of
// cell bounds (start, end, quoted) without making strings, so each caller decides what a cell becomes —
// typed columns for a drift report (monitoring/report/read-delimited.ts), csv-parse's exact strings for
// `data add` and the data diff (datasets/diff/delimited-records.ts). Quoting follows RFC 4180 as csv-parse
// reads it: quotes around a field, "" inside for a quote, newlines allowed inside quotes.
import { isUtf8 } from 'node:buffer';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What stops the scanner: a quoted field never closed (at the end of the file), or text after a closing quote. */
export type ScanProblem = 'unclosed-quote' | 'text-after-quote';

/**
 * Called per row with the buffer its cells point into, the number of cells (bounds in the scanner's
 * starts/ends/quoted), the row's first line number, and where the row starts and where the next one does.
 */
export type RowSink = (buf: Buffer, cells: number, line: number, rowStart: number, next: number) => void;

/**
 * Called when the row at `line` breaks the quoting rules; the scanner reads no further in that buffer.
 * The caller throws its own error, or stop()s the scanner and hands buf from rowStart to another reader.
 */
export type ProblemSink = (problem: ScanProblem, line: number, buf: Buffer, rowStart: number) => void;

export class DelimitedScanner {
  /** Cell bounds of the row handed to the sink: bytes [starts[i], ends[i]) of its buffer. */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 0: not quoted; 1: quoted; 2: quoted with doubled quotes inside (replace "" by " in its text). */
  quoted = new Uint8Array(64);
  /** Whether the rows being handed over have bytes that are not UTF-8 (checked per chunk in one native call). */
  badUtf8 = false;
  /** Bytes written so far, BOM included. */
  bytes = 0;
  /** Set by stop(): nothing more is scanned. */
  stopped = false;
  private line = 1;
  private carry: Buffer | null = null;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly onRow: RowSink,
    private readonly onProblem: ProblemSink,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** Stops scanning (the sink has what it needs, or another reader takes over). */
  stop(): void {
    this.stopped = true;
    this.carry = null;
  }

  write(chunk: Buffer): void {
    if (this.stopped) return;
    let c = chunk;
    if (this.bytes === 0 && c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) c = c.subarray(3);
    this.bytes += chunk.length;
    const buf = this.carry && this.carry.length ? Buffer.concat([this.carry, c]) : c;
    // Rows end at a newline byte, never inside a multi-byte character, so everything up to the last
    // newline is checked in one native call; callers look at cells one by one only when that fails.
    const lastLf = buf.lastIndexOf(LF);
    this.badUtf8 = lastLf >= 0 && !isUtf8(buf.subarray(0, lastLf + 1));
    const used = this.scan(buf, false);
    this.carry = used < buf.length && !this.stopped ? buf.subarray(used) : null;
  }

  /** The end of the file: scans the last row, which may have no line ending. */
  end(): void {
    if (this.stopped) return;
    const buf = this.carry;
    this.carry = null;
    if (!buf || !buf.length) return;
    this.badUtf8 = !isUtf8(buf);
    this.scan(buf, true);
  }

  private grow(): void {
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

  /** Scans complete rows of buf from 0; returns where the unfinished last row starts. */
  private scan(buf: Buffer, final: boolean): number {
    const n = buf.length;
    const delim = this.delim;
    let pos = 0;
    while (pos < n && !this.stopped) {
      const rowStart = pos;
      const rowLine = this.line;
      let starts = this.starts;
      let ends = this.ends;
      let quoted = this.quoted;
      let cells = 0;
      let lines = 0;
      for (;;) {
        if (cells === starts.length) {
          this.grow();
          starts = this.starts;
          ends = this.ends;
          quoted = this.quoted;
        }
        if (pos < n && buf[pos] === QUOTE) {
          // A quoted field: up to the closing quote that is not doubled.
          let j = pos + 1;
          let doubled = false;
          let q: number;
          for (;;) {
            q = buf.indexOf(QUOTE, j);
            if (q < 0) {
              if (!final) return rowStart;
              this.onProblem('unclosed-quote', rowLine, buf, rowStart);
              return n;
            }
            if (q + 1 < n && buf[q + 1] === QUOTE) {
              doubled = true;
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) return rowStart;
            break;
          }
          for (let k = buf.indexOf(LF, pos + 1); k >= 0 && k < q; k = buf.indexOf(LF, k + 1)) lines++;
          starts[cells] = pos + 1;
          ends[cells] = q;
          quoted[cells] = doubled ? 2 : 1;
          cells++;
          pos = q + 1;
          const c = pos < n ? buf[pos] : LF;
          if (c === delim) pos++;
          else if (c === LF) {
            pos++;
            break;
          } else if (c === CR && (pos + 1 >= n || buf[pos + 1] === LF)) {
            if (pos + 1 >= n && !final) return rowStart;
            pos += 2;
            break;
          } else {
            this.onProblem('text-after-quote', rowLine + lines, buf, rowStart);
            return n;
          }
        } else {
          let j = pos;
          while (j < n) {
            const c = buf[j]!;
            if (c === delim || c === LF) break;
            j++;
          }
          if (j >= n && !final) return rowStart;
          let end = j;
          if (end > pos && buf[end - 1] === CR && (j >= n || buf[j] === LF)) end--;
          starts[cells] = pos;
          ends[cells] = end;
          quoted[cells] = 0;
          cells++;
          pos = j + 1;
          if (j >= n || buf[j] !== delim) break;
        }
      }
      this.line += lines + 1;
      this.onRow(buf, cells, rowLine, rowStart, Math.min(pos, n));
    }
    return Math.min(pos, n);
  }
}
