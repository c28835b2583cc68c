// Runs in: main and renderer (shared). The contract for the demo project: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none } from './common';
import * as s from './schemas';

export const demoMethods = domainMethods<`demo.${string}`>()({
  'demo.reset': method({
    access: 'write',
    summary:
      'Put the demo project back to its starting state: its deployments stopped, its folder moved aside to a dated backup beside it (never deleted), a fresh demo created there and opened. Only the demo project (`demo: true`).',
    input: none,
    output: s.demoResetResult,
  }),
  'demo.sendWeeks': method({
    access: 'write',
    summary:
      "The demo's production arriving: the next weeks in data/production are sent to the endpoint the app runs for the demo model, each answered week written to data/batches for the monitor. Only the demo project.",
    input: z.object({ weeks: z.number().int().min(1).max(100).default(1) }).strict(),
    output: s.demoSentWeeks,
  }),
});
