// Runs in: main (core). First rows and per-column summaries of a CSV file, parsed by csv-parse
// (opened through delimited.ts, the one way in to a CSV file).
import type { ColumnSummary, DataPreview } from '../../../shared/contract/schemas';
import { BenchtopError } from '../../../shared/contract/errors';
import { previewRecords } from './delimited';

const HISTOGRAM_BINS = 12;
const TOP_VALUES = 20;

interface ColumnAcc {
  numeric: boolean;
  count: number;
  missing: number;
  values: number[];
  counts: Map<string, number>;
}

function summarise(name: string, acc: ColumnAcc): ColumnSummary {
  if (acc.numeric && acc.values.length > 0) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of acc.values) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
    const width = (max - min) / HISTOGRAM_BINS;
    for (const v of acc.values) {
      const bin = width === 0 ? 0 : Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width));
      histogram[bin]!++;
    }
    return {
      kind: 'numeric',
      name,
      count: acc.count,
      missing: acc.missing,
      min,
      max,
      mean: sum / acc.values.length,
      histogram,
    };
  }
  const top = [...acc.counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_VALUES)
    .map(([value, count]) => ({ value, count }));
  return { kind: 'categorical', name, count: acc.count, missing: acc.missing, top, distinct: acc.counts.size };
}

/** Streams the whole file once: keeps `limit` rows and summarises every column. */
export async function previewCsv(file: string, displayPath: string, limit: number): Promise<DataPreview> {
  const parser = previewRecords(file, { relaxColumnCount: false });
  let columns: string[] | null = null;
  const rows: string[][] = [];
  let accs: ColumnAcc[] = [];
  let total = 0;
  try {
    for await (const record of parser) {
      if (!columns) {
        columns = record;
        accs = columns.map(() => ({ numeric: true, count: 0, missing: 0, values: [], counts: new Map() }));
        continue;
      }
      total++;
      if (rows.length < limit) rows.push(record);
      record.forEach((cell, i) => {
        const acc = accs[i]!;
        const text = cell.trim();
        if (text === '' || text === 'NA' || text === 'NaN') {
          acc.missing++;
          return;
        }
        acc.count++;
        const n = Number(text);
        if (acc.numeric && Number.isFinite(n)) acc.values.push(n);
        else acc.numeric = false;
        if (acc.counts.size <= 10_000) acc.counts.set(text, (acc.counts.get(text) ?? 0) + 1);
      });
    }
  } catch (err) {
    const e = err as { message?: string; lines?: number; code?: string };
    if (e.code === 'ENOENT')
      throw new BenchtopError('NOT_FOUND', `${displayPath} does not exist.`, {
        hint: 'It may have been moved or deleted; refresh the list.',
      });
    throw new BenchtopError(
      'BAD_FILE',
      `${displayPath}${e.lines ? `:${e.lines}` : ''}: the CSV cannot be read (${e.message ?? String(err)}).`,
      {
        hint: 'Make every row have as many fields as the header, and close every quoted field.',
      },
    );
  }
  if (!columns) return { path: displayPath, columns: [], rows: [], totalRows: 0, summaries: [] };
  return {
    path: displayPath,
    columns,
    rows,
    totalRows: total,
    summaries: columns.map((c, i) => summarise(c, accs[i]!)),
  };
}

/** Header and row count without keeping rows: cheap enough to list every data file. */
export async function csvShape(file: string): Promise<{ columns: string[]; rows: number } | null> {
  const parser = previewRecords(file, { relaxColumnCount: true });
  let columns: string[] | null = null;
  let rows = 0;
  try {
    for await (const record of parser) {
      if (!columns) columns = record;
      else rows++;
    }
  } catch {
    return null;
  }
  return { columns: columns ?? [], rows };
}
