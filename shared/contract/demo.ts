// Runs in: main and renderer (shared). The contract for the demo project: each method's summary,
// lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, folderPath, method, none } from './common';
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

/** One step of the demo story, as it ends (also pushed as the `demo.step` event). */
export const demoStep = z.object({ step: z.string(), ok: z.boolean(), summary: z.string(), seconds: z.number() });

export type DemoStepView = z.infer<typeof demoStep>;

/** What `benchtop demo` did, step by step, and where its reports are. */
export const demoStoryResult = z.object({
  dir: z.string(),
  seconds: z.number(),
  steps: z.array(demoStep),
  dataVersions: z.number().int(),
  pipelineRun: z.object({ runId: z.string(), status: z.string() }),
  sweep: z.array(z.object({ runId: z.string(), status: z.string(), params: z.record(z.string(), z.string()) })),
  champion: z.object({ before: z.number().int(), first: z.number().int(), after: z.number().int() }),
  endpoint: z.object({
    url: z.string(),
    weeks: z.number().int(),
    records: z.number().int(),
    versions: z.array(z.number().int()),
  }),
  monitor: z.object({
    batches: z.array(
      z.object({ label: z.string(), share: z.number(), datasetDrift: z.boolean(), accuracy: z.number().nullable() }),
    ),
    alerts: z.array(z.object({ batch: z.string(), rule: z.string(), message: z.string() })),
  }),
  retrain: z.object({ runId: z.string().nullable(), status: z.string().nullable(), error: z.string().nullable() }),
  /** Absolute paths of the reports written to the project's reports/. */
  reports: z.array(z.string()),
});

export type DemoStoryResult = z.infer<typeof demoStoryResult>;

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
  'demo.story': method({
    // Like project.init, it makes a new project (in a new or empty folder) and changes no open one.
    access: 'read',
    summary:
      'Create the demo project in a new or empty folder and run its whole lifecycle headless (data version, pipeline, sweep, champion, endpoint, drift alert, retraining), writing its reports; `demo.step` events report each step as it ends.',
    input: z.object({ path: folderPath }).strict(),
    output: demoStoryResult,
  }),
});
