// Runs in: tests (Node). A model's prediction log over several days, written through PredictionLog as
// an endpoint would: seeded inputs like the training data, shifted from a chosen day on; the true
// labels kept aside for a labels file; slow and failing requests on chosen days.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seeded as rng } from './drift-report';
import { PredictionLog } from '../../electron/core/serving/prediction-log';
import { Workspace } from '../../electron/core/workspace/workspace';

export interface DayShape {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  drift: boolean;
  /** Share of predictions equal to the true label. */
  accuracy: number;
  /** Latency of every request that day, ms (besides jitter). */
  latencyMs: number;
  /** Requests answered 503 that day (no records logged for them). */
  failures: number;
}

export interface Row {
  age: number;
  income: number;
  city: string;
  label: string;
}

function row(r: () => number, drift: boolean): Row {
  const age = Math.round(20 + r() * 40 + (drift ? 25 : 0));
  const income = Math.round((30_000 + r() * 40_000) * (drift ? 1.8 : 1));
  const cities = drift ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c'];
  return { age, income, city: cities[Math.floor(r() * cities.length)]!, label: r() < 0.5 ? 'yes' : 'no' };
}

/** data/train.csv: the training data the model learned from (features and label, no prediction). */
export function writeTraining(dir: string, rows = 400): void {
  const r = rng(1);
  const lines = ['age,income,city,label'];
  for (let i = 0; i < rows; i++) {
    const x = row(r, false);
    lines.push(`${x.age},${x.income},${x.city},${x.label}`);
  }
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'data', 'train.csv'), lines.join('\n') + '\n');
}

export const DAYS: DayShape[] = [
  { date: '2026-01-05', drift: false, accuracy: 0.95, latencyMs: 8, failures: 0 },
  { date: '2026-01-06', drift: false, accuracy: 0.95, latencyMs: 8, failures: 0 },
  { date: '2026-01-07', drift: false, accuracy: 0.95, latencyMs: 8, failures: 0 },
  { date: '2026-01-08', drift: true, accuracy: 0.95, latencyMs: 8, failures: 0 },
  { date: '2026-01-09', drift: true, accuracy: 0.6, latencyMs: 250, failures: 20 },
];

/**
 * Logs `perDay` records a day (10 per request, spread over the day) for model `model`, returns the
 * true labels by record ID. Record IDs are `<date>-<n>`.
 */
export function logPredictions(dir: string, model: string, days: DayShape[] = DAYS, perDay = 150): Map<string, string> {
  const ws = Workspace.open(dir);
  const log = new PredictionLog(ws.db, { maxPending: 1_000_000, flushMs: 60_000 });
  const truth = new Map<string, string>();
  try {
    days.forEach((day, d) => {
      const r = rng(100 + d);
      const requests = perDay / 10;
      for (let q = 0; q < requests; q++) {
        const at = new Date(
          Date.parse(`${day.date}T00:00:00Z`) + Math.floor(((q + 0.5) / requests) * 86_400_000),
        ).toISOString();
        const records = Array.from({ length: 10 }, (_, k) => {
          const x = row(r, day.drift);
          const id = `${day.date}-${q * 10 + k}`;
          truth.set(id, x.label);
          const label = r() < day.accuracy ? x.label : x.label === 'yes' ? 'no' : 'yes';
          return {
            recordId: id,
            input: { age: x.age, income: x.income, city: x.city },
            output: { label, probability: 0.5 + r() / 2 },
          };
        });
        log.record({
          requestId: `${day.date}-q${q}`,
          deploymentId: null,
          model,
          version: 1,
          at,
          status: 200,
          latencyMs: day.latencyMs + r() * 2,
          records,
        });
      }
      for (let f = 0; f < day.failures; f++) {
        const at = new Date(Date.parse(`${day.date}T12:00:00Z`) + f * 1000).toISOString();
        log.record({
          requestId: `${day.date}-fail${f}`,
          deploymentId: null,
          model,
          version: 1,
          at,
          status: 503,
          latencyMs: 30_000,
          error: 'predict process timed out',
          records: [],
        });
      }
    });
  } finally {
    log.close();
    ws.close();
  }
  return truth;
}

/** A labels file: `id,outcome` rows for the given record IDs. */
export function labelsCsv(truth: Map<string, string>, ids: Iterable<string> = truth.keys()): string {
  const lines = ['id,outcome'];
  for (const id of ids) lines.push(`${id},${truth.get(id)}`);
  return lines.join('\n') + '\n';
}
