// Runs in: main (core). Per-column summaries built one cell at a time, so a table is summarised in
// the same streaming pass that fingerprints its rows: counts, nulls, distinct values, and for
// numeric columns Welford's running mean and variance (numerically stable, no second pass).
import type { TableSchema } from '../pointer';
import { DistinctCounter } from './distinct';

type ColumnType = TableSchema['columns'][number]['type'];

export interface ColumnStats {
  count: number;
  nulls: number;
  distinct: number;
  /** False when distinct is the sketch's estimate (more than DISTINCT_CAP values). */
  distinctExact: boolean;
  mean: number | null;
  /** The sample standard deviation (n − 1), over finite values; null below two values. */
  std: number | null;
  min: number | null;
  max: number | null;
}

const EMPTY = new Set(['', 'NA', 'null']);
const INF = /^([+-]?)inf(inity)?$/i;

/** The same cells table-schema.ts types as 'empty'. */
export function isNullCell(cell: string): boolean {
  if (cell === '' || cell === 'NA' || cell === 'null') return true;
  // Only a cell with surrounding whitespace can still be empty; most cells skip the trim.
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  return (
    (first <= 32 || last <= 32 || first === 0xa0 || last === 0xa0 || first >= 0x1680 || last >= 0x1680) &&
    EMPTY.has(cell.trim())
  );
}

/** Exact powers of ten: a double holds 10^k exactly up to k = 22. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** A numeric cell's value (NaN and ±Infinity spelt as table-schema.ts accepts them). */
export function numericValue(cell: string): number {
  // Plain decimals of at most 15 digits are read here, several times faster than Number(): the
  // digits make an integer m < 2^53 and m / 10^k is one correctly rounded division of two exact
  // doubles, so it is the double nearest the decimal, which is what Number() returns.
  const len = cell.length;
  let i = len > 0 && cell.charCodeAt(0) === 45 ? 1 : 0;
  let m = 0;
  let digits = 0;
  let point = -1;
  for (; i < len; i++) {
    const c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = digits;
    else break;
  }
  if (i === len && digits > 0 && digits <= 15 && point !== digits) {
    const v = point < 0 ? m : m / POW10[digits - point]!;
    return cell.charCodeAt(0) === 45 ? -v : v;
  }
  // Number() trims whitespace itself and reads every form table-schema.ts calls a number but these.
  const n = Number(cell);
  if (!Number.isNaN(n)) return n;
  const inf = INF.exec(cell.trim());
  return inf ? (inf[1] === '-' ? -Infinity : Infinity) : NaN;
}

export class ColumnAccumulator {
  private count = 0;
  private nulls = 0;
  private readonly distinct = new DistinctCounter();
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly numeric: boolean;

  constructor(type: ColumnType) {
    this.numeric = type === 'integer' || type === 'number';
  }

  add(cell: string): void {
    this.count++;
    if (isNullCell(cell)) {
      this.nulls++;
      return;
    }
    this.distinct.add(cell);
    if (!this.numeric) return;
    const x = numericValue(cell);
    if (!Number.isFinite(x)) return;
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  result(): ColumnStats {
    const has = this.numeric && this.n > 0;
    return {
      count: this.count,
      nulls: this.nulls,
      distinct: this.distinct.count(),
      distinctExact: this.distinct.isExact,
      mean: has ? this.mean : null,
      std: has && this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : null,
      min: has ? this.min : null,
      max: has ? this.max : null,
    };
  }
}
