// Runs in: main and renderer (shared). The contract for the demo project: each method's summary,
// lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, method, none } from './common';
import { projectSummary } from './app';

export const demoResetResult = z.object({
  /** The fresh demo project, now open. */
  project: projectSummary,
  /** Where the previous demo folder was moved (kept whole, beside it). */
  backup: z.string(),
});

export type DemoResetResult = z.infer<typeof demoResetResult>;

/** Production weeks of the demo sent to its endpoint (each now a batch in data/batches). */
export const demoSentWeeks = z.object({
  delivered: z.array(
    z.object({ file: z.string(), records: z.number().int(), version: z.number().int(), accuracy: z.number() }),
  ),
  remaining: z.number().int(),
});

export type DemoSentWeeks = z.infer<typeof demoSentWeeks>;

export const demoMethods = domainMethods<`demo.${string}`>()({
  'demo.reset': method({
    access: 'write',
    summary:
      'Put the demo project back to its starting state: its deployments stopped, its folder moved aside to a dated backup beside it (never deleted), a fresh demo created there and opened. Only the demo project (`demo: true`).',
    input: none,
    output: demoResetResult,
  }),
  'demo.sendWeeks': method({
    access: 'write',
    summary:
      "The demo's production arriving: the next weeks in data/production are sent to the endpoint the app runs for the demo model, each answered week written to data/batches for the monitor. Only the demo project.",
    input: z.object({ weeks: z.number().int().min(1).max(100).default(1) }).strict(),
    output: demoSentWeeks,
  }),
});
