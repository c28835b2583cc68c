// Runs in: main (core). Which type a column pair is (numeric, categorical, text, datetime), inferred from
// both sides together unless the request says, and the typed values each type is tested on.
import { NUMERIC_MIN_DISTINCT } from '../stats';
import { pooledDistinctCount, sortedSample } from '../stats/sample';
import type { ColumnData } from './column-builder';

export type DriftColumnType = 'numeric' | 'categorical' | 'text' | 'datetime';

const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** A column of many different, long strings is free text: summarised, not drift-tested. */
export const TEXT_MIN_DISTINCT_SHARE = 0.5;
export const TEXT_MIN_MEAN_LENGTH = 20;

type Dictionary = Extract<ColumnData, { kind: 'dictionary' }>;

/** A numeric side as categories, when the other side has text: numbers keep their shortest text. */
export function asDictionary(col: ColumnData): Dictionary {
  if (col.kind === 'dictionary') return col;
  const index = new Map<string, number>();
  const labels: string[] = [];
  const codes = new Int32Array(col.values.length);
  const counts: number[] = [];
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i]!;
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    const label = String(v);
    let code = index.get(label);
    if (code === undefined) {
      code = labels.length;
      index.set(label, code);
      labels.push(label);
      counts.push(0);
    }
    codes[i] = code;
    counts[code]!++;
  }
  return { kind: 'dictionary', codes, labels, counts: Int32Array.from(counts) };
}

/** Numbers of a dictionary column (labels that are not numbers count as missing), or of a datetime column (epoch ms). */
export function asNumbers(col: ColumnData, parse: (label: string) => number): Float64Array {
  if (col.kind === 'numeric') return col.values;
  const byCode = Float64Array.from(col.labels, (l) => parse(l));
  const out = new Float64Array(col.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = col.codes[i]!;
    out[i] = c < 0 ? NaN : byCode[c]!;
  }
  return out;
}

export const parseNumberLabel = (l: string): number => (/^\s*$/.test(l) ? NaN : Number(l));
/** Epoch milliseconds; a date-time without a zone is read as UTC, so results do not depend on the machine's zone. */
export const parseDateLabel = (l: string): number => {
  let iso = /^\d{4}-\d{2}-\d{2} /.test(l) ? l.replace(' ', 'T') : l;
  if (/T[\d:.]+$/.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? NaN : t;
};

function allIntegers(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && !Number.isInteger(v)) return false;
  }
  return true;
}

/**
 * Numbers on both sides → numeric, except integers with at most NUMERIC_MIN_DISTINCT (5) distinct values
 * over both sides, which are categories (the statistics' own choice rule, so the type and the default
 * test agree). Text → datetime when every value is an ISO date or date-time, text when more than half the
 * values are distinct and they average 20 characters or more, else categorical. `pooledDistinct`: the
 * pooled distinct count of the sorted sides, when the caller counts it once for the type and the test.
 */
export function inferType(
  ref: ColumnData,
  cur: ColumnData,
  sorted?: { ref: Float64Array; cur: Float64Array },
  pooledDistinct?: () => number,
): DriftColumnType {
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    const pooled =
      pooledDistinct ??
      (() => pooledDistinctCount(sorted?.ref ?? sortedSample(ref.values), sorted?.cur ?? sortedSample(cur.values)));
    if (allIntegers(ref.values) && allIntegers(cur.values) && pooled() <= NUMERIC_MIN_DISTINCT) {
      // All missing on both sides has 0 distinct values; it stays numeric (nothing to count).
      const any = ref.values.some(Number.isFinite) || cur.values.some(Number.isFinite);
      return any ? 'categorical' : 'numeric';
    }
    return 'numeric';
  }
  const sides = [asDictionary(ref), asDictionary(cur)];
  const distinct = new Set<string>();
  let present = 0;
  let dates = true;
  for (const side of sides) {
    side.labels.forEach((label, code) => {
      if (side.counts[code]! === 0) return;
      present += side.counts[code]!;
      distinct.add(label);
      if (dates && !DATETIME.test(label)) dates = false;
    });
  }
  if (distinct.size > 0 && dates) return 'datetime';
  let length = 0;
  for (const l of distinct) length += l.length;
  if (
    distinct.size > TEXT_MIN_DISTINCT_SHARE * present &&
    distinct.size > NUMERIC_MIN_DISTINCT &&
    length / distinct.size >= TEXT_MIN_MEAN_LENGTH
  )
    return 'text';
  return 'categorical';
}
