// Runs in: main (core). JSONL and Parquet into typed columns. JSONL is split into lines here (not by
// readline) so bytes that are not UTF-8 can be noticed and reported; keys first seen part-way become
// columns that are missing in the rows before. Parquet goes through the datasets' row reader.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BenchtopError } from '../../../../shared/contract/errors';
import { forEachRow } from '../../data/diff/row-reader';
import { ColumnBuilder } from './column-builder';
import { PROGRESS_EVERY, type RowsProgress, type TableData } from './table-data';

function pushJson(b: ColumnBuilder, v: unknown): void {
  if (v === null || v === undefined) b.pushMissing();
  else if (typeof v === 'number') b.pushNumber(v);
  else if (typeof v === 'string') b.pushText(v);
  else if (typeof v === 'boolean') b.pushLabel(String(v));
  else b.pushLabel(JSON.stringify(v));
}

export async function readJsonl(file: string, display: string, onRows?: RowsProgress): Promise<TableData> {
  const digest = createHash('sha256');
  const index = new Map<string, number>();
  const names: string[] = [];
  const builders: ColumnBuilder[] = [];
  let rows = 0;
  let line = 0;
  let bytes = 0;
  let badLines = 0;
  let firstBad = 0;
  const takeLine = (buf: Buffer, start: number, end: number): void => {
    line++;
    let text = buf.toString('utf8', start, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') return;
    if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) {
      badLines++;
      if (!firstBad) firstBad = line;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      obj = null;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new BenchtopError('BAD_FILE', `${display}:${line}: not a JSON object.`, {
        field: 'path',
        hint: 'Each line of a JSONL file must be one JSON object.',
      });
    const rec = obj as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
        const b = new ColumnBuilder();
        b.padTo(rows);
        builders.push(b);
      }
    }
    for (let i = 0; i < names.length; i++) pushJson(builders[i]!, rec[names[i]!]);
    rows++;
    if (onRows && rows % PROGRESS_EVERY === 0) onRows(rows);
  };
  let carry: Buffer | null = null;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const c = chunk as Buffer;
    digest.update(c);
    bytes += c.length;
    const buf: Buffer = carry?.length ? Buffer.concat([carry, c]) : c;
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      takeLine(buf, pos, nl);
      pos = nl + 1;
    }
    carry = buf.subarray(pos);
  }
  if (carry?.length) takeLine(carry, 0, carry.length);
  if (bytes === 0 || rows === 0)
    throw new BenchtopError('BAD_FILE', `${display} is empty.`, {
      field: 'path',
      hint: 'Give a JSONL file with one JSON object per line.',
    });
  const problems: string[] = [];
  if (badLines)
    problems.push(
      `${display}: ${badLines} line${badLines === 1 ? '' : 's'} had bytes that are not UTF-8, replaced by U+FFFD (first at line ${firstBad}).`,
    );
  if (onRows) onRows(rows);
  return { names, columns: builders.map((b) => b.finish()), rows, hash: digest.digest('hex'), problems };
}

export async function readParquet(file: string, display: string, onRows?: RowsProgress): Promise<TableData> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
  const builders: ColumnBuilder[] = [];
  let rows = 0;
  const header = await forEachRow({ file, display, format: 'parquet' }, [], (cells) => {
    while (builders.length < cells.length) builders.push(new ColumnBuilder());
    for (let i = 0; i < cells.length; i++) builders[i]!.pushText(cells[i]!);
    rows++;
    if (onRows && rows % PROGRESS_EVERY === 0) onRows(rows);
  });
  if (rows === 0)
    throw new BenchtopError('BAD_FILE', `${display} has no rows.`, {
      field: 'path',
      hint: 'Give a Parquet file with at least one row.',
    });
  while (builders.length < header.length) builders.push(new ColumnBuilder());
  return { names: header, columns: builders.map((b) => b.finish()), rows, hash: digest.digest('hex'), problems: [] };
}
