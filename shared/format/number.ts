// Runs in: main and renderer (shared). Numbers as reports and the terminal print them.

/** A number as a person reads it in a report: NaN, ∞ and −∞ spelled out, a few significant digits. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}
