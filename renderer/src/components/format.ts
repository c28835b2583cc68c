// Runs in: renderer. Human-readable sizes, dates and counts.
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString();
  // Three significant digits without trailing zeros: 0.7, 5.84, 1230.5.
  return Math.abs(v) >= 1000 ? v.toFixed(1) : String(Number(v.toPrecision(3)));
}
