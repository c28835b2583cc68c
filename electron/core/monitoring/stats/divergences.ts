// Runs in: main (core). Distances between binned distributions: Jensen–Shannon (scipy.spatial.distance.jensenshannon),
// KL divergence (scipy.stats.entropy), PSI and Hellinger, all with natural logarithms.

/** p·ln(p/q) with the conventions of scipy.special.rel_entr (0 when p = 0, +∞ when q = 0 < p). */
function relEntr(p: number, q: number): number {
  if (p === 0) return q >= 0 ? 0 : Number.POSITIVE_INFINITY;
  if (p > 0 && q > 0) return p * Math.log(p / q);
  return Number.POSITIVE_INFINITY;
}

function normalised(a: Float64Array): Float64Array {
  let s = 0;
  for (const v of a) s += v;
  return a.map((v) => v / s);
}

/** √(½ KL(p‖m) + ½ KL(q‖m)), m = (p+q)/2, after scaling p and q to sum to 1 (as SciPy does). */
export function jensenShannon(ref: Float64Array, cur: Float64Array): number {
  const p = normalised(ref);
  const q = normalised(cur);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    left += relEntr(p[i]!, m);
    right += relEntr(q[i]!, m);
  }
  // Rounding can leave −1e-17 for identical inputs; the divergence is never negative.
  return Math.sqrt(Math.max(0, (left + right) / 2));
}

/** KL(ref ‖ cur) = Σ p ln(p/q) after normalising both (scipy.stats.entropy(ref, cur)). */
export function klDivergence(ref: Float64Array, cur: Float64Array): number {
  const p = normalised(ref);
  const q = normalised(cur);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += relEntr(p[i]!, q[i]!);
  return s;
}

/** Population stability index Σ (ref − cur)·ln(ref/cur) over (smoothed) shares. */
export function psi(ref: Float64Array, cur: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ref.length; i++) s += (ref[i]! - cur[i]!) * Math.log(ref[i]! / cur[i]!);
  return s;
}

/** Hellinger distance √(Σ(√p − √q)²)/√2, in [0, 1]; needs no smoothing. */
export function hellinger(ref: Float64Array, cur: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.sqrt(ref[i]!) - Math.sqrt(cur[i]!);
    s += d * d;
  }
  return Math.sqrt(s) / Math.SQRT2;
}
