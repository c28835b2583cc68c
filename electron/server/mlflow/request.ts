// Runs in: main (browser-mode server). Reading an MLflow request's fields, from the query string of
// a GET or the JSON body of a POST, with protobuf's leniency: int64 fields may come as strings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readLimitedBody } from '../../core/util/http-body';
import { baseHeaders } from '../static-files';
import { invalid, MlflowError } from './errors';
import { parseLenientJson, stringifyMlflow } from './json';

export const MAX_JSON_BYTES = 1024 * 1024;

export type Fields = Record<string, unknown>;

export async function readJsonBody(req: IncomingMessage): Promise<Fields> {
  let text: string;
  try {
    text = (await readLimitedBody(req, MAX_JSON_BYTES)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLarge)
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        'The request body is larger than 1 MiB; send fewer entries per request.',
        413,
      );
    throw err;
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = parseLenientJson(text);
  } catch {
    throw new MlflowError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new MlflowError('BAD_REQUEST', 'The request body must be a JSON object.');
  return parsed as Fields;
}

/** Query string fields; a name given more than once becomes a list. */
export function queryFields(query: string): Fields {
  const params = new URLSearchParams(query);
  const out: Fields = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

export function sendMlflowJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(stringifyMlflow(body));
}

export function sendMlflowError(res: ServerResponse, err: MlflowError): void {
  sendMlflowJson(res, err.status, { error_code: err.code, message: err.message });
}

export function optString(f: Fields, name: string): string | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw invalid(`Invalid value ${JSON.stringify(v)} for parameter '${name}': it must be a string.`);
  return v;
}

export function reqString(f: Fields, name: string): string {
  const v = optString(f, name);
  if (v === undefined || v === '') throw invalid(`Missing value for required parameter '${name}'.`);
  return v;
}

/** int64 fields: a JSON number or a string of digits (protobuf writes them either way). */
export function optInt(f: Fields, name: string, min = 0): number | undefined {
  const v = f[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw invalid(
      `Invalid value ${JSON.stringify(v)} for parameter '${name}': it must be a whole number of at least ${min}.`,
    );
  return n;
}

/** A list field; a single value (one repeated query name) counts as a list of one. */
export function optList(f: Fields, name: string): unknown[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function stringList(f: Fields, name: string): string[] {
  return optList(f, name).map((v, i) => {
    if (typeof v !== 'string' && typeof v !== 'number')
      throw invalid(`Invalid value ${JSON.stringify(v)} for parameter '${name}[${i}]': it must be a string.`);
    return String(v);
  });
}

/** Decimal number text as protobuf reads a double; Number() would also take "0x10" as 16. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A metric value: a number, or protobuf's "NaN" / "Infinity" / "-Infinity" (or decimal text). */
export function metricValue(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === 'NaN' || t === 'Infinity' || t === '-Infinity' || DECIMAL.test(t)) return Number(t);
  }
  throw invalid(`Invalid value ${JSON.stringify(v)} for parameter '${where}': it must be a number.`);
}

/** The run id MLflow clients send as run_id, or as run_uuid (older clients). */
export function runIdOf(f: Fields): string {
  const id = optString(f, 'run_id') || optString(f, 'run_uuid');
  if (!id) throw invalid("Missing value for required parameter 'run_id'.");
  return id;
}
