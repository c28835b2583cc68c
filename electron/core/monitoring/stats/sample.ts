// Runs in: main (core). Column samples for the drift statistics: NaN dropped, sorted once, shared by every test.

/** A numeric sample: finite values only, sorted ascending. Build it with `sortedSample`. */
export type SortedSample = Float64Array;

/**
 * Drops NaN and ±Infinity (drift tools drop missing values before testing) and sorts ascending once,
 * so every test on the column reuses the same order instead of sorting again.
 */
export function sortedSample(values: ArrayLike<number>): SortedSample {
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite++;
  const out = new Float64Array(finite);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[k++] = v;
  }
  // Typed-array sort is numeric; -0 and 0 compare equal for every statistic here.
  return out.sort();
}

export function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/** Variance with `ddof` (0: population, 1: sample), two-pass like NumPy so large offsets do not cancel. */
export function variance(a: Float64Array, ddof: number): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - m;
    s += d * d;
  }
  return s / (a.length - ddof);
}

/** Number of distinct values of a sorted sample. */
export function distinctCount(sorted: SortedSample): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

/** Distinct values of two sorted samples merged (the pooled support), ascending. */
export function pooledDistinct(a: SortedSample, b: SortedSample): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    out[k++] = v;
  }
  return out.slice(0, k);
}

/** Index of the first element > v (NumPy's searchsorted side='right'). */
export function upperBound(a: Float64Array, v: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element >= v (NumPy's searchsorted side='left'). */
export function lowerBound(a: Float64Array, v: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function requireNonEmpty(name: string, ...samples: ArrayLike<number>[]): void {
  for (const s of samples) if (s.length === 0) throw new RangeError(`${name} needs at least one value in each sample`);
}
