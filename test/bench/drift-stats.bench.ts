// Drift statistics benchmark: one numeric column of 1,000,000 reference and 1,000,000 current rows
// (a drift report has twenty such columns). Subject: Benchtop's sort-once column sample and the
// tests on it; baseline: a straightforward port of SciPy's algorithms (comparison sort of a plain
// array, then a binary search per pooled value for the CDFs), run in the same process.
import { columnDrift, runTest, sortedSample, type ColumnSample } from '../../electron/core/monitoring/stats';
import { compare } from './harness';

const ROWS = 1_000_000;

/** A deterministic pseudo-random stream (mulberry32), so every run tests the same columns. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalColumn(seed: number, shift: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) out[i] = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()) + shift;
  return out;
}

const refRaw = normalColumn(1, 0);
const curRaw = normalColumn(2, 0.02);

function upper(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** SciPy's _cdf_distance written plainly: sort, concatenate, sort again, search each pooled value. */
function naiveWasserstein(u: number[], v: number[]): number {
  const all = [...u, ...v].sort((a, b) => a - b);
  let total = 0;
  for (let i = 0; i < all.length - 1; i++) {
    const x = all[i]!;
    total += Math.abs(upper(u, x) / u.length - upper(v, x) / v.length) * (all[i + 1]! - x);
  }
  return total;
}

function naiveKsStatistic(u: number[], v: number[]): number {
  let best = 0;
  for (const x of [...u, ...v]) best = Math.max(best, Math.abs(upper(u, x) / u.length - upper(v, x) / v.length));
  return best;
}

function plainSorted(values: Float64Array): number[] {
  return Array.from(values)
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
}

async function main(): Promise<void> {
  await compare(
    'sort a 1M-row column (sortedSample)',
    () => sortedSample(refRaw),
    'Array#sort with a comparator',
    () => plainSorted(refRaw),
    4,
  );

  const ref: ColumnSample = { kind: 'numeric', values: sortedSample(refRaw) };
  const cur: ColumnSample = { kind: 'numeric', values: sortedSample(curRaw) };
  const refPlain = plainSorted(refRaw);
  const curPlain = plainSorted(curRaw);

  await compare(
    'default test, 1M vs 1M (normed Wasserstein)',
    () => columnDrift(ref, cur),
    'binary search per pooled value',
    () => naiveWasserstein(refPlain, curPlain),
    4,
  );
  await compare(
    'KS statistic and p-value, 1M vs 1M',
    () => runTest('ks', ref, cur),
    'KS statistic by binary search',
    () => naiveKsStatistic(refPlain, curPlain),
    4,
  );
  for (const test of ['anderson', 'cramer_von_mises', 'energy_distance', 'jensenshannon', 'psi', 't_test'] as const) {
    await compare(
      `${test}, 1M vs 1M`,
      () => runTest(test, ref, cur),
      'Wasserstein by binary search',
      () => naiveWasserstein(refPlain, curPlain),
      2,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
