// Runs in: renderer. How drift numbers read on screen: shares as percentages, scores with their kind.
import { formatNumber } from '../../components/format';

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A score may be NaN (a test that could not be computed): it says so rather than showing nothing. */
export function formatScore(score: number | null): string {
  if (score === null) return '—';
  if (Number.isNaN(score)) return 'NaN';
  return formatNumber(score);
}
