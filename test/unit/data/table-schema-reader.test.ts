// `data add`'s schema pass for CSV/TSV reads with the diff's fast reader (DelimitedRecords); its
// schema (names, types, row count) and its errors must be what reading with csv-parse gave, on
// generated files with quoted fields, delimiters and newlines inside quotes, CRLF, BOMs, and files
// large enough to arrive in several chunks.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TableSchema } from '../../../electron/core/data/pointer';
import { readTableSchema, typeOfText, widen } from '../../../electron/core/data/table-schema';
import { tmpDir } from '../../support/helpers';

type ColumnType = TableSchema['columns'][number]['type'];

const dir = tmpDir('benchtop-schema-reader-');
let fileNo = 0;

/** The schema pass as it was written with csv-parse: every record through it, the types widened. */
function reference(bytes: Buffer, display: string, format: 'csv' | 'tsv'): TableSchema | { error: string } {
  let records: string[][];
  try {
    records = parse(bytes, {
      bom: true,
      delimiter: format === 'tsv' ? '\t' : ',',
      skip_empty_lines: true,
      relax_quotes: false,
    }) as string[][];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { error: `${display}${e.lines ? `:${e.lines}` : ''}: ${e.message}` };
  }
  const names = records[0] ?? [];
  const types: ColumnType[] = names.map(() => 'empty');
  for (const r of records.slice(1))
    for (let i = 0; i < types.length; i++) types[i] = widen(types[i]!, typeOfText(r[i] ?? ''));
  return {
    format,
    rows: Math.max(0, records.length - 1),
    columns: names.map((name, i) => ({ name, type: types[i]! })),
  };
}

async function actual(
  bytes: Buffer,
  format: 'csv' | 'tsv',
): Promise<{ display: string; got: TableSchema | { error: string } }> {
  const display = `t${fileNo++}.${format}`;
  const file = path.join(dir, display);
  writeFileSync(file, bytes);
  try {
    return { display, got: (await readTableSchema(file, display))! };
  } catch (err) {
    return { display, got: { error: (err as Error).message } };
  }
}

async function same(bytes: Buffer, format: 'csv' | 'tsv'): Promise<TableSchema | { error: string }> {
  const { display, got } = await actual(bytes, format);
  expect(got).toEqual(reference(bytes, display, format));
  return got;
}

// Cells of every type the inference tells apart, and text that needs quoting.
const cell = fc.oneof(
  fc.constantFrom(
    '',
    'NA',
    'null',
    ' ',
    '0',
    '-12',
    '+7',
    '3.25',
    '1e5',
    '.5',
    'inf',
    '-Infinity',
    'nan',
    'true',
    'FALSE',
    '2024-03-01',
    '2024-03-01T10:00:00Z',
  ),
  fc.constantFrom('a', 'say "hi"', 'a,b', 'a\tb', 'two\nlines', 'cr\r\nlf', ' padded ', '"', 'é', '😀'),
  fc.string({ unit: fc.constantFrom('a', '1', '.', '-', ',', '"', '\n', ' '), maxLength: 5 }),
);

const table = fc.record({
  width: fc.integer({ min: 1, max: 4 }),
  rows: fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 30 }),
  format: fc.constantFrom<'csv' | 'tsv'>('csv', 'tsv'),
  quoted: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  blankLines: fc.boolean(),
});

describe('the schema pass of CSV/TSV with the fast reader', () => {
  it('gives the schema csv-parse gave, on generated files with quotes (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(table, async ({ width, rows, format, quoted, crlf, bom, blankLines }) => {
        const header = ['id', 'x y', 'say "q"', 'c,d'].slice(0, width);
        let text = stringify([header, ...rows.map((r) => r.slice(0, width))], {
          delimiter: format === 'tsv' ? '\t' : ',',
          quoted,
          record_delimiter: crlf ? 'windows' : 'unix',
          bom,
        });
        if (blankLines) text = text.replace(crlf ? /\r\n(?=.)/ : /\n(?=.)/, crlf ? '\r\n\r\n' : '\n\n');
        await same(Buffer.from(text, 'utf8'), format);
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  it('fails with csv-parse’s message and line on broken quoting and a wrong field count', async () => {
    const broken = await same(Buffer.from('a,b\n1,2\n3,"open\n4,5\n'), 'csv');
    expect(broken).toHaveProperty('error', expect.stringMatching(/^t\d+\.csv:\d+: /));
    const wide = await same(Buffer.from('a,b\n1,2\n3,4,5\n'), 'csv');
    expect(wide).toHaveProperty('error', expect.stringMatching(/^t\d+\.csv:3: /));
    await same(Buffer.from(''), 'csv');
    await same(Buffer.from('only,header\n'), 'csv');
  });

  it('gives the same schema for a file read in several chunks, quoted records among plain ones', async () => {
    const lines = ['id,name,score,when,flag'];
    for (let i = 0; i < 40_000; i++) {
      const name = i % 7 === 0 ? `"multi\nline, ""quoted"" ${i}"` : `name${i}`;
      const score = i === 39_999 ? 'n/a' : (i * 0.37).toFixed(3);
      lines.push(`${i},${name},${score},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i % 2 === 0}`);
    }
    const got = await same(Buffer.from(lines.join('\n') + '\n'), 'csv');
    expect(got).toMatchObject({
      rows: 40_000,
      columns: [{ type: 'integer' }, { type: 'string' }, { type: 'string' }, { type: 'datetime' }, { type: 'boolean' }],
    });
  });
});
