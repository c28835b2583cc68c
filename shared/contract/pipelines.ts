// Runs in: main and renderer (shared). The contract for the pipeline: its plan, runs and sweeps: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none } from './common';
import * as s from './schemas';

export const pipelinesMethods = domainMethods<`pipelines.${string}`>()({
  'pipelines.get': method({
    access: 'read',
    summary: 'The stages of benchtop.yaml, or the problem with it.',
    input: none,
    output: s.pipelineView,
  }),
  'pipelines.status': method({
    access: 'read',
    summary: 'Which stages would run, and why, without running anything.',
    input: none,
    output: s.pipelineStatus,
  }),
  'pipelines.run': method({
    // The pipeline service keeps holding it until the run (or sweep) ends.
    access: 'write',
    summary: 'Start a pipeline run in the background; events report its progress.',
    input: z
      .object({
        targets: z.array(z.string().min(1).max(200)).max(200).default([]),
        force: z.boolean().default(false),
        downstream: z.boolean().default(false),
        jobs: z.number().int().min(1).max(64).optional(),
        /** `key=value` (or `file.yaml:key=value`) param values for this run only. */
        overrides: z.array(z.string().min(3).max(1000)).max(100).default([]),
        /** Why the run was started, when not by hand (a monitor's alert, say); the run records it. */
        reason: z.string().min(1).max(500).optional(),
      })
      .strict(),
    output: z.object({ runId: z.string() }),
  }),
  'pipelines.cancel': method({
    // Cancelling stops the app's own run (its end releases the lock), or signals a terminal's run,
    // which ends and records itself.
    access: 'read',
    summary: "Cancel a running pipeline run: its stages' process trees are ended.",
    input: z.object({ runId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'pipelines.runs': method({
    access: 'read',
    summary: 'Recent pipeline runs with their stages, newest first.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(20) }).strict(),
    output: z.object({ runs: z.array(s.pipelineRunRow) }),
  }),
  'pipelines.log': method({
    access: 'read',
    summary: "A stage's log from a run (the last 1 MiB).",
    input: z
      .object({
        runId: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9_-]+$/, 'not a run id'),
        stage: z.string().min(1).max(200),
      })
      .strict(),
    output: z.object({ text: z.string(), truncated: z.boolean() }),
  }),
  'pipelines.sweep': method({
    access: 'write',
    summary: 'Start a sweep: the grid of param values as a queue, each run in its own working copy.',
    input: z
      .object({
        sweeps: z.array(z.string().min(3).max(2000)).min(1).max(10),
        overrides: z.array(z.string().min(3).max(1000)).max(100).default([]),
        jobs: z.number().int().min(1).max(16).default(2),
      })
      .strict(),
    output: s.sweepView,
  }),
  'pipelines.sweepStatus': method({
    access: 'read',
    summary: 'The running (or last) sweep of this session, or null.',
    input: none,
    output: s.sweepView.nullable(),
  }),
  'pipelines.cancelSweep': method({
    access: 'read',
    summary: 'Cancel the running sweep: runs in progress are cancelled, queued ones never start.',
    input: none,
    output: z.object({ cancelled: z.boolean() }),
  }),
});
