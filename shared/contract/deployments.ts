// Runs in: main and renderer (shared). The contract for local endpoints: each method's summary,
// lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, method } from './common';
import { modelName, modelVersionNumber } from './models';

/** A deployment's state: answering, stopped on purpose, or gone (its process ended without stopping it). */
export const deploymentState = z.enum(['running', 'stopped', 'gone']);

export type DeploymentState = z.infer<typeof deploymentState>;

/**
 * Something a running endpoint reported that its panel should show until dismissed: the alias moved
 * to a version that could not be served (the previous one keeps answering), or a warning (the
 * prediction log could not be written, and is retried).
 */
export const deploymentNotice = z.object({
  kind: z.enum(['switch-failed', 'warning']),
  message: z.string(),
  /** When it was reported (ISO). */
  at: z.string(),
  /** For a failed switch: the version still answering, and the one the alias names. */
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
});

export type DeploymentNotice = z.infer<typeof deploymentNotice>;

/** One launch of a local endpoint, from the app or `benchtop serve`. */
export const deployment = z.object({
  id: z.string(),
  ref: z.string(),
  model: z.string(),
  host: z.string(),
  port: z.number().int(),
  url: z.string(),
  workers: z.number().int(),
  pid: z.number().int(),
  startedAt: z.string(),
  seenAt: z.string(),
  stoppedAt: z.string().nullable(),
  stopReason: z.string().nullable(),
  state: deploymentState,
  /** The version answering now (live when this app runs it), else the last one that answered, null before any. */
  version: z.number().int().nullable(),
  /** Started by this app, so it can be stopped and tried from here; others belong to a `benchtop serve`. */
  managed: z.boolean(),
  /** The bearer token callers must send (only for endpoints this app started on a non-loopback host). */
  token: z.string().nullable(),
  requests: z.number().int(),
  errors: z.number().int(),
  /** False while its predict processes keep crashing as they start (known only for this app's endpoints). */
  healthy: z.boolean().nullable(),
  /** The latest failed switch or warning (known only for this app's endpoints); a failed switch is cleared by the next one that succeeds. */
  notice: deploymentNotice.nullable(),
});

export type Deployment = z.infer<typeof deployment>;

/** One time bucket of a model's requests: counts, shares and exact latency percentiles of its rows. */
export const requestBucket = z.object({
  /** Start of the bucket (ISO). */
  at: z.string(),
  requests: z.number().int(),
  /** Requests per second over the part of the bucket that has elapsed. */
  rate: z.number(),
  clientErrors: z.number().int(),
  serverErrors: z.number().int(),
  /** Shares of the bucket's requests answered 4xx / 5xx; null with no requests. */
  clientErrorRate: z.number().nullable(),
  serverErrorRate: z.number().nullable(),
  /** Milliseconds, linear interpolation between the closest ranks (NumPy's default); null with no requests. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});

export type RequestBucket = z.infer<typeof requestBucket>;

export const requestTotals = requestBucket.omit({ at: true }).extend({ records: z.number().int() });

export type RequestTotals = z.infer<typeof requestTotals>;

export const deploymentStats = z.object({
  model: z.string(),
  version: z.number().int().nullable(),
  deploymentId: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  bucketSeconds: z.number().int(),
  /** Oldest first, every bucket of the window (empty ones too, so charts keep their time axis). */
  buckets: z.array(requestBucket),
  totals: requestTotals,
});

export type DeploymentStats = z.infer<typeof deploymentStats>;

/** One logged call to an endpoint with (some of) its records. */
export const loggedRequest = z.object({
  requestId: z.string(),
  deploymentId: z.string().nullable(),
  version: z.number().int().nullable(),
  at: z.string(),
  status: z.number().int(),
  latencyMs: z.number(),
  records: z.number().int(),
  error: z.string().nullable(),
  /** The first records of the request (all of a small one), inputs and output as sent and answered. */
  predictions: z.array(z.object({ recordId: z.string(), input: z.unknown(), output: z.unknown() })),
});

export type LoggedRequestRow = z.infer<typeof loggedRequest>;

/**
 * What a `benchtop serve` endpoint reports while it runs (the engine's events as they come): the
 * alias moved or could not be followed, a predict process restarted, a warning, its health, its
 * stop, and each line a predict process wrote on stderr.
 */
export const serveEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('switched'), from: z.number().int(), to: z.number().int() }),
  z.object({ kind: z.literal('worker-restarted'), version: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('stopped'), reason: z.string() }),
  z.object({ kind: z.literal('switch-failed'), from: z.number().int(), to: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('warning'), message: z.string() }),
  z.object({
    kind: z.literal('health'),
    version: z.number().int(),
    healthy: z.boolean(),
    reason: z.string().nullable(),
  }),
  z.object({ kind: z.literal('log'), version: z.number().int(), line: z.string() }),
]);

export type ServeEvent = z.infer<typeof serveEvent>;

export const deploymentsMethods = domainMethods<`deployments.${string}`>()({
  'deployments.list': method({
    access: 'read',
    summary:
      "The project's deployments, newest first: running, stopped, or gone (their process ended without stopping them), with the version answering.",
    input: z.object({ model: modelName.optional() }).strict(),
    output: z.object({ deployments: z.array(deployment) }),
  }),
  'deployments.start': method({
    // Endpoints serve copies under .benchtop/serving and append prediction logs.
    access: 'local',
    summary:
      'Serve a model version as a local HTTP endpoint from the app (one deployment per model at a time); a host other than 127.0.0.1 gets a token.',
    input: z
      .object({
        ref: z.string().min(1).max(300),
        port: z.number().int().min(0).max(65_535).optional(),
        host: z.string().min(1).max(255).optional(),
        workers: z.number().int().min(1).max(64).optional(),
        /** The user saw the predict command an imported version brought and agreed to run it (refused with UNTRUSTED_COMMAND otherwise). */
        trust: z.boolean().optional(),
      })
      .strict(),
    output: deployment,
  }),
  'deployments.stop': method({
    access: 'local',
    summary: 'Stop a running deployment (requests in flight finish first).',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: deployment,
  }),
  'deployments.stats': method({
    access: 'read',
    summary:
      "A model's requests over the last windowSeconds, per time bucket: rate, 4xx and 5xx shares, p50/p95/p99 latency, and totals.",
    input: z
      .object({
        model: modelName,
        version: modelVersionNumber.optional(),
        deploymentId: z.string().min(1).max(200).optional(),
        windowSeconds: z
          .number()
          .int()
          .min(1)
          .max(366 * 86_400)
          .default(300),
      })
      .strict(),
    output: deploymentStats,
  }),
  'deployments.requests': method({
    access: 'read',
    summary: "A model's latest logged requests, newest first, with their first records (inputs and outputs).",
    input: z
      .object({
        model: modelName,
        version: modelVersionNumber.optional(),
        deploymentId: z.string().min(1).max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
    output: z.object({ requests: z.array(loggedRequest) }),
  }),
  'deployments.try': method({
    access: 'local',
    summary:
      "Send a JSON body (one record or a batch) to a deployment this app runs, as a client would; answers the endpoint's status and reply.",
    input: z.object({ id: z.string().min(1).max(200), body: z.string().min(1).max(1_000_000) }).strict(),
    output: z.object({ status: z.number().int(), latencyMs: z.number(), body: z.unknown() }),
  }),
  'deployments.serve': method({
    // Like deployments.start: the endpoint copies the model under .benchtop/serving and appends
    // prediction logs, which SQLite serialises, so it never waits for the project lock.
    access: 'local',
    summary:
      'For `benchtop serve` only (UNSUPPORTED elsewhere): serve a model version as a local HTTP endpoint in this process until deployments.serveStop, reporting what it does as serve.event.',
    // The engine checks the values itself (with the messages `benchtop serve` has always printed),
    // so these schemas only fix the types; the CLI checks its whole numbers before calling.
    input: z
      .object({
        ref: z.string().min(1),
        port: z.number().int().optional(),
        host: z.string().optional(),
        workers: z.number().int().optional(),
        timeoutMs: z.number().int().optional(),
        /** The bearer token requests must send; generated for a host other than loopback when absent. */
        token: z.string().optional(),
        /** The input field naming each record in the prediction log (default: id). */
        idField: z.string().optional(),
        /** The user saw the predict command an imported version brought and agreed to run it (refused with UNTRUSTED_COMMAND otherwise). */
        trust: z.boolean().optional(),
      })
      .strict(),
    output: z.object({
      deploymentId: z.string(),
      url: z.string(),
      host: z.string(),
      port: z.number().int(),
      model: z.string(),
      version: z.number().int(),
      ref: z.string(),
      workers: z.number().int(),
      token: z.string().nullable(),
    }),
  }),
  'deployments.serveStop': method({
    access: 'local',
    summary:
      'Stop an endpoint deployments.serve started (requests in flight answered, the prediction log flushed, the deployment marked stopped with the reason).',
    input: z.object({ deploymentId: z.string().min(1).max(200), reason: z.string().min(1).max(500) }).strict(),
    output: z.object({ deploymentId: z.string(), reason: z.string() }),
  }),
});
