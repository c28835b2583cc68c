// Runs in: main (core). A week of production in the demo: the week's applications (from
// data/production/, made by src/make-data.js) are sent to the endpoint serving the champion, and
// the batch the monitor reads is written to data/batches/: each application, the champion's
// prediction and probability, and the true outcome, which the demo knows at once (a bank learns
// it months later).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeFileAtomic } from '../util/atomic-write';

export const PRODUCTION_DIR = 'data/production';
export const BATCHES_DIR = 'data/batches';
const NUMBERS = new Set(['age', 'income', 'amount', 'term', 'credit_history_years', 'previous_defaults']);
const INPUTS = [
  'id',
  'age',
  'income',
  'amount',
  'term',
  'employment',
  'region',
  'credit_history_years',
  'previous_defaults',
];

/** The week files waiting in data/production, in order. */
export function productionWeeks(projectDir: string): string[] {
  const dir = path.join(projectDir, PRODUCTION_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^week-\d+\.csv$/.test(f))
    .sort();
}

export interface DeliveredWeek {
  file: string;
  records: number;
  /** The version that answered. */
  version: number;
  accuracy: number;
}

function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

/** Sends one week (a file name from productionWeeks) to the endpoint at `url` and writes its batch; refuses to overwrite one already delivered. */
export async function deliverWeek(
  projectDir: string,
  week: string,
  url: string,
  token?: string | null,
): Promise<DeliveredWeek> {
  const out = path.join(projectDir, BATCHES_DIR, week);
  if (existsSync(out))
    throw new BenchtopError('ALREADY_EXISTS', `${BATCHES_DIR}/${week} has been delivered already.`, {
      field: 'week',
      hint: 'Each week arrives once; delete its batch first to send it again.',
    });
  const rows = readCsv(path.join(projectDir, PRODUCTION_DIR, week));
  const inputs = rows.map((r) => Object.fromEntries(INPUTS.map((k) => [k, NUMBERS.has(k) ? Number(r[k]) : r[k]])));
  const res = await fetch(`${url.replace(/\/$/, '')}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ inputs }),
  });
  const body = (await res.json()) as {
    predictions?: { prediction: number; probability: number }[];
    version?: number;
    error?: string;
  };
  if (res.status !== 200 || !Array.isArray(body.predictions) || body.predictions.length !== rows.length) {
    throw new BenchtopError(
      'INTERNAL',
      `The endpoint answered ${week} with ${res.status}: ${body.error ?? 'not one prediction per application'}.`,
      { field: 'week' },
    );
  }
  let right = 0;
  const lines = [[...INPUTS, 'prediction', 'probability', 'default'].join(',')];
  rows.forEach((r, i) => {
    const p = body.predictions![i]!;
    if ((p.prediction !== 0 && p.prediction !== 1) || !(p.probability >= 0 && p.probability <= 1)) {
      throw new BenchtopError(
        'INTERNAL',
        `The endpoint's answer for ${r.id} in ${week} is not a 0/1 prediction with a probability: ${JSON.stringify(p)}.`,
        { field: 'week' },
      );
    }
    if (String(p.prediction) === r.default) right++;
    lines.push([...INPUTS.map((k) => r[k]), p.prediction, p.probability, r.default].join(','));
  });
  writeFileAtomic(out, lines.join('\n') + '\n');
  return {
    file: `${BATCHES_DIR}/${week}`,
    records: rows.length,
    version: Number(body.version),
    accuracy: right / rows.length,
  };
}
