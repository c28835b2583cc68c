// Runs in: main and renderer. Largest-Triangle-Three-Buckets: keeps the points that shape a curve
// (peaks, dips, the first and last), so a million-point series draws as ~2,000 without looking
// different. Non-finite values (NaN, ±Infinity) cannot be drawn, so they are dropped first.

/** Indices into `ys` (x taken from `xs`) of at most `threshold` points that keep the curve's shape. */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const n = ys.length;
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // The average of the next bucket is the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]!;
      avgY += ys[j]!;
    }
    const count = nextEnd - nextStart || 1;
    avgX /= count;
    avgY /= count;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (ys[j]! - ay) - (ax - xs[j]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  return out;
}

export interface SeriesPoint {
  step: number;
  /** Milliseconds since the epoch. */
  time: number;
  value: number;
}

/** Downsamples by step, keeping finite values only. */
export function downsampleSeries(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  const finite = points.filter((p) => Number.isFinite(p.value));
  if (finite.length <= maxPoints) return finite;
  const xs = new Float64Array(finite.length);
  const ys = new Float64Array(finite.length);
  finite.forEach((p, i) => {
    xs[i] = p.step;
    ys[i] = p.value;
  });
  return lttbIndices(xs, ys, maxPoints).map((i) => finite[i]!);
}
