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
    // -0 becomes 0 so equal values share one bit pattern (and sort next to each other).
    if (Number.isFinite(v)) out[k++] = v === 0 ? 0 : v;
  }
  return finite > RADIX_MIN ? radixSort(out) : out.sort();
}

/** Below this size the built-in comparison sort is as fast; above it radix sorting wins several times over. */
const RADIX_MIN = 4096;

/**
 * LSD radix sort of finite doubles on their IEEE-754 bits, 11 bits per pass (6 passes, O(n); 2,048
 * counters stay in L1 cache, which 16-bit digits do not). Mapping
 * each value's bits to an unsigned key that orders like the number (flip all bits of negatives, only
 * the sign bit of positives) lets the passes compare integers; a million values sort in a fraction
 * of the time Float64Array#sort takes.
 */
export function radixSort(values: Float64Array): Float64Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  // Little- or big-endian: find which word of a double holds the sign.
  const probe = new Uint32Array(new Float64Array([-0]).buffer);
  const HI = probe[1] === 0x80000000 ? 1 : 0;
  const LO = 1 - HI;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + HI]!;
    const l = words[2 * i + LO]!;
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (let pass = 0; pass < 6; pass++) {
    const src = pass < 3 ? lo : hi;
    const shift = (pass % 3) * 11;
    const mask = 0x7ff;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i]! >>> shift) & mask]!++;
    // Skip a pass when every key shares the digit (common for the high bits of similar values).
    if (count[(src[0]! >>> shift) & mask] === n) continue;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const d = (src[i]! >>> shift) & mask;
      const at = count[d]!;
      count[d] = at + 1;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      words[2 * i + HI] = (h & 0x7fffffff) >>> 0;
      words[2 * i + LO] = lo[i]!;
    } else {
      words[2 * i + HI] = ~h >>> 0;
      words[2 * i + LO] = ~lo[i]! >>> 0;
    }
  }
  return values;
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

/** Number of distinct values over two sorted samples together, in one merge without allocating. */
export function pooledDistinctCount(a: SortedSample, b: SortedSample): number {
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    k++;
  }
  return k;
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
