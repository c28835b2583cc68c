// Runs in: main (core). Parquet through hyparquet (pure JavaScript, no native code): the schema
// summary a pointer keeps (from the footer alone) and the rows a diff compares, read a slice of
// rows at a time so a large file is never decoded whole.
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { BenchtopError } from '../../../shared/contract/errors';
import type { TableSchema } from '../../../shared/contract/schemas';

type ColumnType = TableSchema['columns'][number]['type'];

interface SchemaElement {
  name: string;
  type?: string;
  converted_type?: string;
  logical_type?: { type?: string };
  num_children?: number;
}

const ROWS_PER_READ = 10_000;

/** The column type a Parquet leaf reads as, in the pointer's vocabulary. */
export function parquetColumnType(e: SchemaElement): ColumnType {
  const logical = e.logical_type?.type;
  if (e.num_children) return 'string';
  if (
    logical === 'TIMESTAMP' ||
    logical === 'DATE' ||
    e.converted_type?.startsWith('TIMESTAMP') ||
    e.converted_type === 'DATE' ||
    e.type === 'INT96'
  )
    return 'datetime';
  if (logical === 'DECIMAL' || e.converted_type === 'DECIMAL') return 'number';
  switch (e.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    default:
      return 'string';
  }
}

async function metadataOf(file: string, display: string) {
  try {
    const buffer = await asyncBufferFromFile(file);
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (err) {
    throw new BenchtopError(
      'BAD_FILE',
      `${display}: not a readable Parquet file (${err instanceof Error ? err.message : String(err)}).`,
      { field: 'path', hint: 'Check that the file is complete and really Parquet.' },
    );
  }
}

/** Top-level columns: the root's children (nested groups count as one column each). */
function topColumns(schema: SchemaElement[]): SchemaElement[] {
  const out: SchemaElement[] = [];
  let i = 1;
  const skip = (at: number): number => {
    let next = at + 1;
    for (let c = 0; c < (schema[at]!.num_children ?? 0); c++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    out.push(schema[i]!);
    i = skip(i);
  }
  return out;
}

export async function parquetTableSchema(file: string, display: string): Promise<TableSchema> {
  const { metadata } = await metadataOf(file, display);
  const columns = topColumns(metadata.schema as SchemaElement[]).map((e) => ({
    name: e.name,
    type: parquetColumnType(e),
  }));
  return { format: 'parquet', rows: Number(metadata.num_rows), columns };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Visits every row as cell texts in column order; returning false stops. Returns the header. */
export async function forEachParquetRow(
  file: string,
  display: string,
  visit: (cells: string[], row: number) => boolean | void,
): Promise<{ header: string[]; stopped: boolean }> {
  const { buffer, metadata } = await metadataOf(file, display);
  const header = topColumns(metadata.schema as SchemaElement[]).map((e) => e.name);
  const total = Number(metadata.num_rows);
  let row = 0;
  for (let start = 0; start < total; start += ROWS_PER_READ) {
    let rows: unknown[][] = [];
    await parquetRead({
      file: buffer,
      metadata,
      rowStart: start,
      rowEnd: Math.min(start + ROWS_PER_READ, total),
      onComplete: (r: unknown[][]) => (rows = r),
    });
    for (const r of rows) {
      row++;
      if (visit(r.map(cellText), row) === false) return { header, stopped: true };
    }
  }
  return { header, stopped: false };
}
