// Runs in: main (core). One column of a drift report: its type, summaries of both sides, data quality,
// the drift test (default or requested) and the shares for its overlaid histogram.
import type { DriftColumn } from '../../../../shared/contract/schemas';
import {
  categoryShares,
  columnDrift,
  countSorted,
  defaultTest,
  numericShares,
  sortedSample,
  TEST_SPECS,
  totalCount,
  type BinnedShares,
  type CategoryCounts,
  type ColumnDrift,
  type ColumnSample,
  type DriftTestName,
} from '../stats';
import { distinctCount, pooledDistinctCount, variance } from '../stats/sample';
import { dictionaryCounts, groupRare, OTHER, topValues } from './categories';
import type { ColumnData } from './column-builder';
import {
  asDictionary,
  asNumbers,
  inferType,
  parseDateLabel,
  parseNumberLabel,
  type DriftColumnType,
} from './column-types';

import type { DriftRole } from './column-roles';

export type { DriftRole };

export interface ColumnRequest {
  name: string;
  role: DriftRole;
  ref: ColumnData;
  cur: ColumnData;
  refRows: number;
  curRows: number;
  test?: DriftTestName | undefined;
  threshold?: number | undefined;
  type?: DriftColumnType | undefined;
  /** Why the column is not tested, when its role was inferred (column-roles.ts says why in words). */
  notTested?: string | undefined;
}

type Summary = DriftColumn['reference'];

function numericSummary(rows: number, sorted: Float64Array): Summary {
  const n = sorted.length;
  return {
    rows,
    missing: rows - n,
    distinct: distinctCount(sorted),
    mean: n ? sumOf(sorted) / n : null,
    // Sample standard deviation (ddof = 1), as pandas' describe() reports it.
    std: n > 1 ? Math.sqrt(variance(sorted, 1)) : null,
    min: n ? sorted[0]! : null,
    max: n ? sorted[n - 1]! : null,
    top: [],
  };
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function categorySummary(rows: number, counts: CategoryCounts): Summary {
  const present = totalCount(counts);
  return {
    rows,
    missing: rows - present,
    distinct: counts.size,
    mean: null,
    std: null,
    min: null,
    max: null,
    top: topValues(counts),
  };
}

const list = (a: Float64Array): number[] => Array.from(a);

function histogramOf(b: BinnedShares): DriftColumn['histogram'] {
  return { edges: b.edges ? list(b.edges) : null, keys: b.keys, reference: list(b.ref), current: list(b.cur) };
}

/** Share of current values outside the reference's [min, max]; both sorted. */
function outOfRange(ref: Float64Array, cur: Float64Array): number | null {
  if (!ref.length || !cur.length) return null;
  const lo = ref[0]!;
  const hi = ref[ref.length - 1]!;
  let out = 0;
  for (let i = 0; i < cur.length && cur[i]! < lo; i++) out++;
  for (let i = cur.length - 1; i >= 0 && cur[i]! > hi; i--) out++;
  return out / cur.length;
}

function notTested(role: DriftRole, type: DriftColumnType): string | null {
  if (role === 'id') return 'ID column: summarised, not tested.';
  if (role === 'timestamp') return 'Timestamp column: summarised, not tested.';
  if (type === 'text') return 'Text column: summarised, not tested (set its type to categorical to test it).';
  return null;
}

export function columnReport(req: ColumnRequest): DriftColumn {
  const { name, role, ref, cur, refRows, curRows } = req;
  const bothNumeric = ref.kind === 'numeric' && cur.kind === 'numeric';
  // Sorted by the reader threads when they could (read-worker.ts); the same sortedSample either way.
  let sorted = bothNumeric
    ? { ref: ref.sorted ?? sortedSample(ref.values), cur: cur.sorted ?? sortedSample(cur.values) }
    : undefined;
  // One merge of the two sorted sides answers both the type (few integers → categorical) and the default test.
  let pooledMemo = -1;
  const pooled = (): number =>
    pooledMemo >= 0 ? pooledMemo : (pooledMemo = pooledDistinctCount(sorted!.ref, sorted!.cur));
  const type: DriftColumnType = req.type ?? inferType(ref, cur, sorted, bothNumeric ? pooled : undefined);
  const notes: string[] = [];

  let refSummary: Summary;
  let curSummary: Summary;
  let refSample: ColumnSample | null = null;
  let curSample: ColumnSample | null = null;
  let histogram: BinnedShares | null = null;
  let outOfRangeShare: number | null = null;
  let newCategoryRows = 0;
  let newCategories: string[] = [];

  if (type === 'numeric' || type === 'datetime') {
    if (!sorted) {
      const parse = type === 'numeric' ? parseNumberLabel : parseDateLabel;
      sorted = { ref: sortedSample(asNumbers(ref, parse)), cur: sortedSample(asNumbers(cur, parse)) };
      const unreadable = present(ref) - sorted.ref.length + (present(cur) - sorted.cur.length);
      if (unreadable > 0)
        notes.push(
          `${unreadable} value${unreadable === 1 ? '' : 's'} that are not ${type === 'numeric' ? 'numbers' : 'dates'} counted as missing.`,
        );
    }
    refSummary = numericSummary(refRows, sorted.ref);
    curSummary = numericSummary(curRows, sorted.cur);
    outOfRangeShare = outOfRange(sorted.ref, sorted.cur);
    refSample = { kind: 'numeric', values: sorted.ref };
    curSample = { kind: 'numeric', values: sorted.cur };
  } else {
    const counts = (col: ColumnData, s: Float64Array | undefined): CategoryCounts =>
      col.kind === 'numeric' && s ? countSorted(s) : dictionaryCounts(asDictionary(col));
    const rc = counts(ref, sorted?.ref);
    const cc = counts(cur, sorted?.cur);
    refSummary = categorySummary(refRows, rc);
    curSummary = categorySummary(curRows, cc);
    if (type === 'categorical') {
      // Free text is nearly all "new"; only categories say something by being new.
      const fresh = [...cc].filter(([k]) => !rc.has(k)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      newCategoryRows = fresh.reduce((sum, [, n]) => sum + n, 0);
      newCategories = fresh.slice(0, 10).map(([k]) => k);
      const g = groupRare(rc, cc);
      if (g.grouped) notes.push(`${g.grouped} rare categories grouped as "${OTHER}".`);
      refSample = { kind: 'categorical', counts: g.ref };
      curSample = { kind: 'categorical', counts: g.cur };
    }
  }

  let drift: ColumnDrift | null = null;
  let problem = req.notTested ?? notTested(role, type);
  if (!problem && type === 'datetime' && !req.test)
    problem = 'Datetime column: summarised, not tested (request a test to compare the times as numbers).';
  const refPresent = refSummary.rows - refSummary.missing;
  const curPresent = curSummary.rows - curSummary.missing;
  if (!problem && refPresent === 0 && curPresent === 0) problem = 'Every value is missing on both sides.';
  else if (!problem && refPresent === 0) problem = 'Every value is missing in the reference.';
  else if (!problem && curPresent === 0) problem = 'Every value is missing in the current data.';
  if (!problem && refSample && curSample) {
    try {
      // The default test as columnDrift would choose it (choiceInput), from the pooled count already made.
      const test =
        req.test ??
        (bothNumeric && refSample.kind === 'numeric'
          ? defaultTest({ kind: 'numeric', referenceRows: refSample.values.length, distinctValues: pooled() })
          : undefined);
      drift = columnDrift(refSample, curSample, {
        ...(test ? { test } : {}),
        ...(req.threshold !== undefined ? { threshold: req.threshold } : {}),
      });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      problem = `${req.test ? TEST_SPECS[req.test].title : 'The test'} cannot apply: ${err.message}.`;
    }
  }
  if (refSample && curSample && refPresent > 0 && curPresent > 0 && type !== 'datetime') {
    histogram =
      drift?.bins ??
      (refSample.kind === 'numeric' && curSample.kind === 'numeric'
        ? numericShares(refSample.values, curSample.values, refSummary.distinct)
        : categoryShares(asCounts(refSample), asCounts(curSample)));
  }
  return {
    name,
    type,
    typeGiven: req.type !== undefined,
    role,
    test: drift ? drift.test : null,
    scoreKind: drift ? drift.scoreKind : null,
    score: drift ? drift.score : null,
    statistic: drift ? drift.statistic : null,
    threshold: drift ? drift.threshold : null,
    drifted: drift ? drift.drifted : false,
    problem: [problem, ...notes].filter(Boolean).join(' ') || null,
    reference: refSummary,
    current: curSummary,
    histogram: histogram ? histogramOf(histogram) : null,
    quality: {
      missingShareReference: refRows ? refSummary.missing / refRows : 0,
      missingShareCurrent: curRows ? curSummary.missing / curRows : 0,
      newCategoryRows,
      newCategories,
      outOfRangeShare,
      constantReference: refSummary.distinct === 1,
      constantCurrent: curSummary.distinct === 1,
    },
  };
}

function asCounts(s: ColumnSample): CategoryCounts {
  return s.kind === 'categorical' ? s.counts : countSorted(s.values);
}

/** Non-missing cells of a column. */
function present(col: ColumnData): number {
  if (col.kind === 'numeric') {
    let n = 0;
    for (let i = 0; i < col.values.length; i++) if (!Number.isNaN(col.values[i]!)) n++;
    return n;
  }
  let n = 0;
  for (let i = 0; i < col.counts.length; i++) n += col.counts[i]!;
  return n;
}
