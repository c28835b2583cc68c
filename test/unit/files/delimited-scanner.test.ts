// The shared CSV/TSV scanner against csv-parse: on tables written by csv-stringify (quotes, delimiters,
// newlines and CRLFs inside quotes, empty fields, unicode), LF or CRLF, BOM or not, fed in chunks cut
// anywhere, its rows' cells must be csv-parse's records; broken quoting is reported with its line.
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimitedScanner, type ScanProblem } from '../../../electron/core/files/delimited-scanner';

function scan(bytes: Buffer, delimiter: string, cuts: number[]): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const scanner: DelimitedScanner = new DelimitedScanner(
    delimiter,
    (buf, cells, line) => {
      const { starts, ends, quoted } = scanner.row;
      // A blank line is one empty unquoted cell; csv-parse (skip_empty_lines) has no record for it.
      if (cells === 1 && starts[0] === ends[0] && quoted[0] === 0) return;
      const row: string[] = [];
      for (let i = 0; i < cells; i++) {
        const s = buf.toString('utf8', starts[i]!, ends[i]!);
        row.push(quoted[i] === 2 ? s.replaceAll('""', '"') : s);
      }
      rows.push(row);
      lines.push(line);
    },
    (problem: ScanProblem, line: number) => {
      throw new Error(`${problem} at ${line}`);
    },
  );
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    scanner.write(bytes.subarray(at, cut));
    at = cut;
  }
  scanner.write(bytes.subarray(at));
  scanner.end();
  return { rows, lines };
}

const cell = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '',
      'a',
      'bc',
      '12',
      '-3.5',
      'NA',
      'é',
      '日本',
      '😀',
      'x y',
      'a long value of many chars',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('"', '""', 'a"b', ',', '\t', 'a,b', 'a\tb', '\n', '\r\n', 'two\nlines', ' "q" '),
  },
);

describe('the shared delimited scanner', () => {
  it('yields csv-parse’s records for well-formed tables, in chunks cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(',', '\t'),
        fc
          .integer({ min: 1, max: 5 })
          .chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 12 })),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(4000), { maxLength: 8 }),
        (delimiter, table, eol, bom, cuts) => {
          // Fields with a CR or LF are quoted: unquoted, csv-parse's record delimiter (learnt from the first line) decides.
          const text = stringify(table, {
            delimiter,
            record_delimiter: eol === '\n' ? 'unix' : 'windows',
            quoted_match: /[\r\n]/,
          });
          const bytes = Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(text, 'utf8'),
          ]);
          const want = (
            parse(bytes, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true }) as string[][]
          ).filter((r) => !(r.length === 1 && r[0] === ''));
          expect(scan(bytes, delimiter, cuts).rows).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('numbers rows by their first line, counting newlines inside quotes, and reports broken quoting there', () => {
    const got = scan(Buffer.from('a,b\n"x\ny",1\n\nz,2\r\nw,"3"'), ',', [5, 9]);
    expect(got.rows).toEqual([
      ['a', 'b'],
      ['x\ny', '1'],
      ['z', '2'],
      ['w', '3'],
    ]);
    expect(got.lines).toEqual([1, 2, 5, 6]);
    expect(() => scan(Buffer.from('a,b\n1,2\n"open,3\n4,5\n'), ',', [])).toThrow('unclosed-quote at 3');
    expect(() => scan(Buffer.from('a,b\n1,2\n"x\ny"z,3\n'), ',', [])).toThrow('text-after-quote at 4');
  });
});
