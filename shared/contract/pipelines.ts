// Runs in: main and renderer (shared). The contract for the pipeline: its plan, runs and sweeps:
// each method's summary, lock access (see common.ts) and input and output schemas, and the shapes
// those use.
import { z } from 'zod';
import { domainMethods, metricValue, method, none, runStatus, stageRunStatus } from './common';

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
  /** The Slurm executors declared in `executors:`, by name (a sweep may run on one as job arrays). */
  slurmExecutors: z.array(z.string()),
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

/**
 * A batch job's state as it is followed (a Slurm stage's, in the live stage list): Slurm's own
 * state name (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, ...) and the node once it has one.
 */
export const stageJob = z.object({ id: z.string(), state: z.string(), node: z.string().nullable() });

export type StageJob = z.infer<typeof stageJob>;

export const stageRunRow = z.object({
  name: z.string(),
  status: stageRunStatus,
  reason: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  attempts: z.number().int(),
  exitCode: z.number().int().nullable(),
  /** The batch job a stage ran as (a Slurm executor's), absent for a local stage. */
  job: z.object({ id: z.string(), node: z.string().nullable(), queueWaitMs: z.number().int().nullable() }).optional(),
});

/** A stage row as read from run_stages, with its job columns apart. */
export type JobColumns<T> = Omit<T, 'job'> & {
  jobId: string | null;
  jobNode: string | null;
  queueWaitMs: number | null;
};

/** A run_stages row's job columns as `job`, left out for a stage that ran here. */
export function withJob<T extends { job?: unknown }>(row: JobColumns<T>): T {
  const { jobId, jobNode, queueWaitMs, ...rest } = row;
  return (jobId === null ? rest : { ...rest, job: { id: jobId, node: jobNode, queueWaitMs } }) as unknown as T;
}

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

/**
 * A `key=value` (or `file.yaml:key=value`) param value for one run only. Its form is checked by the
 * core's parser, whose message says how to write it (`-S x` is "not key=value").
 */
const overrideSpec = z.string().max(1000);

/** How a run that was started here ended: each stage's outcome. */
export const runSummary = z.object({
  runId: z.string(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  /** False when every stage was up to date: nothing ran and no run was recorded. */
  recorded: z.boolean(),
  stages: z.array(
    z.object({
      name: z.string(),
      status: stageRunStatus,
      reason: z.string(),
      attempts: z.number().int(),
      exitCode: z.number().int().nullable(),
      durationMs: z.number().nullable(),
    }),
  ),
  /** Why a run whose stages all succeeded still failed (its metrics could not be saved). */
  error: z.string().optional(),
});

export type RunSummaryView = z.infer<typeof runSummary>;

/** A param value as parsed from an override (the value read as YAML). */
export const paramOverride = z.object({ file: z.string(), key: z.string(), value: z.unknown() });

export const sweepResult = z.object({
  sweepId: z.string(),
  runs: z.array(
    z.object({
      overrides: z.array(paramOverride),
      summary: runSummary.nullable(),
      error: z.string().nullable(),
      metrics: z.record(z.string(), metricValue),
    }),
  ),
});

export const reproduction = z.object({
  original: z.object({ runId: z.string(), commit: z.string(), metrics: z.record(z.string(), metricValue) }),
  reproduced: runSummary,
  metrics: z.record(z.string(), metricValue),
  /** Files the commit did not hold, taken from the working tree (data kept out of git). */
  fromWorkingTree: z.array(z.string()),
});

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
    // overrides: what would run with these param values (`benchtop run --dry -S ...`).
    input: z.object({ overrides: z.array(overrideSpec).max(100).default([]) }).strict(),
    output: pipelineStatus,
  }),
  'pipelines.dag': method({
    access: 'read',
    summary: 'The stages of benchtop.yaml in run order, and which stage feeds which; fails on a broken file.',
    input: none,
    output: z.object({
      stages: z.array(z.string()),
      /** Each stage's upstream stages, the stages in run order and each one's upstreams in run order too. */
      edges: z.array(z.object({ from: z.string(), to: z.string() })),
    }),
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
        overrides: z.array(overrideSpec).max(100).default([]),
        /** Why the run was started, when not by hand (a monitor's alert, say); the run records it. */
        reason: z.string().min(1).max(500).optional(),
        /** The run's name; a readable one is made up when left out. */
        name: z.string().trim().min(1).max(250).optional(),
      })
      .strict(),
    output: z.object({ runId: z.string() }),
  }),
  'pipelines.wait': method({
    // Waiting changes nothing; the run itself holds the lock.
    access: 'read',
    summary: 'Wait for a run this session started (pipelines.run) to end, and get its summary.',
    input: z.object({ runId: z.string().min(1).max(100) }).strict(),
    output: runSummary,
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
  'pipelines.logs': method({
    access: 'read',
    summary: "A run's stage logs in full (of every stage, by stage name, or of one).",
    input: z
      .object({
        // Checked by the handler, which names the run it has no logs for.
        runId: z.string().min(1).max(200),
        stage: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: z.object({ logs: z.array(z.object({ stage: z.string(), text: z.string() })) }),
  }),
  'pipelines.sweep': method({
    access: 'write',
    summary: 'Start a sweep: the grid of param values as a queue, each run in its own working copy.',
    input: z
      .object({
        // The form (`key=a,b,c`) is checked by the core, which says how to write it.
        sweeps: z.array(z.string().max(2000)).min(1).max(10),
        overrides: z.array(overrideSpec).max(100).default([]),
        /** Run only these stages (and what they need) in each run. */
        targets: z.array(z.string().min(1).max(200)).max(200).default([]),
        /** With an executor: how many tasks of each array job run at once (`%N`). */
        jobs: z.number().int().min(1).max(16).default(2),
        /** A Slurm executor of benchtop.yaml for every stage: each stage as one array job. */
        executor: z.string().min(1).max(200).optional(),
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
  'pipelines.schedules': method({
    access: 'read',
    summary:
      "The schedules this process's scheduler has armed, with each one's next run (running: false when none runs here).",
    input: none,
    output: z.object({
      running: z.boolean(),
      schedules: z.array(z.object({ cron: z.string(), next: z.string().nullable() })),
    }),
  }),
  'pipelines.waitSweep': method({
    access: 'read',
    summary: 'Wait for a sweep this session started to end, and get every run of it in full.',
    input: z.object({ sweepId: z.string().min(1).max(100) }).strict(),
    output: sweepResult,
  }),
  'pipelines.reproduce': method({
    access: 'write',
    summary:
      "Re-run a past pipeline run from its commit and params in a working copy (forced), with both runs' final metrics.",
    input: z.object({ runId: z.string().min(1).max(200) }).strict(),
    output: reproduction,
  }),
  'pipelines.exec': method({
    // Runs any command line, so only a terminal's own `benchtop exec` may call it (the handler
    // refuses the app and `benchtop ui`, whose callers are not the user at a shell).
    access: 'write',
    summary: 'Run a shell command as a tracked run (CLI only); it reports through the line protocol.',
    input: z
      .object({
        command: z.string().min(1).max(100_000),
        name: z.string().min(1).max(500).optional(),
        experiment: z.string().min(1).max(500).optional(),
      })
      .strict(),
    output: runSummary,
  }),
});
