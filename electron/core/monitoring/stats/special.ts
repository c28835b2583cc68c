// Runs in: main (core). Distribution tails for the drift p-values, on top of stdlib's special functions.
import betainc from '@stdlib/math-base-special-betainc';
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';

/** P(X > x) for X ~ chi-square(df); the regularized upper gamma keeps tiny p-values (no 1 - cdf). */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/** Two-sided normal tail P(|Z| > |z|), through erfc so it stays accurate far in the tail. */
export function normalTwoSided(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Two-sided Student t tail P(|T| > |t|) with df degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  const x = df / (df + t2);
  return Math.min(1, betainc(x, df / 2, 0.5, true, false));
}
