// Runs in: main and renderer (shared). The contract for experiments and runs: search, edit, and what scripts log: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none, runIds, runId } from './common';
import * as s from './schemas';

export const trackingMethods = domainMethods<`experiments.${string}` | `runs.${string}`>()({
  'experiments.list': method({
    access: 'read',
    summary: 'Experiments and the most recent runs.',
    input: none,
    output: s.experimentsList,
  }),
  'runs.search': method({
    access: 'read',
    summary: "Runs matching a query (`metrics.accuracy > 0.9 and params.model = 'rf'`), sorted by any field.",
    input: z
      .object({
        filter: z.string().max(4000).default(''),
        sort: z.string().max(300).default('-start_time'),
        limit: z.number().int().min(1).max(100_000).default(1000),
        deleted: z.enum(['hide', 'include', 'only']).default('hide'),
      })
      .strict(),
    output: z.object({ runs: z.array(s.runSearchRow) }),
  }),
  'runs.delete': method({
    access: 'write',
    summary: 'Delete runs: hidden, and restorable until purged.',
    input: z.object({ ids: runIds }).strict(),
    output: z.object({ changed: z.number().int() }),
  }),
  'runs.restore': method({
    access: 'write',
    summary: 'Bring deleted runs back.',
    input: z.object({ ids: runIds }).strict(),
    output: z.object({ changed: z.number().int() }),
  }),
  'runs.purge': method({
    access: 'write',
    summary: 'Remove deleted runs for good (all deleted runs when no ids are given).',
    input: z.object({ ids: runIds.optional() }).strict(),
    output: z.object({ changed: z.number().int() }),
  }),
  'runs.get': method({
    access: 'read',
    summary: 'One run whole: fields, params, latest metrics, tags, notes, artifacts, data inputs, stages.',
    input: z.object({ id: runId }).strict(),
    output: s.runDetail,
  }),
  'runs.update': method({
    access: 'write',
    summary: 'Rename a run, edit its notes, star it, set or remove tags.',
    input: z
      .object({
        id: runId,
        name: z.string().max(10_000).optional(),
        notes: z.string().max(2_000_000).optional(),
        starred: z.boolean().optional(),
        setTags: z.record(z.string(), z.string()).optional(),
        deleteTags: z.array(z.string()).max(1000).optional(),
      })
      .strict(),
    output: s.runDetail,
  }),
  'runs.keys': method({
    access: 'read',
    summary: 'Param, metric and tag keys in use, for completion.',
    input: none,
    output: s.runKeys,
  }),
  'runs.history': method({
    access: 'read',
    summary:
      'Metric series of runs for charts, each downsampled (largest-triangle-three-buckets) to at most maxPoints.',
    input: z
      .object({
        ids: z.array(runId).min(1).max(100),
        keys: z.array(z.string().min(1).max(250)).max(200).optional(),
        maxPoints: z.number().int().min(10).max(100_000).default(2000),
      })
      .strict(),
    output: z.object({ series: z.array(s.metricSeries) }),
  }),
  'runs.create': method({
    access: 'local',
    summary:
      'Start a run from a script (the helpers call this); the commit and dirty flag are read from the project when not given.',
    input: z
      .object({
        experiment: z.string().min(1).max(10_000).default('Default'),
        name: z.string().min(1).max(10_000).optional(),
        source: z.string().max(1000).default('api'),
        parentId: runId.optional(),
        params: z.record(z.string(), z.string()).default({}),
        tags: z.record(z.string(), z.string()).default({}),
        gitCommit: z.string().max(100).nullable().optional(),
        gitDirty: z.boolean().nullable().optional(),
        /** The script's process id: if it dies without ending the run, the run is marked interrupted. */
        pid: z.number().int().min(1).optional(),
      })
      .strict(),
    output: z.object({ runId: z.string() }),
  }),
  'runs.log': method({
    access: 'local',
    summary: 'Log a batch to a run: metric points (NaN and ±Infinity kept), params (write-once), tags and data inputs.',
    input: z
      .object({
        runId,
        metrics: z
          .array(
            z
              .object({
                key: z.string(),
                value: s.metricValue,
                step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
                at: z.string().max(40).optional(),
              })
              .strict(),
          )
          .max(100_000)
          .default([]),
        params: z.record(z.string(), z.string()).default({}),
        tags: z.record(z.string(), z.string()).default({}),
        inputs: z
          .array(s.runInput.partial({ context: true }).strict())
          .max(1000)
          .default([]),
      })
      .strict(),
    output: z.object({ metrics: z.number().int() }),
  }),
  'runs.end': method({
    access: 'local',
    summary: 'End a run with its final status.',
    input: z
      .object({ runId, status: z.enum(['succeeded', 'failed', 'cancelled', 'interrupted']).default('succeeded') })
      .strict(),
    output: z.object({ status: s.runStatus }),
  }),
  'runs.logArtifact': method({
    access: 'local',
    summary: "Copy a file of the project into the cache as one of a run's artifacts.",
    input: z.object({ runId, path: s.projectRelativePath, name: z.string().min(1).max(1024).optional() }).strict(),
    output: s.runArtifact,
  }),
  'runs.artifactPreview': method({
    access: 'read',
    summary: "A look inside one of a run's artifacts: text, the first CSV rows, JSON, or an image (capped in size).",
    input: z.object({ runId, path: z.string().min(1).max(1024) }).strict(),
    output: s.artifactPreview,
  }),
  'runs.importMlflow': method({
    access: 'write',
    summary:
      'Import an MLflow file store (an mlruns folder): experiments, runs with their MLflow ids, params, metrics, tags, artifacts. Runs already imported are skipped.',
    input: z.object({ path: s.folderPath }).strict(),
    output: z.object({
      store: z.string(),
      experiments: z.number().int(),
      experimentsCreated: z.number().int(),
      runs: z.number().int(),
      deletedRuns: z.number().int(),
      params: z.number().int(),
      metricPoints: z.number().int(),
      tags: z.number().int(),
      artifacts: z.number().int(),
      inputs: z.number().int(),
      skipped: z.array(z.string()),
      warnings: z.array(z.string()),
    }),
  }),
});
