// Runs in: main (core). Logged predictions as table rows: inputs flattened to columns, the model's
// answer as one `prediction` cell, the joined ground truth. Shared by `predictions export` and the
// monitor windows, so a window file and an export of the same records have the same columns.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { checkModelName } from '../registry/refs';

export type Cell = string | number | boolean | null;

/** Nested objects become dotted columns (`address.city`); arrays stay one JSON cell. */
export function flattenInput(input: unknown, prefix = '', out: Record<string, Cell> = {}): Record<string, Cell> {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenInput(v, key, out);
      else out[key] = scalar(v);
    }
    return out;
  }
  // A predictor fed bare values (a number, a list) still gets a column.
  out[prefix || 'input'] = scalar(input);
  return out;
}

function scalar(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/**
 * The model's answer as one value: a scalar output itself, or the `label` / `prediction` field of an
 * object output ({"label": "setosa", "probabilities": …}). Null when the output has neither.
 */
export function predictionValue(output: unknown): Cell {
  if (output === null || output === undefined) return null;
  if (typeof output === 'string' || typeof output === 'number' || typeof output === 'boolean') return output;
  if (typeof output === 'object' && !Array.isArray(output)) {
    const o = output as Record<string, unknown>;
    for (const key of ['label', 'prediction']) {
      const v = o[key];
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    }
  }
  return null;
}

/** A cell as CSV text: missing is empty, numbers keep their shortest form. */
export function cellText(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

/** Refuses a model that is neither registered nor in the prediction log, naming the known ones. */
export function requireLoggedModel(db: Database, given: string, field = 'model'): string {
  const name = checkModelName(given.trim(), field);
  const known = db
    .prepare(
      `SELECT 1 FROM registered_models WHERE name = ? UNION ALL SELECT 1 FROM predictions WHERE model_name = ? LIMIT 1`,
    )
    .get(name, name);
  if (known) return name;
  const names = (
    db
      .prepare(
        `SELECT name FROM registered_models UNION SELECT DISTINCT model_name FROM predictions ORDER BY 1 LIMIT 20`,
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  throw new BenchtopError('NOT_FOUND', `There is no model named ${name}, and no prediction was logged for one.`, {
    field,
    hint: names.length
      ? `Models: ${names.join(', ')}.`
      : 'Register a model with `benchtop models register` and serve it with `benchtop serve`.',
  });
}

/** An ISO time bound (a date alone is midnight UTC), normalised so it compares as text with logged times. */
export function timeBound(given: string | undefined, field: string): string | null {
  if (given === undefined || given.trim() === '') return null;
  const text = given.trim();
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? Date.parse(`${text}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`)
      : NaN;
  if (Number.isNaN(t))
    throw new BenchtopError('INVALID_INPUT', `"${text}" is not a date or ISO time.`, {
      field,
      hint: 'Write 2026-11-30 or 2026-11-30T12:00:00Z.',
    });
  return new Date(t).toISOString();
}

export interface PredictionRow {
  id: number;
  record_id: string;
  version: number;
  at: string;
  input_json: string;
  output_json: string | null;
  label_json: string | null;
}

export const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
