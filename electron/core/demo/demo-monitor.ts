// Runs in: main (core). What a new demo project gets beyond its files: the training data tracked
// with a .bt pointer (a first data version), the bank's scorecard registered as the first champion
// of loan-default (so the pipeline's evaluate stage always has a champion to beat), and the
// `loan-weekly` monitor over the production batches that arrive in data/batches.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MonitorAddInput } from '../../../shared/contract/schemas';
import { addData } from '../data/track';
import { addMonitor } from '../monitoring/monitors';
import { setAlias } from '../registry/aliases';
import { registerVersion } from '../registry/register';
import type { Workspace } from '../workspace/workspace';

export const DEMO_DATA = 'data/loans.csv';
export const DEMO_MODEL = 'loan-default';
export const DEMO_SCORECARD = 'models/scorecard.json';
export const DEMO_SIGNATURE = [
  { name: 'age', type: 'number' },
  { name: 'income', type: 'number' },
  { name: 'amount', type: 'number' },
  { name: 'term', type: 'number' },
  { name: 'employment', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'credit_history_years', type: 'number' },
  { name: 'previous_defaults', type: 'number' },
];

export const DEMO_MONITOR: MonitorAddInput = {
  name: 'loan-weekly',
  // The model whose predictions the weeks carry: the demo serves its champion.
  model: `${DEMO_MODEL}@champion`,
  reference: 'data/reference.csv',
  folder: 'data/batches',
  target: 'default',
  prediction: 'prediction',
  id: 'id',
  // The score depends on the exact model serving; drift in what the model says is watched through `prediction`.
  exclude: ['probability'],
  rules: ['drift_share >= 0.5 for 2 retrain', 'accuracy < 0.7'],
};

/** Tracks the demo's training data; returns the files git should commit (pointer, .gitignore), or [] when it was not there. */
export async function trackDemoData(ws: Workspace): Promise<string[]> {
  if (!existsSync(path.join(ws.dir, DEMO_DATA))) return [];
  const [r] = await addData(ws.dir, ws.db, [DEMO_DATA]);
  return r ? [r.pointer, '.gitignore'] : [];
}

/** Registers the scorecard as loan-default's first version and champion, unless the model exists. */
export async function ensureDemoChampion(
  ws: Workspace,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<number | null> {
  try {
    if (ws.db.prepare(`SELECT 1 FROM registered_models WHERE name = ?`).get(DEMO_MODEL)) return null;
    if (!existsSync(path.join(ws.dir, DEMO_SCORECARD))) {
      warn(`The demo's first champion was not registered: ${DEMO_SCORECARD} is missing from ${ws.dir}.`);
      return null;
    }
    const version = await registerVersion(ws.dir, ws.db, {
      name: DEMO_MODEL,
      path: DEMO_SCORECARD,
      source: 'path',
      description:
        "The bank's scorecard before any model: fixed points for a heavy repayment, past defaults, a short credit history and the kind of employment.",
      predict: 'node src/predict.js',
      signature: DEMO_SIGNATURE,
      tags: { demo: 'scorecard' },
    });
    setAlias(ws.db, DEMO_MODEL, 'champion', version, 'the scorecard in use before any model');
    return version;
  } catch (err) {
    warn(`The demo's first champion was not registered: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/**
 * Adds the demo's monitor unless one of that name exists (so it is never duplicated, and one the user
 * changed is left alone). Returns its name when added, null otherwise. It never throws: a demo project
 * without its monitor is still a working project, so a problem is reported through `warn` instead.
 */
export async function ensureDemoMonitor(
  ws: Workspace,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<string | null> {
  const name = DEMO_MONITOR.name;
  try {
    if (ws.db.prepare(`SELECT 1 FROM monitors WHERE name = ?`).get(name)) return null;
    const missing = [DEMO_MONITOR.reference, DEMO_MONITOR.folder!].filter((p) => !existsSync(path.join(ws.dir, p)));
    if (missing.length) {
      warn(
        `The demo monitor ${name} was not added: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing from ${ws.dir}.`,
      );
      return null;
    }
    await addMonitor(ws.dir, ws.db, DEMO_MONITOR);
    return name;
  } catch (err) {
    warn(`The demo monitor ${name} was not added: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
