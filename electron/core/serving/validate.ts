// Runs in: main (core) or the CLI's `benchtop serve`. What a /predict body must look like before it
// may reach a model: one record or {"inputs": [...]}, each record an object whose signature fields
// are present with the type the training data had. A refusal names the field (and the record in a
// batch), so the caller can fix the request without reading the model's stack trace.
//
// Fields the signature does not list are passed to the model unchanged: the ID field is one, and a
// caller may send context the model ignores but the prediction log should keep. A misspelt feature
// still fails, as its correctly spelt name is then missing.
import type { ModelSignature } from '../../../shared/contract/schemas';

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null = null,
    readonly index: number | null = null,
  ) {
    super(message);
  }
}

export const MAX_RECORDS = 10_000;

const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Check = { test: (v: unknown) => boolean; want: string };

// The types a table schema reads from data (datasets/table-schema.ts), and the names people give
// with `--signature` for the same things.
const CHECKS: Record<string, Check> = {
  integer: { test: (v) => typeof v === 'number' && Number.isInteger(v), want: 'a whole number' },
  number: { test: (v) => typeof v === 'number', want: 'a number' },
  boolean: { test: (v) => typeof v === 'boolean', want: 'true or false' },
  string: { test: (v) => typeof v === 'string', want: 'a string' },
  datetime: {
    test: (v) => typeof v === 'string' && DATETIME.test(v),
    want: 'a date or time as text (2026-11-30 or 2026-11-30T12:00:00Z)',
  },
};
const SYNONYMS: Record<string, string> = {
  int: 'integer',
  int32: 'integer',
  int64: 'integer',
  long: 'integer',
  float: 'number',
  float32: 'number',
  float64: 'number',
  double: 'number',
  real: 'number',
  numeric: 'number',
  bool: 'boolean',
  str: 'string',
  text: 'string',
  category: 'string',
  categorical: 'string',
  date: 'datetime',
  timestamp: 'datetime',
};

/** The check for a signature type; null when any value will do (`empty`: the column had no values; a type Benchtop does not know). */
export function checkFor(type: string): Check | null {
  const t = type.trim().toLowerCase();
  return CHECKS[SYNONYMS[t] ?? t] ?? null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v === 'object' ? 'an object' : String(v);
}

/** The records of a parsed /predict body, or a RequestError (400) naming what is wrong. */
export function recordsOf(body: unknown): { records: Record<string, unknown>[]; batch: boolean } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestError(
      400,
      `The body must be one record (a JSON object) or {"inputs": [records]}, not ${describe(body)}.`,
      'inputs',
    );
  }
  const obj = body as Record<string, unknown>;
  const batch = 'inputs' in obj && Object.keys(obj).length === 1;
  if (!batch) return { records: [obj], batch: false };
  const inputs = obj.inputs;
  if (!Array.isArray(inputs))
    throw new RequestError(400, `"inputs" must be a list of records, not ${describe(inputs)}.`, 'inputs');
  if (inputs.length === 0) throw new RequestError(400, '"inputs" is empty: send at least one record.', 'inputs');
  if (inputs.length > MAX_RECORDS)
    throw new RequestError(
      400,
      `"inputs" has ${inputs.length} records; at most ${MAX_RECORDS} go in one request.`,
      'inputs',
    );
  inputs.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r))
      throw new RequestError(400, `inputs[${i}] must be a record (a JSON object), not ${describe(r)}.`, null, i);
  });
  return { records: inputs as Record<string, unknown>[], batch: true };
}

/** Throws RequestError (400) at the first record that lacks a signature field or has one of another type. */
export function checkRecords(
  records: readonly Record<string, unknown>[],
  signature: ModelSignature | null,
  batch: boolean,
): void {
  if (!signature || signature.inputs.length === 0) return;
  const columns = signature.inputs.map((c) => ({ name: c.name, type: c.type, check: checkFor(c.type) }));
  records.forEach((r, i) => {
    const where = batch ? `inputs[${i}]` : 'The record';
    for (const c of columns) {
      if (!Object.hasOwn(r, c.name)) {
        throw new RequestError(
          400,
          `${where} has no field ${JSON.stringify(c.name)} (${c.type}), which the model's input signature requires.`,
          c.name,
          batch ? i : null,
        );
      }
      const v = r[c.name];
      if (c.check && !c.check.test(v)) {
        throw new RequestError(
          400,
          `${where}: field ${JSON.stringify(c.name)} is ${describe(v)}; the model's input signature wants ${c.check.want} (${c.type}).`,
          c.name,
          batch ? i : null,
        );
      }
    }
  });
}
