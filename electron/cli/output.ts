// Runs in: CLI (Node). One place that decides how results and failures are printed.
import { BenchtopError } from '../../shared/contract/errors';

export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** One clear sentence on stderr (plus the hint, when there is one). */
export function describeError(err: unknown): string {
  if (err instanceof BenchtopError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
