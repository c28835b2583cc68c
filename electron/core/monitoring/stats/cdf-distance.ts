// Runs in: main (core). Distances between the two empirical CDFs: Wasserstein (scipy.stats.wasserstein_distance),
// its form normed by the reference's spread, and the energy distance (scipy.stats.energy_distance).
import { requireNonEmpty, variance, type SortedSample } from './sample';

/**
 * ∫ |U − V|^p over the pooled support, walking both sorted samples once (O(n1 + n2) after the sort):
 * between consecutive pooled values both CDFs are constant.
 */
function cdfDistanceIntegral(u: SortedSample, v: SortedSample, p: 1 | 2): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = Number.NaN;
  let diff = 0;
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i]! <= v[j]!) ? u[i]! : v[j]!;
    if (i + j > 0) total += (p === 1 ? Math.abs(diff) : diff * diff) * (x - prev);
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    diff = i / nu - j / nv;
    prev = x;
  }
  return total;
}

/** First Wasserstein distance between the two empirical distributions. */
export function wassersteinDistance(ref: SortedSample, cur: SortedSample): number {
  requireNonEmpty('Wasserstein distance', ref, cur);
  return cdfDistanceIntegral(ref, cur, 1);
}

/**
 * Wasserstein distance divided by the reference's standard deviation (ddof 0), so one threshold (0.1)
 * fits every scale. As Evidently does, the divisor is at least 0.001 so a constant reference does not
 * divide by zero.
 */
export function wassersteinNormed(ref: SortedSample, cur: SortedSample): number {
  const w = wassersteinDistance(ref, cur);
  const sd = Math.sqrt(variance(ref, 0));
  return w / Math.max(sd, 0.001);
}

/** Energy distance √2 · (∫ (U − V)²)^{1/2} (Székely), as SciPy defines it for 1-D samples. */
export function energyDistance(ref: SortedSample, cur: SortedSample): number {
  requireNonEmpty('energy distance', ref, cur);
  return Math.SQRT2 * Math.sqrt(cdfDistanceIntegral(ref, cur, 2));
}
