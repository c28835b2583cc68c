// Runs in: CLI (Node). One place that decides how results and failures are printed.
import { BenchtopError } from '../../shared/contract/errors';
import { toWire } from '../../shared/contract/wire';

export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** JSON that keeps NaN and ±Infinity as the contract's wire format does ({"$nonFinite":"NaN"}), not as null. */
export function printWireJson(value: unknown): void {
  // Parsed back without a reviver the tags stay objects, so only the indentation changes.
  process.stdout.write(JSON.stringify(JSON.parse(toWire(value)), null, 2) + '\n');
}

/** One clear sentence on stderr (plus the hint, when there is one). */
export function describeError(err: unknown): string {
  if (err instanceof BenchtopError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Rows as aligned columns (the first row is the header). */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A value for a table cell: numbers to a few significant digits, '-' for nothing. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return typeof v === 'string' ? v : JSON.stringify(v);
}
