// Runs in: main and renderer (shared). The contract for experiments and runs: search, edit, and
// what scripts log: each method's summary, lock access (see common.ts) and input and output
// schemas, and the shapes those use.
import { z } from 'zod';
import {
  domainMethods,
  folderPath,
  method,
  metricValue,
  none,
  projectRelativePath,
  runId,
  runIds,
  runStatus,
} from './common';
import { stageRunRow } from './pipelines';

export const experimentRow = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  runCount: z.number().int(),
  lastRunAt: z.string().nullable(),
});

export const runRow = z.object({
  id: z.string(),
  experimentId: z.number().int(),
  name: z.string(),
  status: runStatus,
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});

export const experimentsList = z.object({ experiments: z.array(experimentRow), recentRuns: z.array(runRow) });

export type ExperimentsList = z.infer<typeof experimentsList>;

export const runSearchRow = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  experiment: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  duration: z.number().nullable(),
  params: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), metricValue),
  tags: z.record(z.string(), z.string()),
  starred: z.boolean(),
  source: z.string(),
});

export type RunSearchRow = z.infer<typeof runSearchRow>;

export const runArtifact = z.object({
  path: z.string(),
  /** Pipeline stage that wrote it; '' for artifacts logged outside a stage. */
  stage: z.string(),
  role: z.enum(['dep', 'out', 'artifact']),
  hash: z.string().nullable(),
  size: z.number().int().nullable(),
  type: z.string().nullable(),
});

export type RunArtifact = z.infer<typeof runArtifact>;

/** What taking in the inbox did: the runs it wrote to, and each line it skipped (file:line: why). */
export const inboxIngest = z.object({
  runs: z.array(z.string()),
  files: z.number().int(),
  lines: z.number().int(),
  warnings: z.array(z.string()),
});

export type InboxIngest = z.infer<typeof inboxIngest>;

export const runInput = z.object({ dataset: z.string(), version: z.string(), context: z.string() });

export const runDetail = z.object({
  id: z.string(),
  name: z.string(),
  status: runStatus,
  experiment: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  duration: z.number().nullable(),
  source: z.string(),
  kind: z.enum(['script', 'pipeline']),
  trigger: z.string(),
  gitCommit: z.string().nullable(),
  gitDirty: z.boolean().nullable(),
  parentId: z.string().nullable(),
  children: z.array(z.string()),
  notes: z.string(),
  starred: z.boolean(),
  deleted: z.boolean(),
  params: z.record(z.string(), z.string()),
  metrics: z.array(
    z.object({ key: z.string(), value: metricValue, step: z.number().int(), at: z.string(), points: z.number().int() }),
  ),
  tags: z.record(z.string(), z.string()),
  artifacts: z.array(runArtifact),
  inputs: z.array(runInput),
  stages: z.array(stageRunRow),
});

export type RunDetail = z.infer<typeof runDetail>;

export const runKeys = z.object({
  params: z.array(z.string()),
  metrics: z.array(z.string()),
  tags: z.array(z.string()),
});

export type RunKeys = z.infer<typeof runKeys>;

/** One run's series of one metric, downsampled: parallel arrays (step, wall time in ms, value). */
export const metricSeries = z.object({
  runId: z.string(),
  key: z.string(),
  /** Points logged, before downsampling. */
  total: z.number().int(),
  /** Points that were NaN or ±Infinity (not drawable, left out of the arrays). */
  nonFinite: z.number().int(),
  steps: z.array(z.number()),
  times: z.array(z.number()),
  values: z.array(z.number()),
});

export type MetricSeries = z.infer<typeof metricSeries>;

/** What `benchtop runs show` prints beside a run's params and metrics. */
export const runProvenance = z.object({
  stages: z.array(
    z.object({ stage: z.string(), status: z.string(), reason: z.string(), durationMs: z.number().nullable() }),
  ),
  artifacts: z.array(z.object({ stage: z.string(), role: z.string(), path: z.string(), hash: z.string().nullable() })),
  /** Points logged per metric key. */
  points: z.array(z.object({ key: z.string(), n: z.number().int() })),
  gitCommit: z.string().nullable(),
  trigger: z.string(),
});

export type RunProvenance = z.infer<typeof runProvenance>;

/** Runs side by side; each row's values are in the runs' order, null where a run lacks the key. */
export const runComparison = z.object({
  runs: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      experiment: z.string(),
      startTime: z.string().nullable(),
      duration: z.number().nullable(),
      gitCommit: z.string().nullable(),
    }),
  ),
  params: z.array(z.object({ key: z.string(), values: z.array(z.string().nullable()), differs: z.boolean() })),
  metrics: z.array(z.object({ key: z.string(), values: z.array(metricValue.nullable()), differs: z.boolean() })),
});

export type RunComparison = z.infer<typeof runComparison>;

// ---- Records for other tracking protocols (MLflow's REST API) ----

export const experimentRecord = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  /** The latest start of one of its runs, or its creation when it has none. */
  updatedAt: z.string(),
});

export type ExperimentRecord = z.infer<typeof experimentRecord>;

export const metricRecord = z.object({ key: z.string(), value: metricValue, step: z.number().int(), at: z.string() });

export type MetricRecord = z.infer<typeof metricRecord>;

/** A run whole, with each latest metric's step and time and the experiment's id. */
export const runRecord = z.object({
  id: z.string(),
  name: z.string(),
  status: runStatus,
  experimentId: z.number().int(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  deleted: z.boolean(),
  gitCommit: z.string().nullable(),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  metrics: z.array(metricRecord),
  inputs: z.array(runInput),
});

export type RunRecord = z.infer<typeof runRecord>;

/** An entry directly inside a folder of a run's artifacts: a file, or a folder leading deeper. */
export const artifactEntry = z.object({ path: z.string(), isDir: z.boolean(), size: z.number().int().optional() });

// ---- Tracked data (pointer files, versions, diffs) ----

/** A capped look inside a run's artifact: text, CSV rows, JSON, an image, or why there is none. */
const previewNote = { /** Set when the preview is not the run's own copy. */ note: z.string().optional() };

export const artifactPreview = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    size: z.number().int(),
    text: z.string(),
    truncated: z.boolean(),
    ...previewNote,
  }),
  z.object({
    kind: z.literal('json'),
    size: z.number().int(),
    text: z.string(),
    truncated: z.boolean(),
    ...previewNote,
  }),
  z.object({
    kind: z.literal('csv'),
    size: z.number().int(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    truncated: z.boolean(),
    ...previewNote,
  }),
  z.object({ kind: z.literal('image'), size: z.number().int(), mime: z.string(), dataUrl: z.string(), ...previewNote }),
  z.object({ kind: z.literal('none'), size: z.number().int(), reason: z.string(), ...previewNote }),
]);

export type ArtifactPreview = z.infer<typeof artifactPreview>;

// ---- Data remotes, transfers, garbage collection, lineage ----

export const trackingMethods = domainMethods<`experiments.${string}` | `runs.${string}`>()({
  'experiments.list': method({
    access: 'read',
    summary: 'Experiments and the most recent runs.',
    input: none,
    output: experimentsList,
  }),
  'runs.search': method({
    access: 'read',
    summary: "Runs matching a query (`metrics.accuracy > 0.9 and params.model = 'rf'`), sorted by any field.",
    input: z
      .object({
        // Long enough for an MLflow filter translated with a list of experiment names.
        filter: z.string().max(100_000).default(''),
        sort: z.string().max(300).default('-start_time'),
        limit: z.number().int().min(1).max(100_000).default(1000),
        deleted: z.enum(['hide', 'include', 'only']).default('hide'),
        /** Matching runs skipped before the first one returned (paging). */
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      })
      .strict(),
    output: z.object({ runs: z.array(runSearchRow) }),
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
    output: runDetail,
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
    output: runDetail,
  }),
  'runs.keys': method({
    access: 'read',
    summary: 'Param, metric and tag keys in use, for completion.',
    input: none,
    output: runKeys,
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
    output: z.object({ series: z.array(metricSeries) }),
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
        /** A run id the caller chose (the helpers do while no server runs, to log to it before it exists here). */
        id: runId.optional(),
        params: z.record(z.string(), z.string()).default({}),
        tags: z.record(z.string(), z.string()).default({}),
        gitCommit: z.string().max(100).nullable().optional(),
        gitDirty: z.boolean().nullable().optional(),
        /** The script's process id: if it dies without ending the run, the run is marked interrupted. */
        pid: z.number().int().min(1).optional(),
        /** When the run started (an ISO time); now when left out. */
        startedAt: z.string().max(40).optional(),
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
                value: metricValue,
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
          .array(runInput.partial({ context: true }).strict())
          .max(1000)
          .default([]),
        /** A new name for the run, set after the rest of the batch (MLflow clients rename through a tag). */
        name: z.string().max(10_000).optional(),
        /** Tags to remove, after the tags set. */
        deleteTags: z.array(z.string().max(10_000)).max(1000).optional(),
      })
      .strict(),
    output: z.object({ metrics: z.number().int() }),
  }),
  'runs.end': method({
    access: 'local',
    summary: 'End a run with its final status (and, when given, its end time and a new name).',
    input: z
      .object({
        runId,
        status: z.enum(['succeeded', 'failed', 'cancelled', 'interrupted']).default('succeeded'),
        /** When it ended (an ISO time); now when left out. */
        at: z.string().max(40).optional(),
        /** A new name, set in the same transaction as the end. */
        name: z.string().max(10_000).optional(),
      })
      .strict(),
    output: z.object({ status: runStatus }),
  }),
  'runs.logArtifact': method({
    access: 'local',
    summary: "Copy a file of the project into the cache as one of a run's artifacts.",
    input: z.object({ runId, path: projectRelativePath, name: z.string().min(1).max(1024).optional() }).strict(),
    output: runArtifact,
  }),
  'runs.artifactPreview': method({
    access: 'read',
    summary: "A look inside one of a run's artifacts: text, the first CSV rows, JSON, or an image (capped in size).",
    input: z.object({ runId, path: z.string().min(1).max(1024) }).strict(),
    output: artifactPreview,
  }),
  'runs.importMlflow': method({
    access: 'write',
    summary:
      'Import an MLflow file store (an mlruns folder): experiments, runs with their MLflow ids, params, metrics, tags, artifacts. Runs already imported are skipped.',
    input: z.object({ path: folderPath }).strict(),
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
  'runs.provenance': method({
    access: 'read',
    summary:
      "Where a run came from: its stages, the files it read and wrote (by hash), each metric's point count, its commit and trigger.",
    input: z.object({ id: runId }).strict(),
    output: runProvenance,
  }),
  'runs.compare': method({
    access: 'read',
    summary: 'Runs side by side: their fields, and params and latest metrics with what differs flagged.',
    // At most 50 are compared; the handler says so in its own words, with the other id checks.
    input: z.object({ ids: z.array(runId).min(1).max(1000) }).strict(),
    output: runComparison,
  }),
  'runs.compareReport': method({
    access: 'read',
    summary:
      'Write a self-contained HTML report comparing runs to a file named by the caller (absolute, or relative to the project folder); never over an existing file.',
    input: z
      .object({
        ids: z.array(runId).min(1).max(1000),
        file: z.string().min(1).max(4096),
        /** The metric that params are plotted against; the first one when left out. */
        metric: z.string().min(1).max(250).optional(),
      })
      .strict(),
    output: z.object({ file: z.string(), size: z.number().int() }),
  }),
  'experiments.create': method({
    access: 'local',
    summary: 'Create an experiment (MLflow clients do); a name already taken is refused.',
    input: z.object({ name: z.string().max(100_000), description: z.string().max(1_000_000).default('') }).strict(),
    output: z.object({ id: z.number().int() }),
  }),
  'experiments.get': method({
    access: 'read',
    summary: 'One experiment, by id or by name.',
    input: z
      .object({
        id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
        name: z.string().max(100_000).optional(),
      })
      .strict()
      .refine((q) => (q.id === undefined) !== (q.name === undefined), 'give either id or name'),
    output: experimentRecord,
  }),
  'experiments.search': method({
    access: 'read',
    summary: 'Experiments whose names match all the conditions, sorted and paged.',
    input: z
      .object({
        /** `like` is SQL LIKE (case-insensitive for ASCII). */
        names: z
          .array(z.object({ op: z.enum(['=', '!=', 'like', 'not like']), value: z.string().max(100_000) }).strict())
          .max(100)
          .default([]),
        orderBy: z.enum(['name', 'created', 'updated', 'id']).default('updated'),
        ascending: z.boolean().default(false),
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
        limit: z.number().int().min(1).max(100_001),
      })
      .strict(),
    output: z.object({ experiments: z.array(experimentRecord) }),
  }),
  'runs.records': method({
    access: 'read',
    summary:
      'Runs as records (experiment id, latest metrics with step and time), in the order asked; unknown ids left out.',
    input: z.object({ ids: z.array(runId).max(100_001) }).strict(),
    output: z.object({ runs: z.array(runRecord) }),
  }),
  'runs.metricPoints': method({
    access: 'read',
    summary: 'Every point of one metric of a run, in step order, unsampled; a page of them when asked.',
    input: z
      .object({
        runId,
        key: z.string().max(100_000),
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
        limit: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
      })
      .strict(),
    output: z.object({ metrics: z.array(metricRecord) }),
  }),
  'runs.artifactEntries': method({
    access: 'read',
    summary: "The entries directly inside a folder of a run's logged artifacts ('' for the top).",
    input: z
      .object({
        runId,
        dir: z
          .string()
          .max(1024)
          .refine((p) => !p.includes('\0'), 'the path contains a NUL character')
          .default(''),
      })
      .strict(),
    output: z.object({ entries: z.array(artifactEntry) }),
  }),
  'runs.artifactFile': method({
    access: 'read',
    summary:
      "Where the cached bytes of one of a run's artifacts are, after checking them against their hash (for a download).",
    input: z.object({ runId, path: z.string().min(1).max(4096) }).strict(),
    output: z.object({ file: z.string(), size: z.number().int(), hash: z.string() }),
  }),
  'runs.logUpload': method({
    access: 'local',
    summary:
      "Copy an uploaded file (streamed by the server into the project's upload folder, named by its token) into the cache as one of a run's artifacts.",
    input: z
      .object({
        runId,
        /** The upload's file name in .benchtop/tmp/uploads: a random hex token, so no path. */
        upload: z.string().regex(/^[0-9a-f]{16,64}$/, 'an upload token is 16 to 64 hex digits'),
        name: z.string().min(1).max(1024),
      })
      .strict(),
    output: runArtifact,
  }),
  'runs.ingestInbox': method({
    access: 'write',
    summary:
      "Take in what the helpers logged while no Benchtop server ran (.benchtop/inbox/): each line once, a live script's up to its last whole line.",
    input: none,
    output: inboxIngest,
  }),
});
