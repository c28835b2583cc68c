// Runs in: main (core). CSV/TSV straight into typed columns in one streaming pass. A byte-level scanner
// instead of csv-parse because a drift report must skip and count ragged rows (csv-parse stops at the
// first), notice bytes that are not UTF-8, and read numbers without making a string per cell: on a
// million rows × 20 columns that is what makes the report take seconds rather than most of a minute.
// Quoting follows RFC 4180 as csv-parse reads it (quotes around a field, "" inside for a quote).
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BenchtopError } from '../../../../shared/contract/errors';
import { ColumnBuilder, fastNumber } from './column-builder';
import { PROGRESS_EVERY, type RowsProgress, type TableData } from './table-data';

const QUOTE = 34;
const LF = 10;
const CR = 13;

export async function readDelimited(file: string, display: string, delimiter: ',' | '\t', onRows?: RowsProgress): Promise<TableData> {
  const delim = delimiter.charCodeAt(0);
  const digest = createHash('sha256');
  let names: string[] | null = null;
  let builders: ColumnBuilder[] = [];
  let rows = 0;
  let line = 1;
  let ragged = 0;
  let firstRagged = 0;
  let badBytesCells = 0;
  let firstBadLine = 0;
  let checkBytes = false;
  // Cell bounds of the row being scanned, reused for every row.
  let starts = new Int32Array(64);
  let ends = new Int32Array(64);
  let quoted = new Uint8Array(64);

  const text = (buf: Buffer, i: number, rowLine: number): string => {
    let s = buf.toString('utf8', starts[i]!, ends[i]!);
    if (quoted[i] === 2) s = s.replaceAll('""', '"');
    if (checkBytes && s.includes('\uFFFD') && !isUtf8(buf.subarray(starts[i]!, ends[i]!))) {
      badBytesCells++;
      if (!firstBadLine) firstBadLine = rowLine;
    }
    return s;
  };

  const takeRow = (buf: Buffer, cells: number, rowLine: number): void => {
    if (!names) {
      names = [];
      for (let i = 0; i < cells; i++) names.push(text(buf, i, rowLine).trim());
      if (names.length === 1 && names[0] === '') throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: the header line is empty.`, { field: 'path', hint: 'The first line must name the columns.' });
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (n === '') throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: column ${i + 1} of the header has no name.`, { field: 'path', hint: 'Give every column a name in the first line.' });
        if (seen.has(n)) throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: the header names column "${n}" twice.`, { field: 'path', hint: 'Column names must be unique.' });
        seen.add(n);
      });
      builders = names.map(() => new ColumnBuilder());
      return;
    }
    // A blank line is no row (csv-parse's skip_empty_lines).
    if (cells === 1 && starts[0] === ends[0] && quoted[0] === 0) return;
    if (cells !== builders.length) {
      ragged++;
      if (!firstRagged) firstRagged = rowLine;
      return;
    }
    for (let i = 0; i < cells; i++) {
      const b = builders[i]!;
      if (quoted[i] === 0) {
        const v = fastNumber(buf, starts[i]!, ends[i]!);
        if (v !== undefined) {
          b.pushNumber(v);
          continue;
        }
        if (starts[i] === ends[i]) {
          b.pushMissing();
          continue;
        }
      }
      b.pushText(text(buf, i, rowLine));
    }
    rows++;
    if (onRows && rows % PROGRESS_EVERY === 0) onRows(rows);
  };

  /** Scans complete rows of buf from 0; returns where the unfinished last row starts. */
  const scan = (buf: Buffer, final: boolean): number => {
    const n = buf.length;
    let pos = 0;
    while (pos < n) {
      const rowStart = pos;
      const rowLine = line;
      let cells = 0;
      let lines = 0;
      let done = false;
      while (!done) {
        if (cells === starts.length) {
          const grow = <T extends Int32Array | Uint8Array>(a: T, make: (k: number) => T): T => {
            const g = make(a.length * 2);
            g.set(a);
            return g;
          };
          starts = grow(starts, (k) => new Int32Array(k));
          ends = grow(ends, (k) => new Int32Array(k));
          quoted = grow(quoted, (k) => new Uint8Array(k));
        }
        if (pos < n && buf[pos] === QUOTE) {
          // A quoted field: up to the closing quote that is not doubled.
          let j = pos + 1;
          let doubled = false;
          for (;;) {
            const q = buf.indexOf(QUOTE, j);
            if (q < 0) {
              if (!final) return rowStart;
              throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: a quoted field is never closed.`, { field: 'path', hint: 'Close the quote, or double quotes inside a quoted field ("").' });
            }
            if (q + 1 < n && buf[q + 1] === QUOTE) {
              doubled = true;
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) return rowStart;
            for (let k = pos + 1; k < q; k++) if (buf[k] === LF) lines++;
            starts[cells] = pos + 1;
            ends[cells] = q;
            quoted[cells] = doubled ? 2 : 1;
            pos = q + 1;
            break;
          }
          cells++;
          const c = pos < n ? buf[pos] : LF;
          if (c === delim) pos++;
          else if (c === LF) {
            pos++;
            done = true;
          } else if (c === CR && (pos + 1 >= n || buf[pos + 1] === LF)) {
            if (pos + 1 >= n && !final) return rowStart;
            pos += 2;
            done = true;
          } else {
            throw new BenchtopError('BAD_FILE', `${display}:${rowLine + lines}: text after a closing quote.`, { field: 'path', hint: 'Quote the whole field, and double any quote inside it ("").' });
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
          if (j < n && buf[j] === delim) pos = j + 1;
          else {
            pos = j + 1;
            done = true;
          }
        }
      }
      line += lines + 1;
      takeRow(buf, cells, rowLine);
    }
    return n;
  };

  let carry: Buffer | null = null;
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const c = chunk as Buffer;
    digest.update(c);
    if (bytes === 0 && c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) {
      bytes += c.length;
      carry = carry ? Buffer.concat([carry, c.subarray(3)]) : c.subarray(3);
    } else {
      bytes += c.length;
      carry = carry && carry.length ? Buffer.concat([carry, c]) : c;
    }
    // Rows end at a newline byte, never inside a multi-byte character, so everything up to the last
    // newline can be checked in one native call; cells are checked one by one only when that fails.
    const lastLf = carry.lastIndexOf(LF);
    checkBytes = lastLf >= 0 && !isUtf8(carry.subarray(0, lastLf + 1));
    const used = scan(carry, false);
    carry = used < carry.length ? carry.subarray(used) : null;
  }
  if (carry && carry.length) {
    checkBytes = !isUtf8(carry);
    scan(carry, true);
  }
  if (bytes === 0 || !names) throw new BenchtopError('BAD_FILE', `${display} is empty.`, { field: 'path', hint: 'Give a CSV or TSV file with a header line and at least one row.' });
  const header: string[] = names;
  if (rows === 0 && ragged > 0) {
    throw new BenchtopError('BAD_FILE', `${display}:1: the header has ${header.length} columns but no row matches that (first at line ${firstRagged}).`, { field: 'path', hint: `Check the header and the delimiter (${delimiter === ',' ? 'comma' : 'tab'}).` });
  }
  if (rows === 0) throw new BenchtopError('BAD_FILE', `${display} has a header but no rows.`, { field: 'path', hint: 'Give a file with at least one data row.' });
  const problems: string[] = [];
  if (ragged) problems.push(`${display}: ${ragged} row${ragged === 1 ? '' : 's'} skipped because the number of cells differs from the header's ${header.length} (first at line ${firstRagged}).`);
  if (badBytesCells) problems.push(`${display}: ${badBytesCells} cell${badBytesCells === 1 ? '' : 's'} had bytes that are not UTF-8, replaced by U+FFFD (first at line ${firstBadLine}).`);
  if (onRows) onRows(rows);
  return { names: header, columns: builders.map((b) => b.finish()), rows, hash: digest.digest('hex'), problems };
}
