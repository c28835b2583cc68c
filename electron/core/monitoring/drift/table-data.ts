// Runs in: main (core). What reading one side of a drift report yields: its columns, stored columnar,
// and the problems met on the way that did not stop the read.
import type { ColumnData } from './column-builder';

export interface TableData {
  names: string[];
  columns: ColumnData[];
  rows: number;
  /** sha256 of the bytes read. */
  hash: string;
  /** Whole-file problems (ragged rows skipped, bytes that are not UTF-8 replaced). */
  problems: string[];
}

/** Rows read so far, reported every few tens of thousands of rows. */
export type RowsProgress = (rows: number) => void;

export const PROGRESS_EVERY = 65_536;
