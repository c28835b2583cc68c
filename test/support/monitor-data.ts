// Runs in: tests (Node). Seeded reference data and weekly batches for monitor tests: drift appears from
// a chosen week on (a shifted numeric column, a new category, an older population), and the model's
// accuracy drops from another.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seeded as rng } from './drift-report';

export interface WeekShape {
  drift: boolean;
  /** Share of predictions equal to the label. */
  accuracy: number;
}

export function table(rows: number, seed: number, shape: WeekShape): string {
  const r = rng(seed);
  const lines = ['age,income,city,label,pred'];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(20 + r() * 40 + (shape.drift ? 25 : 0));
    const income = Math.round((30_000 + r() * 40_000) * (shape.drift ? 1.8 : 1));
    const cities = shape.drift ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c'];
    const city = cities[Math.floor(r() * cities.length)]!;
    const label = r() < 0.5 ? 1 : 0;
    const pred = r() < shape.accuracy ? label : 1 - label;
    lines.push(`${age},${income},${city},${label},${pred}`);
  }
  return lines.join('\n') + '\n';
}

/** Writes data/reference.csv and batches/week-0N.csv for the given weeks (1-based). */
export function monitorProject(dir: string, weeks: WeekShape[], only?: number[]): void {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  mkdirSync(path.join(dir, 'batches'), { recursive: true });
  writeFileSync(path.join(dir, 'data', 'reference.csv'), table(400, 1, { drift: false, accuracy: 0.95 }));
  weeks.forEach((w, i) => {
    if (only && !only.includes(i + 1)) return;
    writeFileSync(path.join(dir, 'batches', `week-0${i + 1}.csv`), table(200, 100 + i, w));
  });
}

/** Five weeks: drift from week 3 on, accuracy falls to 0.6 in week 5. */
export const WEEKS: WeekShape[] = [
  { drift: false, accuracy: 0.95 },
  { drift: false, accuracy: 0.95 },
  { drift: true, accuracy: 0.95 },
  { drift: true, accuracy: 0.95 },
  { drift: true, accuracy: 0.6 },
];
