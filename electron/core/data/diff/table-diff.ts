// Runs in: main (core). Row-level diff of two versions of a table, streamed: each file is read once
// to fingerprint its rows and summarise its columns (the newer one on a worker thread when large,
// see newer-side.ts), and each a second time, stopping as soon as it can, only to pick up the
// sample rows. Memory holds one fingerprint per row of A (key mode: per key) and B's keys and
// fingerprints in typed batches, never the rows themselves, except the ~20 samples.
import { BenchtopError } from '../../../../shared/contract/errors';
import type { DataDiff } from '../../../../shared/contract/schemas';
import type { TableSchema } from '../pointer';
import { ColumnAccumulator, type ColumnStats } from './column-stats';
import { FingerprintCounts } from './fingerprint-counts';
import { rowHash106Pair, rowHash53 } from './row-hash';
import { ownString } from '../../files/delimited';
import { openNewerSide, type Threads } from './newer-side';
import { forEachRow, type RowSource } from './row-reader';

export type TableDiff = NonNullable<DataDiff['table']>;
type Column = TableSchema['columns'][number];

export interface TableSide {
  source: RowSource;
  /** The table's columns and inferred types (table-schema.ts), in file order. */
  columns: Column[];
}

export const SAMPLE_ROWS = 20;

function duplicateKey(side: TableSide, key: string, value: string, row: number): BenchtopError {
  return new BenchtopError(
    'INVALID_INPUT',
    `The key column "${key}" is not unique in ${side.source.display}: the value "${value}" appears again at data row ${row}.`,
    {
      field: 'key',
      hint: 'Choose a column whose values are unique, or leave out --key to match rows by their content.',
    },
  );
}

function keyIndex(side: TableSide, key: string): number {
  const i = side.columns.findIndex((c) => c.name === key);
  if (i < 0) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `There is no column "${key}" in ${side.source.display} (its columns: ${side.columns.map((c) => c.name).join(', ') || 'none'}).`,
      {
        field: 'key',
        hint: 'Name a column both versions have, or leave out --key to match rows by their content.',
      },
    );
  }
  return i;
}

/** `threads`: see newer-side.ts (`auto` unless a test needs one path or the other). */
export async function diffTables(
  a: TableSide,
  b: TableSide,
  opts: { key?: string | null; sampleRows?: number; threads?: Threads } = {},
): Promise<TableDiff> {
  const sampleRows = opts.sampleRows ?? SAMPLE_ROWS;
  const namesA = a.columns.map((c) => c.name);
  const namesB = b.columns.map((c) => c.name);
  const typeA = new Map(a.columns.map((c) => [c.name, c.type]));
  // Rows are compared on the columns both versions have; added and removed columns are reported
  // as such rather than making every row "changed".
  const common = namesB.filter((n, i) => typeA.has(n) && namesB.indexOf(n) === i);
  const idxA = common.map((n) => namesA.indexOf(n));
  const idxB = common.map((n) => namesB.indexOf(n));
  const removedCols = a.columns.filter((c) => !namesB.includes(c.name));
  const header = [...namesB, ...removedCols.map((c) => c.name)];
  const fromA = header.map((n) => namesA.indexOf(n));
  const fromB = header.map((n) => namesB.indexOf(n));
  // Kept rows are copied cell by cell: a cell may be a slice of the reader's whole chunk of text.
  const layA = (cells: string[]): string[] => fromA.map((i) => (i < 0 ? '' : ownString(cells[i] ?? '')));
  const layB = (cells: string[]): string[] => fromB.map((i) => (i < 0 ? '' : ownString(cells[i] ?? '')));
  const own = (cells: string[]): string[] => cells.map(ownString);
  const key = opts.key ?? null;
  const kA = key === null ? -1 : keyIndex(a, key);
  const kB = key === null ? -1 : keyIndex(b, key);

  const statsA = a.columns.map((c) => new ColumnAccumulator(c.type));
  let rowsA = 0;
  let rowsB = 0;
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  let removed = 0;
  const sampleAdded: string[][] = [];
  const sampleRemoved: string[][] = [];
  const sampleChanged: TableDiff['sampleChanged'] = [];
  /** Rows of B to fetch for the samples: added rows, then (key mode) changed rows. */
  const addedRows: number[] = [];

  const checkHeader = (side: TableSide, got: string[], names: string[]): void => {
    if (side.source.format !== 'jsonl' && (got.length !== names.length || got.some((g, i) => g !== names[i]))) {
      throw new BenchtopError('BAD_FILE', `The header of ${side.source.display} does not match its recorded schema.`, {
        field: 'path',
        hint: 'Add the data again with `benchtop data add` so its pointer describes it.',
      });
    }
  };

  // B is read (on a worker thread when it is large) while A is read here; B's rows are matched
  // against A's once A is done, in B's order, so counts, samples and errors are those of a
  // sequential read of A then B.
  const newer = openNewerSide(
    { source: b.source, columns: b.columns, jsonColumns: namesB, plan: { key: kB, fingerprint: idxB } },
    opts.threads,
  );
  let statsB: ColumnStats[];
  try {
    if (key !== null) {
      const MATCHED = -1;
      const seen = new Map<string, number>();
      checkHeader(
        a,
        await forEachRow(a.source, namesA, (cells, row) => {
          rowsA++;
          for (let i = 0; i < statsA.length; i++) statsA[i]!.add(cells[i] ?? '');
          const k = cells[kA] ?? '';
          // One lookup, not two: a key seen before leaves the size unchanged (and the diff fails).
          const size = seen.size;
          seen.set(k.length < 13 ? k : ownString(k), rowHash53(cells, idxA));
          if (seen.size === size) throw duplicateKey(a, key, k, row);
        }),
        namesA,
      );
      const addedKeys = new Set<string>();
      /** Changed keys kept for the sample, with their row in B. */
      const changedAfter = new Map<string, number>();
      const endB = await newer.read((batch) => {
        const keys = batch.keys;
        const lengths = batch.keyLengths;
        const hashes = batch.hashes;
        let off = 0;
        for (let r = 0; r < batch.rows; r++) {
          const row = ++rowsB;
          const k = keys.slice(off, (off += lengths[r]!));
          const before = seen.get(k);
          if (before === undefined) {
            if (addedKeys.has(k)) throw duplicateKey(b, key, k, row);
            addedKeys.add(ownString(k));
            added++;
            if (addedRows.length < sampleRows) addedRows.push(row);
          } else if (before === MATCHED) {
            throw duplicateKey(b, key, k, row);
          } else {
            seen.set(k, MATCHED);
            if (before === hashes[r]) unchanged++;
            else {
              changed++;
              if (changedAfter.size < sampleRows) changedAfter.set(ownString(k), row);
            }
          }
        }
      });
      checkHeader(b, endB.header, namesB);
      statsB = endB.stats;
      const removedKeys = new Set<string>();
      for (const [k, v] of seen) {
        if (v === MATCHED) continue;
        removed++;
        if (removedKeys.size < sampleRows) removedKeys.add(k);
      }
      seen.clear();
      let wanted = removedKeys.size + changedAfter.size;
      const changedBefore = new Map<string, string[]>();
      // The samples: A read again here (stopping once it has them) while B's rows are fetched.
      const [, fromB] = await Promise.all([
        wanted > 0
          ? forEachRow({ ...a.source, expectHash: null }, namesA, (cells) => {
              const k = cells[kA] ?? '';
              if (removedKeys.has(k)) {
                sampleRemoved.push(layA(cells));
                wanted--;
              } else if (changedAfter.has(k)) {
                changedBefore.set(k, own(cells));
                wanted--;
              }
              return wanted > 0;
            })
          : null,
        newer.pick([...addedRows, ...changedAfter.values()]),
      ]);
      for (let i = 0; i < addedRows.length; i++) sampleAdded.push(layB(fromB[i]!));
      let i = addedRows.length;
      for (const k of changedAfter.keys()) {
        const after = fromB[i++]!;
        const before = changedBefore.get(k)!;
        sampleChanged.push({
          key: k,
          before: layA(before),
          after: layB(after),
          columns: common.filter((_, j) => (before[idxA[j]!] ?? '') !== (after[idxB[j]!] ?? '')),
        });
      }
    } else {
      // A multiset of row fingerprints: A's rows count up, B's rows use them up; what B cannot
      // match was added, what A has left over was removed.
      const counts = new FingerprintCounts();
      const fp = new Float64Array(2);
      checkHeader(
        a,
        await forEachRow(a.source, namesA, (cells) => {
          rowsA++;
          for (let i = 0; i < statsA.length; i++) statsA[i]!.add(cells[i] ?? '');
          rowHash106Pair(cells, idxA, fp);
          counts.add(fp[0]!, fp[1]!);
        }),
        namesA,
      );
      const endB = await newer.read((batch) => {
        const hashes = batch.hashes;
        for (let r = 0; r < batch.rows; r++) {
          const row = ++rowsB;
          if (counts.take(hashes[2 * r]!, hashes[2 * r + 1]!)) unchanged++;
          else {
            added++;
            if (addedRows.length < sampleRows) addedRows.push(row);
          }
        }
      });
      checkHeader(b, endB.header, namesB);
      statsB = endB.stats;
      removed = counts.total();
      let wanted = Math.min(removed, sampleRows);
      const [, fromB] = await Promise.all([
        wanted > 0
          ? forEachRow({ ...a.source, expectHash: null }, namesA, (cells) => {
              rowHash106Pair(cells, idxA, fp);
              if (counts.take(fp[0]!, fp[1]!)) {
                sampleRemoved.push(layA(cells));
                wanted--;
              }
              return wanted > 0;
            })
          : null,
        newer.pick(addedRows),
      ]);
      for (const cells of fromB) sampleAdded.push(layB(cells));
    }
  } finally {
    await newer.close();
  }

  const sA = new Map(a.columns.map((c, i) => [c.name, statsA[i]!.result()]));
  const sB = new Map(b.columns.map((c, i) => [c.name, statsB[i]!]));
  return {
    format: a.source.format,
    rowsBefore: rowsA,
    rowsAfter: rowsB,
    columnsAdded: b.columns.filter((c) => !typeA.has(c.name)),
    columnsRemoved: removedCols,
    columnsRetyped: b.columns
      .filter((c) => typeA.has(c.name) && typeA.get(c.name) !== c.type)
      .map((c) => ({ name: c.name, before: typeA.get(c.name)!, after: c.type })),
    matchedBy: key === null ? 'content' : `key:${key}`,
    rowsAdded: added,
    rowsRemoved: removed,
    rowsChanged: changed,
    rowsUnchanged: unchanged,
    stats: header.map((n) => ({ column: n, before: sA.get(n) ?? null, after: sB.get(n) ?? null })),
    header,
    sampleAdded,
    sampleRemoved,
    sampleChanged,
  };
}
