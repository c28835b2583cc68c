// Runs in: main (core) and the diff worker thread (dist/diff-worker.cjs). One read of the newer
// version of a table, reduced to what the diff needs from each row: its key and a 53-bit
// fingerprint (key mode) or its 106-bit fingerprint (content mode), packed in typed arrays a batch
// at a time, plus the per-column statistics. Batches are compact so that a worker thread can hand
// a million rows to the main thread without a million small objects; the main thread matches them
// against the older version (table-diff.ts).
import type { TableSchema } from '../pointer';
import { ColumnAccumulator, type ColumnStats } from './column-stats';
import { ownString } from '../../files/delimited';
import { rowHash106Pair, rowHash53 } from './row-hash';
import { forEachRow, type RowSource } from './row-reader';

type Column = TableSchema['columns'][number];

/** What to take from each row. */
export interface SidePlan {
  /** The key column's index, or -1 to fingerprint whole rows (content mode). */
  key: number;
  /** The columns a fingerprint covers (those both versions have), in the order of the newer one. */
  fingerprint: number[];
}

export interface SideBatch {
  /** Rows in this batch. */
  rows: number;
  /** Key mode: the keys of the rows, end to end (keyLengths says where each ends); '' in content mode. */
  keys: string;
  keyLengths: Uint32Array;
  /** Key mode: one rowHash53 per row; content mode: the two halves of rowHash106Pair per row. */
  hashes: Float64Array;
}

export interface SideEnd {
  header: string[];
  stats: ColumnStats[];
}

/** Rows per batch: large enough that messages are few, small enough that a batch is a few MiB. */
export const BATCH_ROWS = 1 << 16;

/** Reads every row of `source`, handing `onBatch` one batch per BATCH_ROWS rows, in order. */
export async function passOverSide(
  source: RowSource,
  columns: readonly Column[],
  plan: SidePlan,
  onBatch: (batch: SideBatch) => void,
): Promise<SideEnd> {
  const stats = columns.map((c) => new ColumnAccumulator(c.type));
  const keyed = plan.key >= 0;
  const per = keyed ? 1 : 2;
  let keys: string[] = [];
  let keyLengths = new Uint32Array(keyed ? BATCH_ROWS : 0);
  let hashes = new Float64Array(per * BATCH_ROWS);
  let n = 0;
  const fp = new Float64Array(2);
  const flush = (): void => {
    const batch: SideBatch = {
      rows: n,
      keys: keyed ? keys.join('') : '',
      keyLengths: keyLengths.subarray(0, keyed ? n : 0),
      hashes: hashes.subarray(0, per * n),
    };
    // The arrays are handed over (transferred, when this runs in a worker): fresh ones follow. Reset
    // first, so a batch whose consumer throws is not handed over a second time by the catch below.
    keys = [];
    keyLengths = new Uint32Array(keyed ? BATCH_ROWS : 0);
    hashes = new Float64Array(per * BATCH_ROWS);
    n = 0;
    onBatch(batch);
  };
  let header: string[];
  try {
    header = await forEachRow(
      source,
      columns.map((c) => c.name),
      (cells) => {
        for (let i = 0; i < stats.length; i++) stats[i]!.add(cells[i] ?? '');
        if (keyed) {
          const k = cells[plan.key] ?? '';
          keys.push(k);
          keyLengths[n] = k.length;
          hashes[n] = rowHash53(cells, plan.fingerprint);
        } else {
          rowHash106Pair(cells, plan.fingerprint, fp);
          hashes[2 * n] = fp[0]!;
          hashes[2 * n + 1] = fp[1]!;
        }
        if (++n === BATCH_ROWS) flush();
      },
    );
  } catch (err) {
    // The rows before a bad one are handed over first: the consumer may find an earlier error in
    // them (a duplicate key), which is the one a sequential read would report.
    if (n > 0) flush();
    throw err;
  }
  if (n > 0) flush();
  return { header, stats: stats.map((s) => s.result()) };
}

/** The cells of the data rows numbered in `wanted` (1-based), by a read that stops after the last. */
export async function pickRows(
  source: RowSource,
  jsonColumns: readonly string[],
  wanted: readonly number[],
): Promise<string[][]> {
  const order = new Map(wanted.map((r, i) => [r, i]));
  const out: string[][] = new Array(wanted.length);
  let left = order.size;
  if (left === 0) return out;
  await forEachRow({ ...source, expectHash: null }, jsonColumns, (cells, row) => {
    const i = order.get(row);
    if (i === undefined) return true;
    // Copied: the reader's cells may be slices of its whole chunk of text.
    out[i] = cells.map(ownString);
    return --left > 0;
  });
  return out;
}
