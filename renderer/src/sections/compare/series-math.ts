// Runs in: renderer. Pure helpers for metric curves: the x axis (step, wall time, time since the
// run's first point), exponential smoothing, and how values are shown (NaN, ∞, −∞ spelled out).
import { formatNumber } from '../../components/format';

export type XAxisKind = 'step' | 'wall' | 'relative';

export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  return formatNumber(v);
}

/**
 * Exponential moving average with TensorBoard's debiasing, so the first points are not pulled
 * towards zero. weight 0 returns the values unchanged; 0.99 is very smooth.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

/** The x values of a series for the chosen axis: steps, epoch ms, or seconds since its first point. */
export function xValues(kind: XAxisKind, steps: readonly number[], times: readonly number[]): number[] {
  if (kind === 'step') return [...steps];
  if (kind === 'wall') return [...times];
  const t0 = times[0] ?? 0;
  return times.map((t) => (t - t0) / 1000);
}
