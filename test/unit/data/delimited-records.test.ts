// The diff's CSV/TSV reader against csv-parse itself: on generated text (quotes, delimiters and
// newlines inside quotes, empty fields and lines, CRLF, stray CRs, BOMs, unicode, broken quoting,
// wrong field counts) fed in chunks of any size, it must yield csv-parse's header, its rows, and
// its error (message and line) — the reader takes a faster path for plain lines only.
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvOptions, DelimitedRecords } from '../../../electron/core/files/delimited-records';

type Outcome = { header: string[] | null; rows: string[][]; error: string | null; lines: number | null };

function reference(bytes: Buffer, delimiter: string): Outcome {
  try {
    const records = parse(bytes, csvOptions(delimiter)) as string[][];
    return { header: records[0] ?? null, rows: records.slice(1), error: null, lines: null };
  } catch (err) {
    const e = err as { message: string; lines?: number };
    return { header: null, rows: [], error: e.message, lines: e.lines ?? null };
  }
}

function fast(bytes: Buffer, delimiter: string, cuts: number[], spillBytes?: number): Outcome {
  const rows: string[][] = [];
  const reader = new DelimitedRecords(
    delimiter,
    (cells, row) => {
      expect(row).toBe(rows.length + 1);
      rows.push(cells);
    },
    spillBytes,
  );
  try {
    let at = 0;
    for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
      reader.write(bytes.subarray(at, cut));
      at = cut;
    }
    reader.write(bytes.subarray(at));
    reader.end();
    return { header: reader.header, rows, error: null, lines: null };
  } catch (err) {
    const e = err as { message: string; lines?: number };
    return { header: null, rows: [], error: e.message, lines: e.lines ?? null };
  }
}

/** What the reference gives when the text is valid: header and rows; when not: only the error. */
function same(bytes: Buffer, delimiter: string, cuts: number[], spillBytes?: number): void {
  const want = reference(bytes, delimiter);
  const got = fast(bytes, delimiter, cuts, spillBytes);
  expect(got).toEqual(want);
}

const delimiters = fc.constantFrom(',', '\t');
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
    arbitrary: fc.constantFrom('"', '""', 'a"b', ',', '\t', 'a,b', 'a\tb', '\n', '\r\n', 'x\ry', 'two\nlines', ' "q" '),
  },
  {
    weight: 2,
    arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ',', '\t', '"', '\n', '\r', ' ', 'é', '😀'), maxLength: 6 }),
  },
);
/** Chunk boundaries, to cut lines, quoted fields, CRLFs and multi-byte characters anywhere. */
const cuts = fc.array(fc.nat(4000), { maxLength: 8 });

describe('the fast CSV/TSV reader yields exactly what csv-parse does', () => {
  it('on well-formed tables written by csv-stringify (quoted where needed), LF or CRLF, BOM or not', () => {
    fc.assert(
      fc.property(
        delimiters,
        fc
          .integer({ min: 1, max: 5 })
          .chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 12 })),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        cuts,
        (delimiter, table, eol, bom, trailing, cut) => {
          let text = stringify(table, { delimiter, record_delimiter: eol === '\n' ? 'unix' : 'windows' });
          if (!trailing) text = text.slice(0, -eol.length);
          const bytes = Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(text, 'utf8'),
          ]);
          same(bytes, delimiter, cut);
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });

  it('on the same tables cut into chunks anywhere, with empty lines between records', () => {
    fc.assert(
      fc.property(
        delimiters,
        fc
          .integer({ min: 1, max: 4 })
          .chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 10 })),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(12), { maxLength: 4 }),
        cuts,
        (delimiter, table, eol, blanks, cut) => {
          const lines = table.map((r) =>
            stringify([r], { delimiter, record_delimiter: eol === '\n' ? 'unix' : 'windows' }),
          );
          for (const b of blanks) lines.splice(b % (lines.length + 1), 0, eol);
          same(Buffer.from(lines.join(''), 'utf8'), delimiter, cut);
        },
      ),
      { numRuns: 400, seed: 12 },
    );
  });

  it('on arbitrary text over the characters that matter (broken quotes, stray CRs, ragged rows)', () => {
    const unit = fc.constantFrom(
      'a',
      'b',
      '1',
      ',',
      ',',
      '\t',
      '"',
      '"',
      '\n',
      '\n',
      '\r\n',
      '\r',
      ' ',
      'é',
      '😀',
      '\ufeff',
    );
    fc.assert(
      fc.property(
        delimiters,
        fc.string({ unit, maxLength: 60 }),
        fc.boolean(),
        cuts,
        fc.option(fc.integer({ min: 1, max: 20 })),
        (delimiter, text, bom, cut, spill) => {
          same(
            Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]),
            delimiter,
            cut,
            spill ?? undefined,
          );
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('on long plain tables with a few quoted or broken records anywhere, in small chunks', () => {
    const plain = fc.constantFrom('1', 'abc', '', 'x y', '3.25', 'a much longer cell value');
    const odd = fc.constantFrom('"q"', '"a,b"', '"two\nlines"', '"say ""hi"""', 'a"b', '"open', 'x\ry', '"\r\n"');
    fc.assert(
      fc.property(
        delimiters,
        fc.array(fc.tuple(plain, plain, plain), { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(200), fc.nat(2), odd), { maxLength: 4 }),
        fc.array(fc.nat(200), { maxLength: 2 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(4000), { maxLength: 30 }),
        fc.option(fc.integer({ min: 1, max: 40 })),
        (delimiter, rows, edits, ragged, eol, cut, spill) => {
          const cells = rows.map((r): string[] => [...r]);
          for (const [r, c, v] of edits) cells[r % cells.length]![c] = v;
          const lines = cells.map((r) => r.join(delimiter));
          for (const r of ragged) lines[r % lines.length] += delimiter + 'extra';
          // A small spill size hands csv-parse the rest of the file from the first quoted record cut by a chunk.
          same(
            Buffer.from(['h1', 'h2', 'h3'].join(delimiter) + eol + lines.join(eol) + eol, 'utf8'),
            delimiter,
            cut,
            spill ?? undefined,
          );
        },
      ),
      { numRuns: 600, seed: 14 },
    );
  });

  it('stops when the visitor says so, with the rows up to there', () => {
    const text = Buffer.from('a,b\n1,2\n"3",4\n5,6\n7,8\n');
    const seen: string[][] = [];
    const reader = new DelimitedRecords(',', (cells) => {
      seen.push(cells);
      return seen.length < 2;
    });
    expect(reader.write(text)).toBe(false);
    reader.end();
    expect(reader.header).toEqual(['a', 'b']);
    expect(seen).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});
