// Runs in: main (core). The two-sided one-sample Kolmogorov distribution for finite n (SciPy's kstwo),
// which ks_2samp's asymptotic branch evaluates at n = round(n1·n2/(n1+n2)).
//
// The region choice follows Simard & L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov
// Distribution", J. Stat. Softw. 39(11), 2011, as SciPy does, because two of the regions use an
// approximation (Pelz-Good) whose value must be reproduced, not just a more exact number:
//   - Ruben & Gambino (1982) closed forms for n·x ≤ 1 and n·x ≥ n−1;
//   - 2·Smirnov(n, x) (Birnbaum & Tingey 1951, exact one-sided tail) where it is the two-sided tail;
//   - Durbin's matrix (Durbin 1968) as in Marsaglia, Tsang & Wang, J. Stat. Softw. 8(18), 2003;
//   - the Pelz & Good (1976) asymptotic series for large n.
// SciPy uses Pomeranz's recursion for n ≤ 140 and 0.754693 < n·x² ≤ 4; Durbin's matrix is exact there
// too, so it is used instead (both are exact to ~1e-14 absolute).

/** P(D_n > x), the survival function of the two-sided Kolmogorov statistic for sample size n. */
export function kolmogorovSf(n: number, x: number): number {
  if (!(n >= 1) || !Number.isInteger(n) || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // P(D_n ≤ x) = n!/n^n (2t − 1)^n for 1/(2n) ≤ x ≤ 1/n.
    let prob = 1;
    const r = 2 * t - 1;
    for (let i = 1; i <= n; i++) prob *= (i / n) * r;
    return clip(1 - prob);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    if (nxx <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, x));
  let cdf: number;
  if (nxx >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * One-sided Smirnov tail P(D+_n ≥ d) by the Birnbaum–Tingey sum
 * d Σ_{j=0}^{⌊n(1−d)⌋} C(n,j) (d + j/n)^{j−1} (1 − d − j/n)^{n−j}; every term is positive, so summing
 * them in log space loses nothing to cancellation.
 */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d) + 1e-12 * n);
  const logD = Math.log(d);
  let logC = 0; // log C(n, j), updated incrementally
  let sum = 0;
  let maxTerm = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logC += Math.log((n - j + 1) / j);
    const a = d + j / n;
    const b = 1 - d - j / n;
    let logTerm = logC + logD + (j - 1) * Math.log(a);
    if (n - j > 0) {
      if (b <= 0) break;
      logTerm += (n - j) * Math.log(b);
    }
    const term = Math.exp(logTerm);
    sum += term;
    if (term > maxTerm) maxTerm = term;
    // The terms rise then fall; past the peak, stop once they no longer change the sum.
    else if (term < sum * 1e-18) break;
  }
  return sum;
}

/**
 * Durbin's matrix method for P(D_n < d) (Marsaglia, Tsang & Wang 2003): with k = ⌈nd⌉, h = k − nd,
 * the answer is n!/nⁿ · (Hⁿ)_{k,k} for the (2k−1)² matrix H; powers are rescaled by 2^±128 and the
 * exponent is tracked separately so nothing overflows.
 */
export function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  if (d >= 1) return 1;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const invFact = new Float64Array(m + 1);
  invFact[0] = 1;
  for (let i = 1; i <= m; i++) invFact[i] = invFact[i - 1]! / i;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const p = i - j + 1;
      if (p >= 0) H[i * m + j] = invFact[p]!;
    }
  }
  for (let i = 0; i < m; i++) {
    const firstCol = (1 - h ** (i + 1)) * invFact[i + 1]!;
    H[i * m] = firstCol;
    H[(m - 1) * m + (m - 1 - i)] = firstCol;
  }
  const corner = 2 * h - 1 > 0 ? (2 * h - 1) ** m : 0;
  H[(m - 1) * m] = (1 - 2 * h ** m + corner) * invFact[m]!;

  const SCALE = 2 ** 128;
  let base: Float64Array = H;
  let baseExp = 0;
  let acc: Float64Array | null = null;
  let accExp = 0;
  let e = n;
  while (e > 0) {
    if (e & 1) {
      acc = acc === null ? base.slice() : matMul(acc, base, m);
      accExp += baseExp;
      const c = acc[(k - 1) * m + (k - 1)]!;
      if (Math.abs(c) > SCALE) {
        for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! / SCALE;
        accExp += 128;
      }
    }
    e = Math.floor(e / 2);
    if (e > 0) {
      base = matMul(base, base, m);
      baseExp *= 2;
      if (Math.abs(base[(k - 1) * m + (k - 1)]!) > SCALE) {
        for (let i = 0; i < base.length; i++) base[i] = base[i]! / SCALE;
        baseExp += 128;
      }
    }
  }
  let p = acc![(k - 1) * m + (k - 1)]!;
  let exp2 = accExp;
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (Math.abs(p) < 1 / SCALE) {
      p *= SCALE;
      exp2 -= 128;
    }
  }
  return clip(p * 2 ** exp2);
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      const rowB = l * m;
      const rowO = i * m;
      for (let j = 0; j < m; j++) out[rowO + j] = out[rowO + j]! + ail * b[rowB + j]!;
    }
  }
  return out;
}

/**
 * Pelz & Good (1976) approximation P(D_n ≤ x) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2}, z = x√n,
 * in the Jacobi-theta form for small z given by Simard & L'Ecuyer (2011), section 2.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const PI2 = Math.PI * Math.PI;
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;
  const logq = -PI2 / 8 / z2;
  if (logq < -708) return 0;
  const q = Math.exp(logq);
  const kmax = Math.ceil((16 * z) / Math.PI);
  // Σ_k q^{(2k−1)²} · polynomial in (2k−1)², evaluated from the largest k down (Horner in q⁸ᵏ).
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  for (let k = kmax; k >= 1; k--) {
    const j = 2 * k - 1;
    const j2 = j * j;
    const j4 = j2 * j2;
    const j6 = j4 * j2;
    const qp = q ** (8 * k);
    k0 = k0 * qp + 1;
    k1 = k1 * qp + (-z2 + (PI2 / 4) * j2);
    k2 = k2 * qp + (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * PI2 * j2) / 4 + (PI4 * (1 - 2 * z2) * j4) / 16);
    k3 =
      k3 * qp +
      (-30 * z6 -
        90 * z6 * z2 +
        (PI2 * (135 * z4 - 96 * z6) * j2) / 4 +
        (PI4 * (-60 * z2 + 212 * z4) * j4) / 16 +
        (PI6 * (5 - 30 * z2) * j6) / 64);
  }
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  k0 = (k0 * q * SQRT2PI) / z;
  k1 = (k1 * q * SQRT2PI) / (6 * z4);
  k2 = (k2 * q * SQRT2PI) / (72 * z6 * z);
  k3 = (k3 * q * SQRT2PI) / (6480 * z6 * z4);
  // The extra theta-function terms of K2 and K3 with q' = exp(−π²/(2z²)).
  const q2 = Math.exp(-PI2 / 2 / z2);
  let s2 = 0;
  let s3 = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = kmax; k >= 1; k--) {
    const kk = k * k;
    const w = q2 ** kk;
    s2 += kk * w;
    const kpi = Math.PI * k;
    s3 += (sqrt3z + kpi) * (sqrt3z - kpi) * kk * w;
  }
  k2 += (s2 * PI2 * SQRT2PI) / (-36 * z3);
  k3 += (s3 * PI2 * SQRT2PI) / (216 * z6);
  const sn = Math.sqrt(n);
  return k0 + k1 / sn + k2 / n + k3 / (n * sn);
}
