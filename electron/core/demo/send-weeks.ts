// Runs in: main (core). The demo's production arriving from the app (the guided tour's "Send a
// week"): the next weeks waiting in data/production are sent, one request per week, to the endpoint
// the app runs for the demo model, and each answered week lands in data/batches for the monitor.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import type { Deployment } from '../../../shared/contract/schemas';
import { DEMO_MODEL } from './demo-monitor';
import { BATCHES_DIR, deliverWeek, productionWeeks, type DeliveredWeek } from './deliver';

export interface SentWeeks {
  delivered: DeliveredWeek[];
  /** Weeks still waiting in data/production. */
  remaining: number;
}

/** The production weeks not yet delivered, in order. */
export function waitingWeeks(projectDir: string): string[] {
  return productionWeeks(projectDir).filter((w) => !existsSync(path.join(projectDir, BATCHES_DIR, w)));
}

/**
 * Sends the next `count` weeks to `deployment` (the app's running endpoint of the demo model). Refused,
 * with nothing written, when no week is waiting or nothing serves the model; a week that fails stops
 * the rest (the weeks before it stay delivered, each written whole).
 */
export async function sendWeeks(
  projectDir: string,
  deployment: Deployment | undefined,
  count: number,
): Promise<SentWeeks> {
  const waiting = waitingWeeks(projectDir);
  if (waiting.length === 0) {
    const all = productionWeeks(projectDir).length;
    throw new BenchtopError(
      'NOT_FOUND',
      all
        ? `All ${all} production weeks have been sent already.`
        : 'This demo project has no production weeks in data/production.',
      {
        field: 'weeks',
        hint: all
          ? 'Check the monitor to see them, or reset the demo to start the story again.'
          : 'Reset the demo to get them back.',
      },
    );
  }
  if (!deployment) {
    throw new BenchtopError(
      'CONFLICT',
      `${DEMO_MODEL} is not being served from the app, so there is nothing to send production to.`,
      {
        hint: `Deploy ${DEMO_MODEL}@champion first (the tour's Deploy step, or its version page in Models).`,
      },
    );
  }
  const delivered: DeliveredWeek[] = [];
  for (const week of waiting.slice(0, count))
    delivered.push(await deliverWeek(projectDir, week, deployment.url, deployment.token));
  return { delivered, remaining: waiting.length - delivered.length };
}
