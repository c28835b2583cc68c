// Runs in: main and renderer (shared). The contract for local endpoints: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method } from './common';
import * as s from './schemas';

export const deploymentsMethods = domainMethods<`deployments.${string}`>()({
  'deployments.list': method({
    access: 'read',
    summary:
      "The project's deployments, newest first: running, stopped, or gone (their process ended without stopping them), with the version answering.",
    input: z.object({ model: s.modelName.optional() }).strict(),
    output: z.object({ deployments: z.array(s.deployment) }),
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
    output: s.deployment,
  }),
  'deployments.stop': method({
    access: 'local',
    summary: 'Stop a running deployment (requests in flight finish first).',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: s.deployment,
  }),
  'deployments.stats': method({
    access: 'read',
    summary:
      "A model's requests over the last windowSeconds, per time bucket: rate, 4xx and 5xx shares, p50/p95/p99 latency, and totals.",
    input: z
      .object({
        model: s.modelName,
        version: s.modelVersionNumber.optional(),
        deploymentId: z.string().min(1).max(200).optional(),
        windowSeconds: z
          .number()
          .int()
          .min(1)
          .max(366 * 86_400)
          .default(300),
      })
      .strict(),
    output: s.deploymentStats,
  }),
  'deployments.requests': method({
    access: 'read',
    summary: "A model's latest logged requests, newest first, with their first records (inputs and outputs).",
    input: z
      .object({
        model: s.modelName,
        version: s.modelVersionNumber.optional(),
        deploymentId: z.string().min(1).max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
    output: z.object({ requests: z.array(s.loggedRequest) }),
  }),
  'deployments.try': method({
    access: 'local',
    summary:
      "Send a JSON body (one record or a batch) to a deployment this app runs, as a client would; answers the endpoint's status and reply.",
    input: z.object({ id: z.string().min(1).max(200), body: z.string().min(1).max(1_000_000) }).strict(),
    output: z.object({ status: z.number().int(), latencyMs: z.number(), body: z.unknown() }),
  }),
});
