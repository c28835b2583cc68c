// Runs in: main (core). Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(method='auto').
import { kolmogorovSf } from './kolmogorov';
import { requireNonEmpty, type SortedSample } from './sample';

export interface KsResult {
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymptotic';
}

/** SciPy tries the exact distribution whenever both samples have at most this many values. */
const MAX_EXACT_N = 10000;

/**
 * D = sup |F_ref − F_cur| over the pooled values (ties handled by counting values ≤ v on both sides),
 * with the exact p-value (Hodges 1958; Viehmann 2021 for unequal sizes) when both samples have at most
 * 10,000 values, else the Kolmogorov distribution at n = round(n1·n2/(n1+n2)). In exact mode the
 * statistic is rounded to the lattice h/lcm(n1, n2) as SciPy reports it.
 */
export function ks2samp(ref: SortedSample, cur: SortedSample): KsResult {
  requireNonEmpty('Kolmogorov–Smirnov', ref, cur);
  const n1 = ref.length;
  const n2 = cur.length;
  const d = ksStatistic(ref, cur);
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const dLattice = h / lcm;
    if (h === 0) return { statistic: dLattice, pvalue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: dLattice, pvalue: p, method: 'exact' };
    // Like SciPy, fall back to the asymptotic distribution when the exact sum is not usable.
    return { statistic: dLattice, pvalue: asymptoticP(dLattice, n1, n2), method: 'asymptotic' };
  }
  return { statistic: d, pvalue: asymptoticP(d, n1, n2), method: 'asymptotic' };
}

export function ksStatistic(a: SortedSample, b: SortedSample): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < na || j < nb) {
    const v = j >= nb || (i < na && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < na && a[i] === v) i++;
    while (j < nb && b[j] === v) j++;
    const diff = Math.abs(i / na - j / nb);
    if (diff > best) best = diff;
  }
  return best;
}

function asymptoticP(d: number, n1: number, n2: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return kolmogorovSf(roundHalfEven(en), d);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * P(D_{n,n} ≥ h/n) = 2 Σ_{k≥1} (−1)^{k+1} C(2n, n−kh) / C(2n, n) (Hodges 1958, eq. 2.3). Written as
 * 2·A1(1 − A2(1 − A3(…))) with A_k the ratio of consecutive binomials, evaluated from the innermost
 * term outwards so the alternating sum never cancels.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = (ratio * (n - k * h - j)) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Share of the C(m+n, n) lattice paths that touch |i/m − j/n| ≥ h/lcm(m, n). Following Viehmann,
 * "Numerically more stable computation of the p-values for the two-sample Kolmogorov-Smirnov test"
 * (arXiv:2102.08037), the recursion carries that share q directly:
 * q(i, j) = (i·q(i−1, j) + j·q(i, j−1)) / (i + j), with q = 1 outside the band, so nothing overflows
 * and no 1 − p cancels. Only the band is visited: O(m · band width).
 */
export function probOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  // Inside the band: |i·ng − j·mg| < h, i counting steps of the larger sample.
  const col = new Float64Array(n + 1).fill(1);
  let lo = 0;
  let hi = Math.min(ceilDiv(h, mg) - 1, n);
  for (let j = lo; j <= hi; j++) col[j] = 0;
  for (let i = 1; i <= m; i++) {
    const newLo = Math.max(floorDiv(ng * i - h, mg) + 1, 0);
    const newHi = Math.min(ceilDiv(ng * i + h, mg) - 1, n);
    if (newHi < newLo) return 1;
    // Cells that left the band behind it are outside from now on.
    for (let j = lo; j < newLo && j <= hi; j++) col[j] = 1;
    for (let j = Math.max(newHi + 1, lo); j <= hi; j++) col[j] = 1;
    let below = newLo === 0 ? 0 : 1;
    for (let j = newLo; j <= newHi; j++) {
      const v = (col[j]! * i + below * j) / (i + j);
      col[j] = v;
      below = v;
    }
    lo = newLo;
    hi = newHi;
  }
  return col[n]!;
}

function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

function ceilDiv(a: number, b: number): number {
  return -floorDiv(-a, b);
}
