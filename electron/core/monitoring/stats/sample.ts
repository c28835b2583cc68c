// Runs in: main (core). Column samples for the drift statistics: NaN dropped, sorted once, shared by every test.

/** A numeric sample: finite values only, sorted ascending. Build it with `sortedSample`. */
export type SortedSample = Float64Array;

/**
 * Drops NaN and ±Infinity (drift tools drop missing values before testing) and sorts ascending once,
 * so every test on the column reuses the same order instead of sorting again.
 */
export function sortedSample(values: ArrayLike<number>): SortedSample {
  if (values.length > RADIX_MIN)
    return radixSorted(values instanceof Float64Array ? values : Float64Array.from(values), true);
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite++;
  const out = new Float64Array(finite);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // -0 becomes 0 so equal values share one bit pattern (and sort next to each other).
    if (Number.isFinite(v)) out[k++] = v === 0 ? 0 : v;
  }
  return out.sort();
}

/** Below this size the built-in comparison sort is as fast; above it radix sorting wins several times over. */
const RADIX_MIN = 4096;

/** Sorts finite doubles in place (the same order as Float64Array#sort), by radix for large arrays. */
export function radixSort(values: Float64Array): Float64Array {
  const sorted = radixSorted(values, false);
  values.set(sorted);
  return values;
}

// Little- or big-endian: which 32-bit word of a double holds the sign.
const HI = new Uint32Array(new Float64Array([-0]).buffer)[1] === 0x80000000 ? 1 : 0;
const LO = 1 - HI;
const DIGIT = 2048;

/**
 * LSD radix sort on the IEEE-754 bits, 11 bits per pass (6 passes, O(n); 2,048 counters per digit stay
 * in cache, which 16-bit digits do not). Each value's bits map to an unsigned key that orders like the
 * number (flip all bits of negatives, only the sign bit of positives), so the passes compare integers.
 * One read of the input drops what `skipNonFinite` says (and turns −0 into 0), makes the keys and
 * counts all six digits at once; each pass then only moves keys, and a pass is skipped when every key
 * shares its digit (the high bits of similar values, the low bits of integers). A million values sort
 * in a fraction of the time Float64Array#sort takes. Returns a new array of the kept values.
 */
function radixSorted(values: Float64Array, skipNonFinite: boolean): Float64Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const count = new Uint32Array(6 * DIGIT);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // v − v is NaN exactly for NaN and ±Infinity.
    if (skipNonFinite && v - v !== 0) continue;
    let h: number;
    let l: number;
    if (v === 0 && skipNonFinite) {
      h = 0x80000000;
      l = 0;
    } else {
      h = words[2 * i + HI]!;
      l = words[2 * i + LO]!;
      if (h & 0x80000000) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else h = (h | 0x80000000) >>> 0;
    }
    lo[k] = l;
    hi[k] = h;
    k++;
    count[l & 0x7ff]!++;
    count[DIGIT + ((l >>> 11) & 0x7ff)]!++;
    count[2 * DIGIT + (l >>> 22)]!++;
    count[3 * DIGIT + (h & 0x7ff)]!++;
    count[4 * DIGIT + ((h >>> 11) & 0x7ff)]!++;
    count[5 * DIGIT + (h >>> 22)]!++;
  }
  let lo2 = new Uint32Array(k);
  let hi2 = new Uint32Array(k);
  for (let pass = 0; pass < 6; pass++) {
    const src = pass < 3 ? lo : hi;
    const shift = (pass % 3) * 11;
    const base = pass * DIGIT;
    if (k === 0 || count[base + ((src[0]! >>> shift) & 0x7ff)] === k) continue;
    let sum = 0;
    for (let d = base; d < base + DIGIT; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < k; i++) {
      const at = count[base + ((src[i]! >>> shift) & 0x7ff)]!++;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  const out = new Float64Array(k);
  const ow = new Uint32Array(out.buffer);
  for (let i = 0; i < k; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      ow[2 * i + HI] = (h & 0x7fffffff) >>> 0;
      ow[2 * i + LO] = lo[i]!;
    } else {
      ow[2 * i + HI] = ~h >>> 0;
      ow[2 * i + LO] = ~lo[i]! >>> 0;
    }
  }
  return out;
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
