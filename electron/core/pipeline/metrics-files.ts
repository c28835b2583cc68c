// Runs in: main (core). Declared metrics files (JSON, YAML), read when a stage ends: every numeric
// leaf becomes a metric named by its path.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export function flattenNumbers(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === 'number' && Number.isFinite(value)) out[prefix] = value;
  else if (typeof value === 'boolean') out[prefix] = value ? 1 : 0;
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenNumbers(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

export function readMetricsFile(file: string): Record<string, number> {
  const text = readFileSync(file, 'utf8');
  const data: unknown = /\.json$/i.test(file) ? JSON.parse(text) : parse(text);
  return flattenNumbers(data);
}
