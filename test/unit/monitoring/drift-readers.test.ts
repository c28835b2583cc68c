import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastNumber, type ColumnData } from '../../../electron/core/monitoring/drift/column-builder';
import { readDelimited } from '../../../electron/core/monitoring/drift/read-delimited';
import { readJsonl } from '../../../electron/core/monitoring/drift/read-records';
import { tmpDir } from '../../support/helpers';

const MISSING = new Set(['', 'NA', 'null']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;

function numberOf(t: string): number {
  const l = t.toLowerCase().replace(/^\+/, '');
  if (l === 'nan' || l === '-nan') return NaN;
  if (/^-?inf(inity)?$/.test(l)) return l.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

/** What a column should hold, from csv-parse's cells: the reader's documented semantics, written plainly. */
function expected(cells: string[]): ColumnData {
  const trimmed = cells.map((c) => c.trim());
  const text = trimmed.some((t) => !MISSING.has(t) && !NUMBER.test(t));
  if (!text)
    return { kind: 'numeric', values: Float64Array.from(trimmed, (t) => (MISSING.has(t) ? NaN : numberOf(t))) };
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codes = trimmed.map((t) => {
    let label = t;
    if (!MISSING.has(t) && NUMBER.test(t)) {
      const n = numberOf(t);
      label = Number.isNaN(n) ? '' : String(n);
    }
    if (MISSING.has(label)) return -1;
    if (!index.has(label)) {
      index.set(label, labels.length);
      labels.push(label);
    }
    return index.get(label)!;
  });
  return {
    kind: 'dictionary',
    codes: Int32Array.from(codes),
    labels,
    counts: Int32Array.from(labels, (_, k) => codes.filter((c) => c === k).length),
  };
}

function values(col: ColumnData): (number | string | null)[] {
  if (col.kind === 'numeric') return Array.from(col.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(col.codes, (c) => (c < 0 ? null : col.labels[c]!));
}

const cellArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc
    .tuple(fc.integer({ min: -9999, max: 9999 }), fc.integer({ min: 0, max: 99999 }))
    .map(([a, b]) => `${a}.${String(b).padStart(5, '0')}`),
  fc.constantFrom(
    '',
    'NA',
    'null',
    ' 7 ',
    '1e5',
    '.5',
    '-0',
    '1.',
    'inf',
    '-Infinity',
    'nan',
    '0012',
    '1e999',
    '12345678901234567890',
    '0.1e-30',
  ),
  fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '\t', '1', '.'), maxLength: 8 }),
);

function quote(cell: string, delim: string): string {
  return /[",\n\r\t]/.test(cell) || cell.includes(delim) || cell === '' ? `"${cell.replaceAll('"', '""')}"` : cell;
}

describe('drift report readers', () => {
  it('fastNumber is exactly Number() wherever it answers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
          fc.stringMatching(/^[+-]?\d{0,18}(\.\d{0,18})?([eE][+-]?\d{1,3})?$/),
        ),
        (s) => {
          const buf = Buffer.from(s);
          const v = fastNumber(buf, 0, buf.length);
          if (v !== undefined) expect(Object.is(v, Number(s)) || (v === 0 && Number(s) === 0)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('CSV and TSV: the same cells as csv-parse, typed as documented, for any quoting and line ending', async () => {
    const dir = tmpDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(cellArb, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.constantFrom(',', '\t'),
        async (width, rows, crlf, delim) => {
          const table = rows.map((r) => r.slice(0, width));
          // A row that is one empty cell is a blank line to both parsers; keep every row a row.
          for (const r of table) if (width === 1 && r[0] === '') r[0] = 'x';
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          const eol = crlf ? '\r\n' : '\n';
          const text = [header, ...table].map((r) => r.map((c) => quote(c, delim)).join(delim)).join(eol) + eol;
          const file = path.join(dir, `t${n++}.${delim === ',' ? 'csv' : 'tsv'}`);
          writeFileSync(file, text);
          const parsed = parse(text, {
            bom: true,
            delimiter: delim,
            skip_empty_lines: true,
            relax_quotes: false,
          }) as string[][];
          const data = await readDelimited(file, 't', delim as ',' | '\t');
          expect(data.names).toEqual(header);
          expect(data.rows).toBe(parsed.length - 1);
          expect(data.problems).toEqual([]);
          header.forEach((_, i) => {
            const want = expected(parsed.slice(1).map((r) => r[i]!));
            expect(data.columns[i]!.kind).toBe(want.kind);
            expect(values(data.columns[i]!)).toEqual(values(want));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads across chunk boundaries: a quoted field with newlines spanning the 1 MiB read size', async () => {
    const dir = tmpDir();
    const long = 'x'.repeat((1 << 20) - 5) + '\n"y""z';
    const file = path.join(dir, 'big.csv');
    writeFileSync(file, `a,b\r\n"${long.replaceAll('"', '""')}",1.25\r\n"q",2\r\n`);
    const data = await readDelimited(file, 'big.csv', ',');
    expect(data.rows).toBe(2);
    expect(values(data.columns[0]!)).toEqual([long, 'q']);
    expect(values(data.columns[1]!)).toEqual([1.25, 2]);
  });

  it('JSONL: keys first seen part-way are missing before; numbers, strings, booleans and nested values', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'r.jsonl');
    writeFileSync(file, '\uFEFF{"a":1,"b":"x"}\r\n\n{"a":2.5,"b":true,"c":{"k":1}}\n{"a":null,"c":[1]}');
    const data = await readJsonl(file, 'r.jsonl');
    expect(data.names).toEqual(['a', 'b', 'c']);
    expect(data.rows).toBe(3);
    expect(values(data.columns[0]!)).toEqual([1, 2.5, null]);
    expect(values(data.columns[1]!)).toEqual(['x', 'true', null]);
    expect(values(data.columns[2]!)).toEqual([null, '{"k":1}', '[1]']);
  });
});
