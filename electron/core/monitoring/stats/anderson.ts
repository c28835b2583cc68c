// Runs in: main (core). Anderson–Darling k-sample test (scipy.stats.anderson_ksamp, midrank variant).
import type { SortedSample } from './sample';

export interface AndersonResult {
  /** The standardised statistic (A²akN − (k−1))/σ, what SciPy returns as `statistic`. */
  statistic: number;
  /** Interpolated significance level, capped to [0.001, 0.25] like SciPy's. */
  pvalue: number;
  criticalValues: number[];
}

const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
// Interpolation coefficients of Scholz & Stephens (1987), Table 2.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/**
 * A²akN of Scholz & Stephens, "K-Sample Anderson-Darling Tests", JASA 82(399), 1987, eq. 7 (midranks,
 * valid with ties), in one merge over the sorted samples: O(N·k) after sorting.
 * The p-value interpolates log(significance) quadratically (least squares) in the critical values
 * t_m(α) = b0 + b1/√m + b2/m, m = k − 1, and is capped to [0.001, 0.25] outside the table as SciPy does.
 */
export function andersonKsamp(samples: SortedSample[]): AndersonResult {
  const k = samples.length;
  if (k < 2) throw new RangeError('Anderson–Darling needs at least two samples');
  if (samples.some((s) => s.length === 0)) throw new RangeError('Anderson–Darling needs values in every sample');
  const n = samples.map((s) => s.length);
  const N = n.reduce((a, b) => a + b, 0);
  const pos = new Array<number>(k).fill(0);
  const sums = new Float64Array(k);
  let below = 0; // pooled values strictly below the current distinct value
  let distinct = 0;
  const f = new Float64Array(k); // this value's count in each sample
  for (;;) {
    let v = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) if (pos[i]! < n[i]!) v = Math.min(v, samples[i]![pos[i]!]!);
    if (v === Number.POSITIVE_INFINITY) break;
    distinct++;
    let lj = 0;
    for (let i = 0; i < k; i++) {
      const s = samples[i]!;
      let p = pos[i]!;
      const start = p;
      while (p < n[i]! && s[p] === v) p++;
      pos[i] = p;
      f[i] = p - start;
      lj += p - start;
    }
    const bj = below + lj / 2;
    const denom = bj * (N - bj) - (N * lj) / 4;
    for (let i = 0; i < k; i++) {
      const mij = pos[i]! - f[i]! / 2;
      const diff = N * mij - bj * n[i]!;
      sums[i] = sums[i]! + ((lj / N) * diff * diff) / denom;
    }
    below += lj;
  }
  if (distinct < 2) throw new RangeError('Anderson–Darling needs more than one distinct value');
  let a2 = 0;
  for (let i = 0; i < k; i++) a2 += sums[i]! / n[i]!;
  a2 *= (N - 1) / N;

  // Variance of A²kN under the null (Scholz & Stephens 1987, eq. 4).
  let H = 0;
  for (const ni of n) H += 1 / ni;
  // hsCs[idx] = Σ_{t=N−1−idx}^{N−1} 1/t for idx = 0..N−3; h = Σ_{t=1}^{N−1} 1/t; g = Σ_idx hsCs[idx]/(idx+2).
  let cum = 0;
  let g = 0;
  for (let idx = 0; idx <= N - 3; idx++) {
    cum += 1 / (N - 1 - idx);
    g += cum / (idx + 2);
  }
  const h = cum + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k * k - 4 * h * k;
  const sigma2 = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const statistic = (a2 - m) / Math.sqrt(sigma2);

  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  let pvalue: number;
  if (statistic < Math.min(...critical)) pvalue = 0.25;
  else if (statistic > Math.max(...critical)) pvalue = 0.001;
  else {
    const [c0, c1, c2] = quadraticFit(critical, SIGNIFICANCE.map(Math.log));
    pvalue = Math.exp(c0 + c1 * statistic + c2 * statistic * statistic);
  }
  return { statistic, pvalue, criticalValues: critical };
}

/** Least-squares y ≈ c0 + c1·x + c2·x² (normal equations; 7 well-spread points keep them well conditioned). */
function quadraticFit(x: number[], y: number[]): [number, number, number] {
  // Centre x so the 3×3 system stays well conditioned.
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const S = new Float64Array(5);
  const T = new Float64Array(3);
  for (let i = 0; i < x.length; i++) {
    const u = x[i]! - mx;
    let p = 1;
    for (let e = 0; e <= 4; e++) {
      S[e] = S[e]! + p;
      if (e <= 2) T[e] = T[e]! + p * y[i]!;
      p *= u;
    }
  }
  const A = [
    [S[0]!, S[1]!, S[2]!, T[0]!],
    [S[1]!, S[2]!, S[3]!, T[1]!],
    [S[2]!, S[3]!, S[4]!, T[2]!],
  ];
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = A[r]![col]! / A[col]![col]!;
      for (let cc = col; cc < 4; cc++) A[r]![cc] = A[r]![cc]! - f * A[col]![cc]!;
    }
  }
  const d0 = A[0]![3]! / A[0]![0]!;
  const d1 = A[1]![3]! / A[1]![1]!;
  const d2 = A[2]![3]! / A[2]![2]!;
  // Back from the centred variable u = x − mx.
  return [d0 - d1 * mx + d2 * mx * mx, d1 - 2 * d2 * mx, d2];
}
