// Runs in: main and renderer. Events the core pushes, typed like the methods.
import { z } from 'zod';
import type { EventName } from './names';
import { syncProgress } from './sync';
import {
  demoStep,
  metricValue,
  projectSummary,
  runStatus,
  serveEvent,
  stageJob,
  stageRunStatus,
  sweepView,
} from './schemas';

export const events = {
  'project.changed': z.object({ project: projectSummary.nullable() }),
  'run.log': z.object({
    runId: z.string(),
    stage: z.string(),
    stream: z.enum(['stdout', 'stderr']),
    line: z.string(),
    at: z.string(),
    /** Set for the runs of a sweep, which run beside (not as) the live run. */
    sweep: z.string().optional(),
  }),
  'run.metric': z.object({
    runId: z.string(),
    key: z.string(),
    step: z.number().int(),
    value: metricValue,
    at: z.string(),
  }),
  'run.status': z.object({ runId: z.string(), status: runStatus, at: z.string(), sweep: z.string().optional() }),
  'sweep.changed': sweepView,
  'stage.status': z.object({
    runId: z.string(),
    stage: z.string(),
    status: stageRunStatus,
    reason: z.string(),
    at: z.string(),
    sweep: z.string().optional(),
    /** A stage run as a batch job (Slurm): the job's own state, sent as it changes. */
    job: stageJob.optional(),
  }),
  /** Progress of long data work (hashing, restoring, sending, fetching, a doctor's check of the cache), at most a few times a second. */
  'data.progress': z.object({
    op: z.enum(['add', 'checkout', 'push', 'pull', 'verify', 'doctor']),
    path: z.string(),
    done: z.number().int(),
    total: z.number().int(),
  }),
  /** Progress of a push or pull (git's own lines for the records; counts for objects and data). */
  'sync.progress': syncProgress,
  /** A model's versions, aliases or card changed (from any client, the CLI excepted). */
  'models.changed': z.object({ name: z.string() }),
  /** A monitor's rule fired on a batch (the app shows a notification; `batch` is the batch's label). */
  'monitors.alert': z.object({
    id: z.number().int(),
    monitor: z.string(),
    rule: z.string(),
    message: z.string(),
    batch: z.string().nullable(),
    at: z.string(),
    runId: z.string().nullable(),
  }),
  /** Rows read so far by a drift report, per side, at most ten times a second (the CLI's progress line). */
  'drift.progress': z.object({ side: z.enum(['reference', 'current']), rows: z.number().int() }),
  /**
   * A deployment started, stopped, began answering with another version (its alias moved), turned
   * unhealthy or recovered (`health`), or reported a failed switch or a warning (`notice`, read
   * from deployments.list).
   */
  'deployments.changed': z.object({
    model: z.string(),
    deploymentId: z.string(),
    change: z.enum(['started', 'stopped', 'switched', 'health', 'notice']),
    version: z.number().int().nullable(),
  }),
  /** New requests to a deployment were logged (at most a couple of times a second), so live charts reload. */
  'deployments.requests': z.object({ model: z.string(), deploymentId: z.string(), count: z.number().int() }),
  /**
   * What an endpoint `deployments.serve` started in this process reports (only the CLI's
   * `benchtop serve` starts one), including the lines its predict processes write on stderr.
   */
  'serve.event': z.object({ ref: z.string(), event: serveEvent }),
  /** A step of the demo story (`demo.story`) ended. */
  'demo.step': demoStep,
  /** Runs the helpers logged while no server ran were taken in from the inbox (the runs list reloads). */
  'runs.ingested': z.object({ runs: z.array(z.string()), warnings: z.array(z.string()) }),
} satisfies { [K in EventName]: z.ZodType };

export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;
export type BenchtopEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName];
