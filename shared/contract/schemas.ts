// Runs in: main and renderer. The shapes of the things that cross the contract.
import { z } from 'zod';

/** A folder path as the user typed or picked it; resolved by the core. */
export const folderPath = z
  .string()
  .trim()
  .min(1, 'a folder path is required')
  .max(4096, 'the path is longer than 4096 characters')
  .refine((p) => !p.includes('\0'), 'the path contains a NUL character');

/** A path inside the open project, relative and without `..`: the core re-checks it on disk. */
export const projectRelativePath = z
  .string()
  .min(1, 'a file path is required')
  .max(1024)
  .refine((p) => !p.includes('\0'), 'the path contains a NUL character')
  .refine(
    (p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.startsWith('\\'),
    'the path must be relative to the project folder',
  )
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'the path must stay inside the project folder (no "..")');

export const gitInfo = z.object({
  branch: z.string().nullable(),
  head: z.string().nullable(),
  message: z.string().nullable(),
  commits: z.number().int().nonnegative(),
});

export const projectSummary = z.object({
  path: z.string(),
  name: z.string(),
  isDemo: z.boolean(),
  schemaVersion: z.number().int(),
  git: gitInfo,
});
export type ProjectSummary = z.infer<typeof projectSummary>;

export const recentProject = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.string(),
  exists: z.boolean(),
});
export type RecentProject = z.infer<typeof recentProject>;

export const appInfo = z.object({
  name: z.string(),
  version: z.string(),
  // 'cli': a terminal command driving the core in its own process.
  mode: z.enum(['desktop', 'browser', 'cli']),
  platform: z.string(),
  schemaVersion: z.number().int(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof appInfo>;

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof runStatus>;

export const stageRunStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'up-to-date',
]);
export type StageRunStatus = z.infer<typeof stageRunStatus>;

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

export const dataFile = z.object({
  path: z.string(),
  size: z.number().int(),
  modifiedAt: z.string(),
  rows: z.number().int().nullable(),
  columns: z.array(z.string()),
  gitStatus: z.enum(['committed', 'modified', 'untracked', 'ignored']),
});
export type DataFile = z.infer<typeof dataFile>;
export const dataList = z.object({ folder: z.string(), files: z.array(dataFile) });

export const columnSummary = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('numeric'),
    name: z.string(),
    count: z.number().int(),
    missing: z.number().int(),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    /** Equal-width histogram between min and max. */
    histogram: z.array(z.number().int()),
  }),
  z.object({
    kind: z.literal('categorical'),
    name: z.string(),
    count: z.number().int(),
    missing: z.number().int(),
    /** Most frequent values first, at most 20. */
    top: z.array(z.object({ value: z.string(), count: z.number().int() })),
    distinct: z.number().int(),
  }),
]);
export type ColumnSummary = z.infer<typeof columnSummary>;

export const dataPreview = z.object({
  path: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  totalRows: z.number().int(),
  summaries: z.array(columnSummary),
});
export type DataPreview = z.infer<typeof dataPreview>;

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

export const modelRow = z.object({
  name: z.string(),
  description: z.string(),
  versionCount: z.number().int(),
  latestVersion: z.number().int().nullable(),
  aliases: z.array(z.object({ alias: z.string(), version: z.number().int() })),
  updatedAt: z.string(),
});
export type ModelRow = z.infer<typeof modelRow>;
export const modelsList = z.object({ models: z.array(modelRow) });

export const monitorRow = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  lastStatus: z.enum(['ok', 'warning', 'alert', 'never-run']),
  lastRunAt: z.string().nullable(),
  /** The model reference it watches (NAME@ALIAS, NAME/N), when it names one. */
  model: z.string().nullable(),
  batches: z.number().int(),
  openAlerts: z.number().int(),
});
export type MonitorRow = z.infer<typeof monitorRow>;
export const monitorsList = z.object({ monitors: z.array(monitorRow) });

export const reportKind = z.enum(['drift', 'comparison', 'model-card', 'other']);
export type ReportKind = z.infer<typeof reportKind>;
export const reportRow = z.object({
  path: z.string(),
  name: z.string(),
  /** From the file name's prefix (drift-, compare-, model-card-), else from the kind an HTML page declares. */
  kind: reportKind,
  format: z.enum(['html', 'pdf', 'json']),
  size: z.number().int(),
  modifiedAt: z.string(),
});
export type ReportRow = z.infer<typeof reportRow>;
export const reportsList = z.object({ folder: z.string(), reports: z.array(reportRow) });

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

/** A metric value: any double, NaN and ±Infinity included (they cross HTTP in the wire format). */
export const metricValue = z.custom<number>(
  (v) => typeof v === 'number',
  'expected a number (NaN and ±Infinity allowed)',
);

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

// ---- Tracked data (pointer files, versions, diffs) ----

export const tableColumnType = z.enum(['integer', 'number', 'boolean', 'string', 'datetime', 'empty']);

/** A table's schema summary as a pointer file keeps it. */
export const tableSchema = z
  .object({
    format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
    rows: z.number().int().min(0),
    columns: z.array(z.object({ name: z.string(), type: tableColumnType }).strict()),
  })
  .strict();
export type TableSchema = z.infer<typeof tableSchema>;

/** The content of a `.bt` pointer file. */
export const dataPointer = z
  .object({
    version: z.literal(1),
    kind: z.enum(['file', 'folder']),
    /** The file's sha256; for a folder, the sha256 of its manifest (itself an object in the cache). */
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hash (64 hex digits)'),
    size: z.number().int().min(0),
    files: z.number().int().min(0),
    schema: tableSchema.optional(),
  })
  .strict();
export type DataPointer = z.infer<typeof dataPointer>;

/** How checked-out files reach the workspace (see materialize.ts). */
export const DATA_LINK_MODES = ['copy', 'reflink', 'hardlink', 'symlink'] as const;
export const dataLinkMode = z.enum(DATA_LINK_MODES);
export type DataLinkMode = z.infer<typeof dataLinkMode>;

export const dataStatusRow = z.object({
  path: z.string(),
  pointer: z.string(),
  kind: z.enum(['file', 'folder']).nullable(),
  size: z.number().int().nullable(),
  files: z.number().int().nullable(),
  rows: z.number().int().nullable(),
  /** The pointer's sha256 (a folder's: its manifest's); null when the pointer could not be read. */
  hash: z.string().nullable(),
  /** null when the pointer could not be read (see problem). */
  workspace: z.enum(['unchanged', 'modified', 'deleted']).nullable(),
  inCache: z.boolean(),
  git: z.enum(['new', 'changed', 'committed', 'no-repository']),
  problem: z.string().nullable(),
});
export type DataStatusRow = z.infer<typeof dataStatusRow>;

export const dataVersion = z.object({
  commit: z.string(),
  date: z.string(),
  author: z.string(),
  message: z.string(),
  pointer: dataPointer.nullable(),
  problem: z.string().nullable(),
});
export type DataVersion = z.infer<typeof dataVersion>;

const columnStats = z.object({
  count: z.number().int(),
  nulls: z.number().int(),
  distinct: z.number().int(),
  /** False when `distinct` is an estimate (past 10,000 distinct values a sketch counts them). */
  distinctExact: z.boolean().optional(),
  mean: z.number().nullable(),
  /** Sample standard deviation (n − 1) of the finite values. */
  std: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
const dataDiffSide = z.object({
  rev: z.string(),
  commit: z.string().nullable(),
  hash: z.string().nullable(),
  /** Bytes of the file (a folder: of all its files); null when the path is absent at that rev. */
  size: z.number().int().nullable().optional(),
  kind: z.enum(['file', 'folder']).nullable().optional(),
});

/** What changed between two versions of tracked data: files of a folder, and for tables, down to rows. */
export const dataDiff = z.object({
  path: z.string(),
  from: dataDiffSide,
  to: dataDiffSide,
  identical: z.boolean(),
  /** Why there is no deeper diff, when there is none (Parquet in this build, a file that became a folder…). */
  note: z.string().nullable().optional(),
  files: z
    .object({
      added: z.array(z.object({ path: z.string(), size: z.number().int() })),
      removed: z.array(z.object({ path: z.string(), size: z.number().int() })),
      modified: z.array(z.object({ path: z.string(), sizeBefore: z.number().int(), sizeAfter: z.number().int() })),
      renamed: z.array(z.object({ from: z.string(), to: z.string() })),
      unchanged: z.number().int(),
    })
    .nullable(),
  table: z
    .object({
      format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
      rowsBefore: z.number().int(),
      rowsAfter: z.number().int(),
      columnsAdded: z.array(z.object({ name: z.string(), type: tableColumnType })),
      columnsRemoved: z.array(z.object({ name: z.string(), type: tableColumnType })),
      columnsRetyped: z.array(z.object({ name: z.string(), before: tableColumnType, after: tableColumnType })),
      /** 'key:<column>' when rows were matched by a key column, 'content' otherwise (then a changed row shows as removed + added). */
      matchedBy: z.string(),
      rowsAdded: z.number().int(),
      rowsRemoved: z.number().int(),
      rowsChanged: z.number().int(),
      rowsUnchanged: z.number().int(),
      stats: z.array(z.object({ column: z.string(), before: columnStats.nullable(), after: columnStats.nullable() })),
      /** The columns of the sample rows below (the new version's, then removed columns). */
      header: z.array(z.string()),
      sampleAdded: z.array(z.array(z.string())),
      sampleRemoved: z.array(z.array(z.string())),
      sampleChanged: z.array(
        z.object({
          key: z.string(),
          before: z.array(z.string()),
          after: z.array(z.string()),
          columns: z.array(z.string()),
        }),
      ),
    })
    .nullable(),
});
export type DataDiff = z.infer<typeof dataDiff>;

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

export const dataRemote = z.object({
  name: z.string(),
  /** As written in .benchtop/config.yaml: relative to the project, or absolute. */
  url: z.string(),
  /** The folder it resolves to on this machine. */
  path: z.string(),
  isDefault: z.boolean(),
  /** Whether the folder is there now (a drive may be unplugged). */
  exists: z.boolean(),
});
export type DataRemote = z.infer<typeof dataRemote>;

/** Counts of one push or pull: distinct objects needed, copied now, already on the other side. */
export const dataTransfer = z.object({
  remote: z.string(),
  objects: z.number().int(),
  transferred: z.number().int(),
  present: z.number().int(),
  bytes: z.number().int(),
});
export type DataTransfer = z.infer<typeof dataTransfer>;

export const dataGc = z.object({
  dryRun: z.boolean(),
  objects: z.number().int(),
  kept: z.number().int(),
  removed: z.number().int(),
  bytes: z.number().int(),
  recent: z.number().int(),
  references: z.object({
    commits: z.number().int(),
    workspace: z.number().int(),
    runs: z.number().int(),
    registry: z.number().int(),
  }),
  unreadableManifests: z.number().int(),
});
export type DataGc = z.infer<typeof dataGc>;

/** For each version of a tracked path: the commits holding it, the runs that read it, the models made by those runs. */
export const dataUsage = z.object({
  path: z.string(),
  versions: z.array(
    z.object({
      hash: z.string(),
      commits: z.array(z.object({ commit: z.string(), date: z.string(), message: z.string() })),
      current: z.boolean(),
      runs: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          status: z.string(),
          startedAt: z.string().nullable(),
          gitCommit: z.string().nullable(),
          context: z.string(),
          deleted: z.boolean(),
        }),
      ),
      models: z.array(z.object({ name: z.string(), version: z.number().int(), runId: z.string() })),
    }),
  ),
});
export type DataUsage = z.infer<typeof dataUsage>;

/** A registered model's name: what `NAME@ALIAS` and `models:/NAME/3` start with. */
export const modelName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'a model name is 1–100 letters, digits, "_", "-" or ".", starting with a letter or digit',
  );
/** An alias: any `[A-Za-z0-9_-]` name except the reserved `latest` and `v<digits>` (checked by the core, with the reason). */
export const aliasName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an alias is 1–64 letters, digits, "_" or "-"');
export const modelVersionNumber = z.number().int().min(1);

/** One input column a model expects. Types are the pointer schema's (integer, number, boolean, string, datetime, …). */
export const signatureColumn = z.object({ name: z.string().min(1).max(250), type: z.string().min(1).max(50) }).strict();
export const modelSignature = z
  .object({
    inputs: z.array(signatureColumn).max(10_000),
    /** Where it came from: `given`, or the dataset whose pointer schema it was read from (`data/train.csv@<hash>`). */
    source: z.string().max(2000),
  })
  .strict();
export type ModelSignature = z.infer<typeof modelSignature>;

export const modelDataVersion = z.object({ dataset: z.string(), version: z.string(), context: z.string() });

export const modelVersionSummary = z.object({
  name: z.string(),
  version: z.number().int(),
  aliases: z.array(z.string()),
  format: z.string(),
  size: z.number().int(),
  files: z.number().int(),
  source: z.enum(['run', 'path', 'bundle']),
  runId: z.string().nullable(),
  /** The run's name when it still exists. */
  runName: z.string().nullable(),
  description: z.string(),
  /** The run's metrics when the version was registered (latest value of each). */
  metrics: z.record(z.string(), metricValue),
  archived: z.boolean(),
  createdAt: z.string(),
});
export type ModelVersionSummary = z.infer<typeof modelVersionSummary>;

export const modelVersionDetail = modelVersionSummary.extend({
  artifact: z.object({
    /** The artifact's name in its run, or the path it was registered from. */
    path: z.string(),
    kind: z.enum(['file', 'folder']),
    /** The object in the cache (a folder's manifest for a folder). */
    hash: z.string(),
  }),
  params: z.record(z.string(), z.string()),
  data: z.array(modelDataVersion),
  gitCommit: z.string().nullable(),
  signature: modelSignature.nullable(),
  intendedUse: z.string(),
  limitations: z.string(),
  tags: z.record(z.string(), z.string()),
  /** How the version answers requests: a command reading JSON lines on stdin (see the README). */
  predict: z.string().nullable(),
  archivedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ModelVersionDetail = z.infer<typeof modelVersionDetail>;

export const aliasLogEntry = z.object({
  alias: z.string(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  reason: z.string(),
  at: z.string(),
});
export type AliasLogEntry = z.infer<typeof aliasLogEntry>;

export const modelDetail = z.object({
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  aliases: z.array(z.object({ alias: z.string(), version: z.number().int() })),
  /** Newest first. */
  versions: z.array(modelVersionSummary),
  /** Newest first. */
  aliasLog: z.array(aliasLogEntry),
});
export type ModelDetail = z.infer<typeof modelDetail>;

/**
 * A model version's lineage as a graph: the version → its run → the run's params and metrics → the
 * data versions it read → the commit, and forward to the monitors that watch the model.
 */
export const lineageNode = z.object({
  id: z.string(),
  kind: z.enum(['model', 'run', 'params', 'metrics', 'data', 'commit', 'monitor', 'deployment']),
  label: z.string(),
  /** A second line: a hash, a date, a status, a value. */
  detail: z.string(),
  /** What opening the node goes to: a run id, a dataset path, a model ref, a commit id, a monitor name. */
  ref: z.string().nullable(),
});
export const lineageGraph = z.object({
  nodes: z.array(lineageNode),
  edges: z.array(z.object({ from: z.string(), to: z.string(), label: z.string() })),
});
export type LineageGraph = z.infer<typeof lineageGraph>;
export type LineageNode = z.infer<typeof lineageNode>;

/** Versions of one model side by side: params and metrics (rows flagged where the versions differ), and one metric across them. */
export const modelComparison = z.object({
  name: z.string(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      aliases: z.array(z.string()),
      source: z.enum(['run', 'path', 'bundle']),
      runId: z.string().nullable(),
      runName: z.string().nullable(),
      format: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** One value per version, in the versions' order; null where a version has no such param. */
  params: z.array(z.object({ key: z.string(), values: z.array(z.string().nullable()), differs: z.boolean() })),
  metrics: z.array(z.object({ key: z.string(), values: z.array(metricValue.nullable()), differs: z.boolean() })),
  /** Set when only the differing rows were asked for: how many rows were left out. */
  hiddenSame: z.number().int(),
  /** The metric charted across versions (the asked one, else the first), ascending by version number. */
  series: z
    .object({
      metric: z.string(),
      points: z.array(z.object({ version: z.number().int(), value: metricValue.nullable() })),
    })
    .nullable(),
});
export type ModelComparison = z.infer<typeof modelComparison>;

/** A model card as data: what card.html shows, for the UI and `--format json`. */
export const modelCard = z.object({
  generatedAt: z.string(),
  version: modelVersionDetail,
  lineage: lineageGraph,
});
export type ModelCard = z.infer<typeof modelCard>;

// ---- Drift reports (issue 7). One shape for the report module, the CLI's JSON, monitors and the UI.

export const driftTestName = z.enum([
  'ks',
  'wasserstein',
  'chisquare',
  'z',
  'jensenshannon',
  'psi',
  'kl_div',
  'hellinger',
  'anderson',
  'cramer_von_mises',
  't_test',
  'energy_distance',
]);
export type DriftTestNameContract = z.infer<typeof driftTestName>;
export const driftColumnType = z.enum(['numeric', 'categorical', 'text', 'datetime']);
export const driftColumnRole = z.enum(['feature', 'target', 'prediction', 'id', 'timestamp']);

/** One side's summary of a column. Numeric fields are null for non-numeric columns. */
export const driftColumnSummary = z.object({
  rows: z.number().int(),
  missing: z.number().int(),
  distinct: z.number().int(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** Most frequent values (categorical and text), at most 10. */
  top: z.array(z.object({ value: z.string(), count: z.number().int() })),
});

export const driftColumn = z.object({
  name: z.string(),
  type: driftColumnType,
  /** Inferred, or given by the user (then `typeGiven` is true). */
  typeGiven: z.boolean(),
  role: driftColumnRole,
  /** Null when the column was not tested (text, id, timestamp, all missing); `problem` says why. */
  test: driftTestName.nullable(),
  scoreKind: z.enum(['p_value', 'distance']).nullable(),
  score: metricValue.nullable(),
  statistic: metricValue.nullable(),
  threshold: z.number().nullable(),
  drifted: z.boolean(),
  problem: z.string().nullable(),
  reference: driftColumnSummary,
  current: driftColumnSummary,
  /** Shares per bin for the overlaid histogram (edges for numeric, keys for categorical), null when not drawn. */
  histogram: z
    .object({
      edges: z.array(z.number()).nullable(),
      keys: z.array(z.string()).nullable(),
      reference: z.array(z.number()),
      current: z.array(z.number()),
    })
    .nullable(),
  quality: z.object({
    missingShareReference: z.number(),
    missingShareCurrent: z.number(),
    /** Categories in current that reference never had: how many rows, and a sample of them. */
    newCategoryRows: z.number().int(),
    newCategories: z.array(z.string()),
    /** Share of current values outside the reference's [min, max] (numeric). */
    outOfRangeShare: z.number().nullable(),
    constantReference: z.boolean(),
    constantCurrent: z.boolean(),
  }),
});
export type DriftColumn = z.infer<typeof driftColumn>;

const classMetrics = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});
export const modelPerformance = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('classification'),
    rows: z.number().int(),
    accuracy: z.number(),
    perClass: z.array(classMetrics),
    macro: z.object({ precision: z.number(), recall: z.number(), f1: z.number() }),
    /** Present when a score column was named (binary) or scores per class were given. */
    rocAuc: z.number().nullable(),
    confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
  }),
  z.object({
    kind: z.literal('regression'),
    rows: z.number().int(),
    mae: z.number(),
    rmse: z.number(),
    mape: z.number().nullable(),
    r2: z.number().nullable(),
  }),
]);
export type ModelPerformance = z.infer<typeof modelPerformance>;

export const driftSource = z.object({
  /** What the user named: a file path, `data/x.csv@REV` (a tracked version), `run:ID/artifact`, or `predictions:MODEL`. */
  label: z.string(),
  rows: z.number().int(),
  columns: z.number().int(),
  /** The content's sha256 when known. */
  hash: z.string().nullable(),
});

export const driftReport = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  reference: driftSource,
  current: driftSource,
  summary: z.object({
    columns: z.number().int(),
    tested: z.number().int(),
    drifted: z.number().int(),
    share: z.number(),
    /** Dataset drift when share ≥ this (0.5 by default). */
    shareThreshold: z.number(),
    datasetDrift: z.boolean(),
  }),
  columns: z.array(driftColumn),
  /** Columns present on one side only: reported, not a crash. */
  onlyInReference: z.array(z.string()),
  onlyInCurrent: z.array(z.string()),
  /** Whole-file problems that did not stop the report (ragged rows skipped, non-UTF-8 bytes replaced, …). */
  problems: z.array(z.object({ source: z.enum(['reference', 'current']), message: z.string() })),
  performance: z.object({ reference: modelPerformance, current: modelPerformance }).nullable(),
});
export type DriftReport = z.infer<typeof driftReport>;

/** What a drift report is asked for. Paths are project-relative or absolute; refs as in driftSource.label. */
export const driftRequest = z
  .object({
    reference: z.string().min(1).max(2000),
    current: z.string().min(1).max(2000),
    target: z.string().max(250).optional(),
    prediction: z.string().max(250).optional(),
    /** Binary classification: the column with the positive class's score, for ROC AUC. */
    score: z.string().max(250).optional(),
    id: z.string().max(250).optional(),
    timestamp: z.string().max(250).optional(),
    /** Per column: the test to use, its threshold, or its type. */
    columns: z
      .record(
        z.string().max(250),
        z
          .object({
            test: driftTestName.optional(),
            threshold: z.number().min(0).optional(),
            type: driftColumnType.optional(),
          })
          .strict(),
      )
      .default({}),
    /** Columns to leave out. */
    exclude: z.array(z.string().max(250)).max(10_000).default([]),
    shareThreshold: z.number().min(0).max(1).default(0.5),
  })
  .strict();
export type DriftRequest = z.infer<typeof driftRequest>;

/** A window of a model's prediction log: a calendar hour, day or week (UTC), or a number of records. */
export const predictionWindow = z.union([z.enum(['hour', 'day', 'week']), z.number().int().min(1).max(10_000_000)]);
export type PredictionWindow = z.infer<typeof predictionWindow>;
export const predictionSource = z.object({ model: z.string().min(1).max(300), window: predictionWindow }).strict();
export type PredictionSource = z.infer<typeof predictionSource>;

/** Per window, from the endpoint's request log. An error is a request answered with status 500 or more. */
export const servingMetrics = z.object({
  requests: z.number().int(),
  errors: z.number().int(),
  /** errors / requests; null without requests. */
  error_rate: z.number().nullable(),
  /** Milliseconds, linear interpolation between ranks (NumPy's default); null without requests. */
  latency_p50: z.number().nullable(),
  latency_p95: z.number().nullable(),
  latency_p99: z.number().nullable(),
});
export type ServingMetrics = z.infer<typeof servingMetrics>;

export const monitorName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (at most 100)');

/** What a monitor is: kept as its config JSON. Paths are project-relative (or absolute outside the project). */
export const monitorConfig = z.object({
  /** The model it watches (NAME@ALIAS or NAME/N), or null. */
  model: z.string().nullable(),
  reference: z.string(),
  /** Every CSV/TSV/JSONL/Parquet file in this folder is a batch, in name order; or null with `files`. */
  folder: z.string().nullable(),
  files: z.array(z.string()),
  /** Batches from a model's prediction log instead of files: one per closed window (folder null, files empty). */
  predictions: predictionSource.optional(),
  target: z.string().optional(),
  prediction: z.string().optional(),
  score: z.string().optional(),
  id: z.string().optional(),
  timestamp: z.string().optional(),
  columns: z.record(
    z.string(),
    z
      .object({
        test: driftTestName.optional(),
        threshold: z.number().min(0).optional(),
        type: driftColumnType.optional(),
      })
      .strict(),
  ),
  exclude: z.array(z.string()),
  shareThreshold: z.number(),
  /** Alert rules, as written canonically (see the README's rule grammar). */
  rules: z.array(z.string()),
  /** Every alert starts the pipeline (besides rules that say `retrain`). */
  retrain: z.boolean(),
});
export type MonitorConfig = z.infer<typeof monitorConfig>;

export const monitorAddInput = z
  .object({
    name: monitorName,
    model: z.string().min(1).max(300).optional(),
    reference: z.string().min(1).max(2000),
    folder: z.string().min(1).max(2000).optional(),
    files: z.array(z.string().min(1).max(2000)).max(10_000).optional(),
    predictions: predictionSource.optional(),
    target: z.string().max(250).optional(),
    prediction: z.string().max(250).optional(),
    score: z.string().max(250).optional(),
    id: z.string().max(250).optional(),
    timestamp: z.string().max(250).optional(),
    columns: z
      .record(
        z.string().max(250),
        z
          .object({
            test: driftTestName.optional(),
            threshold: z.number().min(0).optional(),
            type: driftColumnType.optional(),
          })
          .strict(),
      )
      .default({}),
    exclude: z.array(z.string().max(250)).max(10_000).default([]),
    shareThreshold: z.number().min(0).max(1).default(0.5),
    rules: z.array(z.string().min(1).max(500)).max(100).default([]),
    retrain: z.boolean().default(false),
  })
  .strict();
export type MonitorAddInput = z.input<typeof monitorAddInput>;

/** One checked batch on a monitor's timeline. */
export const monitorBatch = z.object({
  id: z.number().int(),
  label: z.string(),
  path: z.string(),
  hash: z.string(),
  checkedAt: z.string(),
  rows: z.number().int(),
  share: z.number(),
  shareThreshold: z.number(),
  datasetDrift: z.boolean(),
  drifted: z.number().int(),
  tested: z.number().int(),
  /** Each tested column's score against its threshold. */
  columns: z.array(
    z.object({
      name: z.string(),
      test: driftTestName.nullable(),
      scoreKind: z.enum(['p_value', 'distance']).nullable(),
      score: metricValue.nullable(),
      threshold: z.number().nullable(),
      drifted: z.boolean(),
    }),
  ),
  /** The model's metrics on this batch (accuracy, f1 … or mae, rmse …), when target and prediction are named. */
  performance: z
    .object({ kind: z.enum(['classification', 'regression']), metrics: z.record(z.string(), z.number().nullable()) })
    .nullable(),
  /** The HTML report written for it, under reports/. */
  report: z.string().nullable(),
  /** How the endpoint served the window (prediction-log monitors only). */
  serving: servingMetrics.nullable().optional(),
});
export type MonitorBatch = z.infer<typeof monitorBatch>;

export const monitorAlert = z.object({
  id: z.number().int(),
  monitor: z.string(),
  batchId: z.number().int().nullable(),
  batch: z.string().nullable(),
  rule: z.string(),
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  at: z.string(),
  acknowledgedAt: z.string().nullable(),
  /** The pipeline run the alert started, when it retrained. */
  runId: z.string().nullable(),
});
export type MonitorAlert = z.infer<typeof monitorAlert>;

export const monitorDetail = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  createdAt: z.string(),
  config: monitorConfig,
  /** The timeline, oldest batch first. */
  batches: z.array(monitorBatch),
  /** Newest first. */
  alerts: z.array(monitorAlert),
});
export type MonitorDetail = z.infer<typeof monitorDetail>;

export const monitorCheckResult = z.object({
  monitor: z.string(),
  /** Batches checked now, in order. */
  batches: z.array(monitorBatch),
  /** Batches already checked with the same content. */
  unchanged: z.number().int(),
  /** Batches that could not be read this time (not recorded: tried again on the next check). */
  failed: z.array(z.object({ label: z.string(), path: z.string(), message: z.string() })),
  alerts: z.array(monitorAlert),
  /** The pipeline run started by an alert, and why it could not start when it could not. */
  runId: z.string().nullable(),
  retrainError: z.string().nullable(),
});
export type MonitorCheckResult = z.infer<typeof monitorCheckResult>;

// ---- Prediction logs (issue 8): a monitor source, ground truth joined from a file, exports.

export const predictionLabelInput = z
  .object({
    model: z.string().min(1).max(300),
    /** A CSV, TSV, JSONL or Parquet file, project-relative or absolute. */
    file: z.string().min(1).max(2000),
    idColumn: z.string().min(1).max(250),
    targetColumn: z.string().min(1).max(250),
    /** Replace labels already joined with a different value. */
    force: z.boolean().default(false),
  })
  .strict();
export type PredictionLabelInput = z.input<typeof predictionLabelInput>;

export const predictionLabelResult = z.object({
  model: z.string(),
  file: z.string(),
  /** IDs in the file: with a value, and skipped for an empty target cell. */
  ids: z.number().int(),
  emptyTargets: z.number().int(),
  /** IDs of the file that matched logged predictions, and how many prediction rows they labeled. */
  matched: z.number().int(),
  labeledPredictions: z.number().int(),
  /** IDs of the file with no logged prediction of this model, and a few of them. */
  unmatched: z.number().int(),
  unmatchedSample: z.array(z.string()),
  /** Predictions that already had this very label (left as they were). */
  alreadyLabeled: z.number().int(),
  /** Predictions whose different label was replaced (with force). */
  relabeled: z.number().int(),
});
export type PredictionLabelResult = z.infer<typeof predictionLabelResult>;

export const predictionExportInput = z
  .object({
    model: z.string().min(1).max(300),
    /** ISO times (a date alone is midnight UTC); since inclusive, until exclusive. */
    since: z.string().max(40).optional(),
    until: z.string().max(40).optional(),
    /** Project-relative CSV path; never over an existing file. Default: exports/predictions-MODEL-DATE.csv. */
    file: z.string().min(1).max(300).optional(),
  })
  .strict();
export type PredictionExportInput = z.input<typeof predictionExportInput>;
export const predictionExportResult = z.object({
  path: z.string(),
  rows: z.number().int(),
  size: z.number().int(),
  columns: z.array(z.string()),
});
export type PredictionExportResult = z.infer<typeof predictionExportResult>;
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

/** Where the guided tour was left in the open project; which steps are done is derived from the project. */
export const tourState = z.object({
  /** The step the user is on (0 = the first). */
  step: z.number().int().min(0),
  open: z.boolean(),
  /** False until the tour is first opened or closed here (a demo project then opens it by default). */
  started: z.boolean(),
});
export type TourState = z.infer<typeof tourState>;

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
