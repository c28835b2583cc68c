// Runs in: main (core). CSV/TSV straight into typed columns in one streaming pass, on the shared byte
// scanner (files/delimited-scanner.ts, fed through files/delimited.ts) instead of csv-parse because a
// drift report must skip and count ragged rows (csv-parse stops at the first), notice bytes that are
// not UTF-8, and read numbers without making a string per cell: numbers are parsed from the bytes,
// and a repeated category is matched by its bytes (ColumnBuilder.pushCell), so only the first
// occurrence of each text becomes a string.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { BenchtopError } from '../../../../shared/contract/errors';
import { DelimitedScanner, feedFile } from '../../files/delimited';
import { ColumnBuilder } from './column-builder';
import { PROGRESS_EVERY, type RowsProgress, type TableData } from './table-data';

export async function readDelimited(
  file: string,
  display: string,
  delimiter: ',' | '\t',
  onRows?: RowsProgress,
): Promise<TableData> {
  const digest = createHash('sha256');
  let names: string[] | null = null;
  let builders: ColumnBuilder[] = [];
  let rows = 0;
  let ragged = 0;
  let firstRagged = 0;
  let badBytesCells = 0;
  let firstBadLine = 0;

  /** A cell's text; false in `bad` when its bytes are not UTF-8 (counted, and never remembered by bytes). */
  let bad = false;
  const text = (buf: Buffer, i: number, rowLine: number): string => {
    const start = scanner.row.starts[i]!;
    const end = scanner.row.ends[i]!;
    let s = buf.toString('utf8', start, end);
    if (scanner.row.quoted[i] === 2) s = s.replaceAll('""', '"');
    bad = scanner.badUtf8 && s.includes('\uFFFD') && !isUtf8(buf.subarray(start, end));
    if (bad) {
      badBytesCells++;
      if (!firstBadLine) firstBadLine = rowLine;
    }
    return s;
  };

  const takeRow = (buf: Buffer, cells: number, rowLine: number): void => {
    const { starts, ends, quoted } = scanner.row;
    if (!names) {
      names = [];
      for (let i = 0; i < cells; i++) names.push(text(buf, i, rowLine).trim());
      if (names.length === 1 && names[0] === '')
        throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: the header line is empty.`, {
          field: 'path',
          hint: 'The first line must name the columns.',
        });
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (n === '')
          throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: column ${i + 1} of the header has no name.`, {
            field: 'path',
            hint: 'Give every column a name in the first line.',
          });
        if (seen.has(n))
          throw new BenchtopError('BAD_FILE', `${display}:${rowLine}: the header names column "${n}" twice.`, {
            field: 'path',
            hint: 'Column names must be unique.',
          });
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
      // Bytes that are not UTF-8 go through their text, so each such cell is counted.
      if (quoted[i] === 0 && !scanner.badUtf8 && b.pushCell(buf, starts[i]!, ends[i]!)) continue;
      if (quoted[i] === 0 && starts[i] === ends[i]) {
        b.pushMissing();
        continue;
      }
      b.pushText(text(buf, i, rowLine));
      if (quoted[i] !== 2 && !bad) b.remember(buf, starts[i]!, ends[i]!);
    }
    rows++;
    if (onRows && rows % PROGRESS_EVERY === 0) onRows(rows);
  };

  const scanner: DelimitedScanner = new DelimitedScanner(delimiter, takeRow, (problem, line) => {
    if (problem === 'unclosed-quote')
      throw new BenchtopError('BAD_FILE', `${display}:${line}: a quoted field is never closed.`, {
        field: 'path',
        hint: 'Close the quote, or double quotes inside a quoted field ("").',
      });
    throw new BenchtopError('BAD_FILE', `${display}:${line}: text after a closing quote.`, {
      field: 'path',
      hint: 'Quote the whole field, and double any quote inside it ("").',
    });
  });
  await feedFile(file, scanner, (chunk) => digest.update(chunk));
  const bytes = scanner.bytes;
  if (bytes === 0 || !names)
    throw new BenchtopError('BAD_FILE', `${display} is empty.`, {
      field: 'path',
      hint: 'Give a CSV or TSV file with a header line and at least one row.',
    });
  const header: string[] = names;
  if (rows === 0 && ragged > 0) {
    throw new BenchtopError(
      'BAD_FILE',
      `${display}:1: the header has ${header.length} columns but no row matches that (first at line ${firstRagged}).`,
      { field: 'path', hint: `Check the header and the delimiter (${delimiter === ',' ? 'comma' : 'tab'}).` },
    );
  }
  if (rows === 0)
    throw new BenchtopError('BAD_FILE', `${display} has a header but no rows.`, {
      field: 'path',
      hint: 'Give a file with at least one data row.',
    });
  const problems: string[] = [];
  if (ragged)
    problems.push(
      `${display}: ${ragged} row${ragged === 1 ? '' : 's'} skipped because the number of cells differs from the header's ${header.length} (first at line ${firstRagged}).`,
    );
  if (badBytesCells)
    problems.push(
      `${display}: ${badBytesCells} cell${badBytesCells === 1 ? '' : 's'} had bytes that are not UTF-8, replaced by U+FFFD (first at line ${firstBadLine}).`,
    );
  if (onRows) onRows(rows);
  return { names: header, columns: builders.map((b) => b.finish()), rows, hash: digest.digest('hex'), problems };
}
