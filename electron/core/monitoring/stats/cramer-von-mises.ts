// Runs in: main (core). Two-sample Cramér–von Mises test (scipy.stats.cramervonmises_2samp, method 'auto').
import type { SortedSample } from './sample';

export interface CvmResult {
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymptotic';
}

/**
 * T = U/(n1·n2·N) − (4·n1·n2 − 1)/(6N) with U = n1 Σ(r_i − i)² + n2 Σ(s_j − j)² over midranks in the
 * pooled sample (Anderson 1962, eqs. 9–10). Midranks come from one merge of the two sorted samples.
 * The p-value is exact when both samples have at most 20 values (as SciPy decides), else from the
 * limiting distribution of the normalised statistic (Anderson 1962, eq. 15).
 */
export function cramerVonMises2samp(ref: SortedSample, cur: SortedSample): CvmResult {
  const nx = ref.length;
  const ny = cur.length;
  if (nx < 2 || ny < 2) throw new RangeError('the Cramér–von Mises test needs at least two values in each sample');
  const u = rankSquares(ref, cur);
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  if (Math.max(nx, ny) <= 20) return { statistic: t, pvalue: exactP(u, nx, ny), method: 'exact' };
  return { statistic: t, pvalue: asymptoticP(t, N, nx, ny, k), method: 'asymptotic' };
}

function rankSquares(x: SortedSample, y: SortedSample): number {
  const nx = x.length;
  const ny = y.length;
  let i = 0;
  let j = 0;
  let sx = 0;
  let sy = 0;
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    const count = i - i0 + (j - j0);
    const midrank = i0 + j0 + (count + 1) / 2;
    for (let a = i0 + 1; a <= i; a++) sx += (midrank - a) * (midrank - a);
    for (let b = j0 + 1; b <= j; b++) sy += (midrank - b) * (midrank - b);
  }
  return nx * sx + ny * sy;
}

/**
 * Exact null distribution of U by the frequency-table recursion of Xiao, Gordon & Yakovlev, "A C++
 * Program for the Cramér-Von Mises Two-Sample Test", J. Stat. Softw. 17(8), 2006: walking the lattice
 * path of the merged sample, each step adds (a·v − b·u)² with a = lcm/m, b = lcm/n, and the table at
 * (n, m) counts all C(m+n, m) orderings by that sum.
 */
function exactP(u: number, m: number, n: number): number {
  const lcm = (m * n) / gcd(m, n);
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = pyFloorDiv(lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1)), 6 * mn * mn);
  // tables[v]: value → number of paths reaching (uStep, v); uStep runs over the n values of y.
  let tables: Map<number, number>[] = [];
  for (let uStep = 0; uStep <= n; uStep++) {
    const next: Map<number, number>[] = [];
    let left: Map<number, number> = new Map();
    for (let v = 0; v <= m; v++) {
      const merged = new Map<number, number>();
      const from = uStep === 0 ? (v === 0 ? new Map([[0, 1]]) : undefined) : tables[v];
      const cost = (a * v - b * uStep) ** 2;
      if (v > 0) for (const [val, f] of left) merged.set(val + cost, (merged.get(val + cost) ?? 0) + f);
      if (from) for (const [val, f] of from) merged.set(val + cost, (merged.get(val + cost) ?? 0) + f);
      next.push(merged);
      left = merged;
    }
    tables = next;
  }
  let total = 0;
  let hit = 0;
  for (const [val, f] of tables[m]!) {
    total += f;
    if (val >= zeta) hit += f;
  }
  return hit / total;
}

/** Python's float floor division (fmod-based), so the exact test's cut-off matches SciPy's bit for bit. */
function pyFloorDiv(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function asymptoticP(t: number, N: number, nx: number, ny: number, k: number): number {
  // Mean and variance of T under the null (Anderson 1962, eqs. 11 and 14).
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  // Below 0.003 the limiting CDF is under 1e-18.
  if (tn < 0.003) return 1;
  return Math.max(0, 1 - cvmLimitCdf(tn));
}

/**
 * CDF of the limiting Cramér–von Mises distribution, Csörgő & Faraway, "The exact and asymptotic
 * distributions of Cramér-von Mises statistics", JRSS B 58(1), 1996, eq. 1.2:
 * F(x) = 1/(π^{3/2}·√x) · Σ_k Γ(k+½)/k! · √(4k+1) · exp(−y) · K_{1/4}(y), with y = (4k+1)²/(16x).
 * Terms are added until one is below 1e-7 in absolute value, the stopping rule SciPy uses, so the
 * two sums truncate at the same k.
 */
export function cvmLimitCdf(x: number): number {
  let total = 0;
  let ratio = Math.sqrt(Math.PI); // Γ(k + ½)/Γ(k + 1) at k = 0
  const front = 1 / (Math.PI ** 1.5 * Math.sqrt(x));
  for (let k = 0; ; k++) {
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = ratio * front * Math.sqrt(y) * Math.exp(-q) * besselK14(q);
    total += term;
    if (!(Math.abs(term) >= 1e-7)) break;
    ratio *= (k + 0.5) / (k + 1);
  }
  return total;
}

/**
 * Modified Bessel function K_{1/4}(x), x > 0, from K_ν(x) = ∫₀^∞ exp(−x·cosh t)·cosh(νt) dt
 * (DLMF 10.32.9). The integrand is analytic in the strip |Im t| < π/2 and decays doubly exponentially,
 * so the trapezoidal rule converges geometrically (error ~ exp(−π²/h)); h = 1/16 is far past double
 * precision.
 */
export function besselK14(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  const step = 1 / 16;
  let sum = 0.5 * Math.exp(-x);
  for (let i = 1; i < 100000; i++) {
    const t = i * step;
    const term = Math.exp(-x * Math.cosh(t)) * Math.cosh(t / 4);
    sum += term;
    if (term === 0 || term < sum * 1e-18) break;
  }
  return sum * step;
}
