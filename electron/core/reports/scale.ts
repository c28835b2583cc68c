// Runs in: main (core) and CLI. Axis arithmetic for the report charts: "nice" tick values
// (1, 2, 5 × 10^n, after Heckbert's Graphics Gems algorithm), linear and log scales.
import { BenchtopError } from '../../../shared/contract/errors';

/** A nice number near `x`: 1, 2, 5 or 10 times a power of ten (rounded, or the next one up). */
export function niceNumber(x: number, round: boolean): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`niceNumber needs a positive finite number, not ${x}`);
  const exp = Math.floor(Math.log10(x));
  const f = x / 10 ** exp;
  let nice: number;
  if (round) nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * 10 ** exp;
}

/** Strips float noise (0.30000000000000004 → 0.3, 2.7e-17 → 0) from values that are multiples of `step`. */
function clean(v: number, step: number): number {
  return Number((Math.round(v / step) * step).toPrecision(12));
}

export interface Ticks {
  /** The axis range, widened to whole steps so the data sits inside the ticks. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** About `count` nice ticks spanning [lo, hi]. A flat range (lo = hi) is widened around the value. */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new RangeError(`niceTicks needs finite bounds, not ${lo}..${hi}`);
  if (lo > hi) [lo, hi] = [hi, lo];
  // A range too narrow to divide (equal values, or differing in the last bits) is widened around
  // its middle, so the axis still has ticks and the value sits inside them.
  if (!(hi - lo > Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9 && hi - lo > 1e-100)) {
    const mid = lo / 2 + hi / 2;
    const pad = Math.abs(mid) > 1e-100 ? Math.abs(mid) * 0.1 : 1;
    lo = mid - pad;
    hi = mid + pad;
  }
  const range = niceNumber(hi - lo, false);
  const step = niceNumber(range / Math.max(1, count - 1), true);
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const values: number[] = [];
  for (let i = 0, v = min; v <= max + step / 2; i++, v = min + i * step) values.push(clean(v, step));
  return { min: clean(min, step), max: clean(max, step), step, values };
}

export interface Scale {
  (v: number): number;
  readonly ticks: number[];
  readonly domain: readonly [number, number];
  readonly log: boolean;
}

/** Maps [d0, d1] onto [r0, r1] (pixels; r0 > r1 for a y axis drawn downwards). */
export function linearScale(lo: number, hi: number, r0: number, r1: number, tickCount = 5): Scale {
  const t = niceTicks(lo, hi, tickCount);
  const span = t.max - t.min;
  const f = (v: number) => r0 + ((v - t.min) / span) * (r1 - r0);
  return Object.assign(f, { ticks: t.values, domain: [t.min, t.max] as const, log: false });
}

/**
 * Log10 scale. A log axis cannot show zero or negative values, so a domain that reaches them is
 * refused with an error that says so, rather than drawing NaN paths.
 */
export function logScale(lo: number, hi: number, r0: number, r1: number): Scale {
  if (!(lo > 0) || !(hi > 0)) {
    throw new BenchtopError('INVALID_INPUT', `A log scale needs values above zero; these reach ${Math.min(lo, hi)}.`, {
      hint: 'Use a linear scale for values that are zero or negative.',
    });
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  let e0 = Math.floor(Math.log10(lo));
  let e1 = Math.ceil(Math.log10(hi));
  if (e0 === e1) {
    e0 -= 1;
    e1 += 0;
  }
  const ticks: number[] = [];
  const decades = e1 - e0;
  for (let e = e0; e <= e1; e++) {
    const base = Number((10 ** e).toPrecision(12));
    ticks.push(base);
    // Few decades: 2 and 5 in between keep the axis readable.
    if (decades <= 2 && e < e1) ticks.push(Number((2 * base).toPrecision(12)), Number((5 * base).toPrecision(12)));
  }
  const l0 = e0;
  const l1 = e1;
  const f = (v: number) => r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0);
  return Object.assign(f, { ticks, domain: [10 ** e0, 10 ** e1] as const, log: true });
}

/** Tick label: short, without float noise; exponent form for very large or small magnitudes. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}
