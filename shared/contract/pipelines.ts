// Runs in: main and renderer (shared). The contract for the pipeline: its plan, runs and sweeps:
// each method's summary, lock access (see common.ts) and input and output schemas, and the shapes
// those use.
import { z } from 'zod';
import { domainMethods, method, none, runStatus, stageRunStatus } from './common';

export const fileProblem = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  message: z.string(),
  hint: z.string(),
});

export type FileProblem = z.infer<typeof fileProblem>;

export const pipelineStage = z.object({
  name: z.string(),
  cmd: z.array(z.string()),
  deps: z.array(z.string()),
  outs: z.array(z.string()),
  params: z.array(z.string()),
  metrics: z.array(z.string()),
  /** Names of the stages whose outs this stage depends on. */
  after: z.array(z.string()),
});

export type PipelineStage = z.infer<typeof pipelineStage>;

export const pipelineView = z.object({
  file: z.string(),
  exists: z.boolean(),
  stages: z.array(pipelineStage),
  /** The first problem, or null when the file is valid. */
  problem: fileProblem.nullable(),
  /** Every problem found, so they can all be fixed in one pass. */
  problems: z.array(fileProblem),
});

export type PipelineView = z.infer<typeof pipelineView>;

export const stagePlan = z.object({
  name: z.string(),
  state: z.enum(['will-run', 'up-to-date', 'frozen']),
  reasons: z.array(z.string()),
});

export type StagePlanView = z.infer<typeof stagePlan>;

export const pipelineStatus = z.object({ stages: z.array(stagePlan), activeRunId: z.string().nullable() });

export type PipelineStatus = z.infer<typeof pipelineStatus>;

export const stageRunRow = z.object({
  name: z.string(),
  status: stageRunStatus,
  reason: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  attempts: z.number().int(),
  exitCode: z.number().int().nullable(),
});

export type StageRunRow = z.infer<typeof stageRunRow>;

export const pipelineRunRow = z.object({
  id: z.string(),
  status: runStatus,
  trigger: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  gitCommit: z.string().nullable(),
  stages: z.array(stageRunRow),
});

export type PipelineRunRow = z.infer<typeof pipelineRunRow>;

export const sweepItem = z.object({
  params: z.record(z.string(), z.string()),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'error']),
  runId: z.string().nullable(),
  error: z.string().nullable(),
  metrics: z.record(z.string(), z.number()),
});

export const sweepView = z.object({ sweepId: z.string(), running: z.boolean(), items: z.array(sweepItem) });

export type SweepView = z.infer<typeof sweepView>;

export const pipelinesMethods = domainMethods<`pipelines.${string}`>()({
  'pipelines.get': method({
    access: 'read',
    summary: 'The stages of benchtop.yaml, or the problem with it.',
    input: none,
    output: pipelineView,
  }),
  'pipelines.status': method({
    access: 'read',
    summary: 'Which stages would run, and why, without running anything.',
    input: none,
    output: pipelineStatus,
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
    output: z.object({ runs: z.array(pipelineRunRow) }),
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
    output: sweepView,
  }),
  'pipelines.sweepStatus': method({
    access: 'read',
    summary: 'The running (or last) sweep of this session, or null.',
    input: none,
    output: sweepView.nullable(),
  }),
  'pipelines.cancelSweep': method({
    access: 'read',
    summary: 'Cancel the running sweep: runs in progress are cancelled, queued ones never start.',
    input: none,
    output: z.object({ cancelled: z.boolean() }),
  }),
});
