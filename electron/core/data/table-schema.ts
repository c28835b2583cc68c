// Runs in: main (core). The schema summary a pointer carries for tables: format, row count, and each
// column's type, read in one streaming pass so a large file is never loaded whole.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { BenchtopError } from '../../../shared/contract/errors';
import { DelimitedRecords, delimiterOf, feedFile } from '../files/delimited';
import { parquetTableSchema } from './parquet';
import type { TableSchema } from './pointer';

type ColumnType = TableSchema['columns'][number]['type'];

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;
const BOOLEAN = /^(true|false)$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The narrowest type that fits both (the order: empty < integer < number; anything else is string). */
export function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b || b === 'empty') return a;
  if (a === 'empty') return b;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}

export function typeOfText(cell: string): ColumnType {
  const v = cell.trim();
  if (v === '' || v === 'NA' || v === 'null') return 'empty';
  if (INTEGER.test(v)) return 'integer';
  if (NUMBER.test(v)) return 'number';
  if (BOOLEAN.test(v)) return 'boolean';
  if (DATETIME.test(v)) return 'datetime';
  return 'string';
}

function typeOfJson(v: unknown): ColumnType {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return DATETIME.test(v) ? 'datetime' : 'string';
  return 'string';
}

export function tableFormatOf(file: string): TableSchema['format'] | null {
  const m = /\.(csv|tsv|jsonl|ndjson|parquet)$/i.exec(file);
  if (!m) return null;
  const ext = m[1]!.toLowerCase();
  return ext === 'ndjson' ? 'jsonl' : (ext as TableSchema['format']);
}

/**
 * A table whose summary could not be read. Callers that need the schema see the BAD_FILE error as
 * before; `data add` tracks the file anyway and shows `reason`, a sentence without the file name.
 */
export class TableUnreadable extends BenchtopError {
  constructor(
    message: string,
    hint: string,
    readonly reason: string,
  ) {
    super('BAD_FILE', message, { field: 'path', hint });
  }
}

/** csv-parse's error in plain words: a ragged row says its field counts, anything else its line. */
function delimitedReason(
  e: { code?: string; lines?: number; message?: string; record?: unknown[] },
  headerFields: number | undefined,
): string {
  const plural = (n: number): string => `${n} field${n === 1 ? '' : 's'}`;
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && e.lines && e.record && headerFields !== undefined)
    return `line ${e.lines} has ${plural(e.record.length)} where the header has ${headerFields}.`;
  const what = (e.message ?? 'unreadable').replace(/\s+on line \d+\.?$/, '').replace(/\.$/, '');
  return e.lines ? `line ${e.lines}: ${what}.` : `${what}.`;
}

async function delimitedSchema(file: string, display: string, format: 'csv' | 'tsv'): Promise<TableSchema> {
  let types: ColumnType[] = [];
  let rows = 0;
  // The diff's reader: csv-parse's records and errors, several times faster on plain lines.
  const reader = new DelimitedRecords(delimiterOf(format), (record) => {
    if (rows++ === 0) types = reader.header!.map(() => 'empty');
    for (let i = 0; i < types.length; i++) {
      // A string column stays one whatever comes: its cells need no more looking at.
      if (types[i] !== 'string') types[i] = widen(types[i]!, typeOfText(record[i] ?? ''));
    }
  });
  try {
    await feedFile(file, reader);
  } catch (err) {
    const e = err as { code?: string; lines?: number; message?: string; record?: unknown[] };
    throw new TableUnreadable(
      `${display}${e.lines ? `:${e.lines}` : ''}: ${e.message ?? String(err)}`,
      `Fix the ${format.toUpperCase()} at that line, then add it again.`,
      delimitedReason(e, reader.header?.length),
    );
  }
  const names = reader.header ?? [];
  if (rows === 0) types = names.map(() => 'empty');
  return { format, rows, columns: names.map((name, i) => ({ name, type: types[i]! })) };
}

async function jsonlSchema(file: string, display: string): Promise<TableSchema> {
  const types = new Map<string, ColumnType>();
  let rows = 0;
  let line = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      throw new TableUnreadable(
        `${display}:${line}: not a JSON object.`,
        'Each line of a JSONL file must be one JSON object.',
        `line ${line} is not a JSON object.`,
      );
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new TableUnreadable(
        `${display}:${line}: not a JSON object.`,
        'Each line of a JSONL file must be one JSON object.',
        `line ${line} is not a JSON object.`,
      );
    rows++;
    for (const [k, v] of Object.entries(obj)) types.set(k, widen(types.get(k) ?? 'empty', typeOfJson(v)));
  }
  return { format: 'jsonl', rows, columns: [...types].map(([name, type]) => ({ name, type })) };
}

/** The schema of a table file (CSV, TSV, JSONL, Parquet), or null for other files. */
export async function readTableSchema(file: string, display: string): Promise<TableSchema | null> {
  const format = tableFormatOf(display);
  if (format === 'parquet') return parquetTableSchema(file, display);
  if (format === 'csv' || format === 'tsv') return delimitedSchema(file, display, format);
  if (format === 'jsonl') return jsonlSchema(file, display);
  return null;
}
