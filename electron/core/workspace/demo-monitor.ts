// Runs in: main (core). The demo project's monitor: the weekly production batches in data/batches
// watched against the scored iris data, so checking it shows drift from week 4, an alert at week 5
// and a retraining run of the demo pipeline with the alert as its reason.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MonitorAddInput } from '../../../shared/contract/schemas';
import { addMonitor } from '../monitoring/monitors';
import type { Workspace } from './workspace';

export const DEMO_MONITOR: MonitorAddInput = {
  name: 'iris-weekly',
  reference: 'data/iris-scored.csv',
  folder: 'data/batches',
  target: 'target',
  prediction: 'prediction',
  rules: ['drift_share >= 0.5 for 2 retrain', 'accuracy < 0.8'],
};

/**
 * Adds the demo's monitor unless one of that name exists (so it is never duplicated, and one the user
 * changed is left alone). Returns its name when added, null otherwise. It never throws: a demo project
 * without its monitor is still a working project, so a problem is reported through `warn` instead.
 */
export async function ensureDemoMonitor(ws: Workspace, warn: (message: string) => void = (m) => console.warn(m)): Promise<string | null> {
  const name = DEMO_MONITOR.name;
  try {
    if (ws.db.prepare(`SELECT 1 FROM monitors WHERE name = ?`).get(name)) return null;
    const missing = [DEMO_MONITOR.reference, DEMO_MONITOR.folder!].filter((p) => !existsSync(path.join(ws.dir, p)));
    if (missing.length) {
      warn(`The demo monitor ${name} was not added: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing from ${ws.dir}.`);
      return null;
    }
    await addMonitor(ws.dir, ws.db, DEMO_MONITOR);
    return name;
  } catch (err) {
    warn(`The demo monitor ${name} was not added: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
