// Runs in: main and renderer. The contract: every method's name, input schema and output schema.
import { z } from 'zod';
import type { MethodName } from './names';
import * as s from './schemas';

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  input: I;
  output: O;
}

function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

const none = z.object({}).strict();
const runIds = z.array(z.string().min(1).max(200)).min(1).max(10_000);
const runId = z.string().min(1).max(200);

export const methods = {
  'app.info': method({
    summary: 'Name, version, mode and schema version of this Benchtop.',
    input: none,
    output: s.appInfo,
  }),
  'project.current': method({
    summary: 'The open project, or null.',
    input: none,
    output: s.projectSummary.nullable(),
  }),
  'project.recent': method({
    summary: 'Recently opened projects, newest first.',
    input: none,
    output: z.array(s.recentProject),
  }),
  'project.open': method({
    summary: 'Open an existing Benchtop project folder.',
    input: z.object({ path: s.folderPath }).strict(),
    output: s.projectSummary,
  }),
  'project.init': method({
    summary: 'Create a project in a folder (or adopt the git repository there) and open it.',
    input: z.object({ path: s.folderPath, demo: z.boolean().default(false) }).strict(),
    output: s.projectSummary,
  }),
  'project.chooseFolder': method({
    summary: 'Ask the user for a folder with the native dialog (desktop only).',
    input: none,
    output: z.object({ supported: z.boolean(), path: z.string().nullable() }),
  }),
  'project.doctor': method({
    summary:
      'Check the open project: database, cache objects, pointers and orphan temp files; with fix, remove temp files and move corrupt objects to the quarantine.',
    input: z.object({ fix: z.boolean().default(false), quick: z.boolean().default(false) }).strict(),
    output: z.object({
      ok: z.boolean(),
      problems: z.array(
        z.object({
          area: z.enum(['database', 'cache', 'pointers', 'temp']),
          path: z.string(),
          problem: z.string(),
          fix: z.string(),
          fixable: z.boolean(),
          fixed: z.boolean(),
        }),
      ),
      checked: z.object({
        database: z.boolean(),
        objects: z.number().int(),
        hashed: z.number().int(),
        pointers: z.number().int(),
        tempFiles: z.number().int(),
      }),
    }),
  }),
  'experiments.list': method({
    summary: 'Experiments and the most recent runs.',
    input: none,
    output: s.experimentsList,
  }),
  'runs.search': method({
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
    summary: 'Delete runs: hidden, and restorable until purged.',
    input: z.object({ ids: runIds }).strict(),
    output: z.object({ changed: z.number().int() }),
  }),
  'runs.restore': method({
    summary: 'Bring deleted runs back.',
    input: z.object({ ids: runIds }).strict(),
    output: z.object({ changed: z.number().int() }),
  }),
  'runs.purge': method({
    summary: 'Remove deleted runs for good (all deleted runs when no ids are given).',
    input: z.object({ ids: runIds.optional() }).strict(),
    output: z.object({ changed: z.number().int() }),
  }),
  'runs.get': method({
    summary: 'One run whole: fields, params, latest metrics, tags, notes, artifacts, data inputs, stages.',
    input: z.object({ id: runId }).strict(),
    output: s.runDetail,
  }),
  'runs.update': method({
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
    summary: 'Param, metric and tag keys in use, for completion.',
    input: none,
    output: s.runKeys,
  }),
  'runs.history': method({
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
    summary: 'End a run with its final status.',
    input: z
      .object({ runId, status: z.enum(['succeeded', 'failed', 'cancelled', 'interrupted']).default('succeeded') })
      .strict(),
    output: z.object({ status: s.runStatus }),
  }),
  'runs.logArtifact': method({
    summary: "Copy a file of the project into the cache as one of a run's artifacts.",
    input: z.object({ runId, path: s.projectRelativePath, name: z.string().min(1).max(1024).optional() }).strict(),
    output: s.runArtifact,
  }),
  'runs.artifactPreview': method({
    summary: "A look inside one of a run's artifacts: text, the first CSV rows, JSON, or an image (capped in size).",
    input: z.object({ runId, path: z.string().min(1).max(1024) }).strict(),
    output: s.artifactPreview,
  }),
  'runs.importMlflow': method({
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
  'data.list': method({ summary: 'Data files of the project.', input: none, output: s.dataList }),
  'data.preview': method({
    summary: 'First rows and per-column summaries of one CSV file.',
    input: z.object({ path: s.projectRelativePath, limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    output: s.dataPreview,
  }),
  'data.tracked': method({
    summary: 'Tracked data: each pointer with its workspace state (unchanged, modified, deleted), cache and git state.',
    input: none,
    output: z.object({ items: z.array(s.dataStatusRow) }),
  }),
  'data.add': method({
    summary:
      'Track files or folders (or record a new version of tracked ones): content into the cache, a .bt pointer staged in git.',
    input: z.object({ paths: z.array(s.projectRelativePath).min(1).max(1000) }).strict(),
    output: z.object({
      results: z.array(
        z.object({
          path: z.string(),
          pointer: z.string(),
          status: z.enum(['added', 'updated', 'unchanged']),
          data: s.dataPointer,
        }),
      ),
    }),
  }),
  'data.commit': method({
    summary: 'Commit the changed pointers to git as a new data version.',
    input: z.object({ message: z.string().trim().min(1, 'a commit needs a message').max(10_000) }).strict(),
    output: z.object({ commit: z.string().nullable(), pointers: z.array(z.string()) }),
  }),
  'data.log': method({
    summary: 'Versions of one tracked path, newest first.',
    input: z.object({ path: s.projectRelativePath }).strict(),
    output: z.object({ versions: z.array(s.dataVersion) }),
  }),
  'data.checkout': method({
    summary:
      'Restore the data of a version (all tracked data, or the paths named); unsaved changes are refused unless forced.',
    input: z
      .object({
        rev: z.string().min(1).max(200),
        paths: z.array(s.projectRelativePath).max(1000).default([]),
        force: z.boolean().default(false),
        /** How files reach the workspace; the project's `data.link` setting (else copy) when absent. */
        link: s.dataLinkMode.optional(),
        /** Rehash every object, even those unchanged since their bytes last matched (`--verify`). */
        verify: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      commit: z.string(),
      restored: z.array(z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
      unchanged: z.array(z.string()),
      /** How many files were placed each way (a reflink or a link can fall back to a copy). */
      placed: z.record(s.dataLinkMode, z.number().int()),
      /** Objects checked by hashing their bytes, and by their verification record. */
      hashed: z.number().int(),
      trusted: z.number().int(),
    }),
  }),
  'data.unlink': method({
    summary:
      'Turn the hardlinks and symlinks into the cache of tracked paths back into plain, writable copies (each verified against its hash).',
    input: z.object({ paths: z.array(s.projectRelativePath).min(1).max(1000) }).strict(),
    output: z.object({ results: z.array(z.object({ path: z.string(), copied: z.number().int() })) }),
  }),
  'data.diff': method({
    summary:
      'What changed in one tracked path between two revs (a commit, its first digits, a branch, a tag, or `workspace`): files of a folder, rows and column statistics of a table.',
    input: z
      .object({
        from: z.string().min(1).max(200),
        to: z.string().min(1).max(200),
        path: s.projectRelativePath,
        /** Match rows by this column (unique in both versions); by whole-row content when absent. */
        key: z.string().min(1).max(1000).optional(),
      })
      .strict(),
    output: s.dataDiff,
  }),
  'data.remotes': method({
    summary: 'Data remotes of the project (folders on a disk, NAS or USB drive) and which one is the default.',
    input: none,
    output: z.object({ remotes: z.array(s.dataRemote) }),
  }),
  'data.remoteAdd': method({
    summary:
      'Add a data remote: a folder outside the project, created when missing; relative paths are relative to the project.',
    input: z
      .object({
        name: z.string().min(1).max(100),
        path: z.string().min(1).max(4096),
        default: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ remotes: z.array(s.dataRemote) }),
  }),
  'data.remoteRemove': method({
    summary: 'Forget a data remote (its folder and objects stay).',
    input: z.object({ name: z.string().min(1).max(100) }).strict(),
    output: z.object({ remotes: z.array(s.dataRemote) }),
  }),
  'data.push': method({
    summary:
      'Send the cache objects of tracked data (all, or the paths named) that the remote lacks; each is verified before it is kept.',
    input: z
      .object({
        remote: z.string().min(1).max(100).optional(),
        paths: z.array(s.projectRelativePath).max(1000).default([]),
      })
      .strict(),
    output: s.dataTransfer,
  }),
  'data.pull': method({
    summary:
      "Fetch the objects of tracked data the cache lacks from a remote (verified), then check out the working tree's pointers; unsaved changes are refused unless forced.",
    input: z
      .object({
        remote: z.string().min(1).max(100).optional(),
        paths: z.array(s.projectRelativePath).max(1000).default([]),
        checkout: z.boolean().default(true),
        force: z.boolean().default(false),
      })
      .strict(),
    output: s.dataTransfer.extend({
      checkout: z
        .object({
          restored: z.array(z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
          unchanged: z.array(z.string()),
        })
        .nullable(),
    }),
  }),
  'data.gc': method({
    summary:
      'Remove cache objects that no commit, working-tree pointer, run or registered model refers to (or, with dryRun, count them).',
    input: z
      .object({ dryRun: z.boolean().default(false), graceMinutes: z.number().min(0).max(525_600).default(10) })
      .strict(),
    output: s.dataGc,
  }),
  'data.usage': method({
    summary:
      'For each version of a tracked path: its commits, the runs that read it and the model versions those runs made.',
    input: z.object({ path: s.projectRelativePath }).strict(),
    output: s.dataUsage,
  }),
  'pipelines.get': method({
    summary: 'The stages of benchtop.yaml, or the problem with it.',
    input: none,
    output: s.pipelineView,
  }),
  'pipelines.status': method({
    summary: 'Which stages would run, and why, without running anything.',
    input: none,
    output: s.pipelineStatus,
  }),
  'pipelines.run': method({
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
    summary: "Cancel a running pipeline run: its stages' process trees are ended.",
    input: z.object({ runId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'pipelines.runs': method({
    summary: 'Recent pipeline runs with their stages, newest first.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(20) }).strict(),
    output: z.object({ runs: z.array(s.pipelineRunRow) }),
  }),
  'pipelines.log': method({
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
  'models.list': method({
    summary: 'Registered models with their versions and aliases.',
    input: none,
    output: s.modelsList,
  }),
  'models.get': method({
    summary: 'One registered model: its versions (newest first), aliases and the alias audit log.',
    input: z.object({ name: s.modelName }).strict(),
    output: s.modelDetail,
  }),
  'models.version': method({
    summary:
      'One model version with its lineage: run, params and metrics snapshot, data versions, commit, signature and card.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.modelVersionDetail,
  }),
  'models.register': method({
    summary: "Register a new version of a model from a run's artifact (file or folder) or from a path in the project.",
    input: z
      .object({
        name: s.modelName,
        runId: runId.optional(),
        /** The artifact's path in the run (a logged artifact, a pipeline output, or a folder of them). */
        artifact: z.string().min(1).max(1024).optional(),
        /** A file or folder in the project, when not registering from a run. */
        path: s.projectRelativePath.optional(),
        format: z
          .string()
          .regex(/^[A-Za-z0-9_.+-]{1,50}$/)
          .optional(),
        description: z.string().max(20_000).default(''),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)).default({}),
        signature: z.array(s.signatureColumn).max(10_000).optional(),
        /** Columns of the training data that are not inputs (the target), left out of a signature read from it. */
        exclude: z.array(z.string().min(1).max(250)).max(1000).default([]),
        predict: z.string().min(1).max(4000).optional(),
      })
      .strict(),
    output: s.modelVersionDetail,
  }),
  'models.setAlias': method({
    summary:
      'Point an alias (champion, challenger, …) at a version, moving it if it is set; the change and its reason go to the audit log.',
    input: z
      .object({
        name: s.modelName,
        alias: s.aliasName,
        version: s.modelVersionNumber,
        reason: z.string().max(2000).default(''),
      })
      .strict(),
    output: s.modelDetail,
  }),
  'models.removeAlias': method({
    summary: 'Remove an alias; the removal and its reason go to the audit log.',
    input: z.object({ name: s.modelName, alias: s.aliasName, reason: z.string().max(2000).default('') }).strict(),
    output: s.modelDetail,
  }),
  'models.update': method({
    summary:
      "Edit a version's description, the card's intended use and limitations (markdown), its tags or its predict command.",
    input: z
      .object({
        name: s.modelName,
        version: s.modelVersionNumber,
        description: z.string().max(20_000).optional(),
        intendedUse: z.string().max(100_000).optional(),
        limitations: z.string().max(100_000).optional(),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)).optional(),
        predict: z.string().min(1).max(4000).nullable().optional(),
      })
      .strict(),
    output: s.modelVersionDetail,
  }),
  'models.archive': method({
    summary:
      'Archive a version (hidden from the default list, kept with its lineage); refused while an alias points to it.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.modelVersionDetail,
  }),
  'models.restore': method({
    summary: 'Bring an archived version back.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.modelVersionDetail,
  }),
  'models.delete': method({
    summary: 'Delete a version (its artifact stays in the cache until `data gc`); refused while an alias points to it.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: z.object({ name: z.string(), version: z.number().int() }),
  }),
  'models.resolve': method({
    summary: 'The version a reference names: NAME@ALIAS, NAME/N, NAME (the latest), or the same after models:/.',
    input: z.object({ ref: z.string().min(1).max(300) }).strict(),
    output: z.object({ name: z.string(), version: z.number().int() }),
  }),
  'models.card': method({
    summary:
      "Write a version's model card (lineage, metrics, signature, intended use and limitations) into reports/ as self-contained HTML, PDF (printed by Chromium) or JSON; never over an existing file.",
    input: z
      .object({
        name: s.modelName,
        version: s.modelVersionNumber,
        format: z.enum(['html', 'pdf', 'json']).default('html'),
        /** A file name inside reports/ ending in the format's extension; a fresh name from the model and date when left out. */
        file: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'models.lineage': method({
    summary:
      'A version as a graph: its run, params and metrics, the data versions it read and their commits, the commit it ran at, and the monitors that watch it.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.lineageGraph,
  }),
  'models.compare': method({
    summary:
      'Versions of a model side by side (params and metrics, differences flagged, or only those) and one metric across them.',
    input: z
      .object({
        name: s.modelName,
        versions: z.array(s.modelVersionNumber).min(2).max(20),
        metric: z.string().min(1).max(250).optional(),
        onlyDifferences: z.boolean().default(false),
      })
      .strict(),
    output: s.modelComparison,
  }),
  'models.export': method({
    summary:
      'Write a version as one .zip bundle (artifact, card, lineage, signature, bundle.json with every sha256); never over an existing file unless forced.',
    input: z
      .object({
        ref: z.string().min(1).max(300),
        /** The .zip to write; a relative path is taken from the project folder. */
        file: z.string().min(1).max(4096),
        force: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'models.import': method({
    summary:
      'Import a bundle as a new version (source bundle), after checking every entry against its sha256; a tampered bundle is refused and nothing is imported.',
    input: z
      .object({
        /** The .zip to read; a relative path is taken from the project folder. */
        file: z.string().min(1).max(4096),
        /** Register under this name instead of the bundle's. */
        name: s.modelName.optional(),
      })
      .strict(),
    output: s.modelVersionDetail,
  }),
  'drift.export': method({
    summary:
      'Compute a drift report and write it into reports/ as self-contained HTML (inline SVG charts, no script), PDF or JSON; never over an existing file.',
    input: s.driftRequest.extend({
      format: z.enum(['html', 'pdf', 'json']).default('html'),
      /** A file name inside reports/ ending in the format's extension; drift-<current>-<date> when left out. */
      file: z.string().min(1).max(200).optional(),
    }),
    output: z.object({ path: z.string(), size: z.number().int(), datasetDrift: z.boolean(), share: z.number() }),
  }),
  'drift.report': method({
    summary:
      'Compare current data with reference data (files, tracked versions data/x.csv@REV, run artifacts run:ID/path): a drift test per column, data quality, the dataset verdict, and model performance when target and prediction are named.',
    input: s.driftRequest,
    output: s.driftReport,
  }),
  'monitors.list': method({ summary: 'Monitors and their last status.', input: none, output: s.monitorsList }),
  'monitors.add': method({
    summary:
      'Add a monitor: a reference, its batches (a folder or files), the columns that matter, alert rules; everything it names is checked first.',
    input: s.monitorAddInput,
    output: s.monitorDetail,
  }),
  'monitors.get': method({
    summary:
      "A monitor's settings, its timeline of checked batches (drift share, column scores, performance) and its alerts.",
    input: z.object({ name: s.monitorName }).strict(),
    output: s.monitorDetail,
  }),
  'monitors.check': method({
    summary:
      'Check the batches not yet checked (a changed file counts as new): a drift report each, the rules evaluated, alerts recorded, and retraining started when a rule asks.',
    input: z.object({ name: s.monitorName }).strict(),
    output: s.monitorCheckResult,
  }),
  'monitors.delete': method({
    summary: 'Delete a monitor with its batches and alerts (the reports it wrote stay).',
    input: z.object({ name: s.monitorName }).strict(),
    output: z.object({ deleted: z.boolean(), batches: z.number().int(), alerts: z.number().int() }),
  }),
  'monitors.alerts': method({
    summary: "Alerts, newest first: one monitor's or all; `open` leaves out the acknowledged.",
    input: z.object({ name: s.monitorName.optional(), open: z.boolean().default(false) }).strict(),
    output: z.object({ alerts: z.array(s.monitorAlert) }),
  }),
  'monitors.report': method({
    summary:
      "Write a monitor's timeline (drift share, column scores and performance per batch, batches, alerts) as a self-contained HTML report into reports/; never over an existing file.",
    input: z.object({ name: s.monitorName, file: z.string().min(1).max(300).optional() }).strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'monitors.acknowledge': method({
    summary: 'Mark an alert as seen.',
    input: z.object({ id: z.number().int().min(1) }).strict(),
    output: s.monitorAlert,
  }),
  'predictions.label': method({
    summary:
      "Join ground truth to a model's logged predictions by record ID, from a CSV, TSV, JSONL or Parquet file, in one transaction; duplicate IDs and labels that would change are refused with nothing changed (`force` replaces).",
    input: s.predictionLabelInput,
    output: s.predictionLabelResult,
  }),
  'predictions.export': method({
    summary:
      "Write a model's prediction log (record ID, time, version, inputs as columns, prediction, label) as CSV into exports/; never over an existing file.",
    input: s.predictionExportInput,
    output: s.predictionExportResult,
  }),
  'reports.list': method({ summary: 'Exported reports in the reports/ folder.', input: none, output: s.reportsList }),
  'reports.open': method({
    summary:
      "Open an exported report in the system's viewer (desktop only; browser mode opens a signed /reports/ link instead). Elsewhere only checks that it is a report in reports/.",
    input: z.object({ path: z.string().min(1).max(300) }).strict(),
    output: z.object({ opened: z.boolean(), file: z.string() }),
  }),
  'reports.compare': method({
    summary:
      'Write a self-contained HTML report comparing runs (params, metrics, curves, charts) into reports/; never over an existing file.',
    input: z
      .object({
        ids: z.array(runId).min(2).max(50),
        /** A file name inside reports/ (…html); a fresh name from the date when left out. */
        file: z.string().min(1).max(200).optional(),
        /** The metric that params are plotted against (parallel coordinates, scatter); the first one when left out. */
        metric: z.string().min(1).max(250).optional(),
      })
      .strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'pipelines.sweep': method({
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
    summary: 'The running (or last) sweep of this session, or null.',
    input: none,
    output: s.sweepView.nullable(),
  }),
  'pipelines.cancelSweep': method({
    summary: 'Cancel the running sweep: runs in progress are cancelled, queued ones never start.',
    input: none,
    output: z.object({ cancelled: z.boolean() }),
  }),
  'deployments.list': method({
    summary:
      "The project's deployments, newest first: running, stopped, or gone (their process ended without stopping them), with the version answering.",
    input: z.object({ model: s.modelName.optional() }).strict(),
    output: z.object({ deployments: z.array(s.deployment) }),
  }),
  'deployments.start': method({
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
    summary: 'Stop a running deployment (requests in flight finish first).',
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: s.deployment,
  }),
  'deployments.stats': method({
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
    summary:
      "Send a JSON body (one record or a batch) to a deployment this app runs, as a client would; answers the endpoint's status and reply.",
    input: z.object({ id: z.string().min(1).max(200), body: z.string().min(1).max(1_000_000) }).strict(),
    output: z.object({ status: z.number().int(), latencyMs: z.number(), body: z.unknown() }),
  }),
  'tour.get': method({
    summary: 'Where the guided tour was left in the open project: its step and whether its panel is open.',
    input: none,
    output: s.tourState,
  }),
  'tour.save': method({
    summary: "Remember the guided tour's step and whether its panel is open (in .benchtop/tour.json, kept out of git).",
    input: z.object({ step: z.number().int().min(0).max(100).optional(), open: z.boolean().optional() }).strict(),
    output: s.tourState,
  }),
  'demo.reset': method({
    summary:
      'Put the demo project back to its starting state: its deployments stopped, its folder moved aside to a dated backup beside it (never deleted), a fresh demo created there and opened. Only the demo project (`demo: true`).',
    input: none,
    output: s.demoResetResult,
  }),
  'demo.sendWeeks': method({
    summary:
      "The demo's production arriving: the next weeks in data/production are sent to the endpoint the app runs for the demo model, each answered week written to data/batches for the monitor. Only the demo project.",
    input: z.object({ weeks: z.number().int().min(1).max(100).default(1) }).strict(),
    output: s.demoSentWeeks,
  }),
} satisfies { [K in MethodName]: MethodSpec<z.ZodType, z.ZodType> };

export type Methods = typeof methods;
/** What a caller passes (defaults optional). */
export type MethodInput<K extends MethodName> = z.input<Methods[K]['input']>;
/** What a handler receives (defaults applied). */
export type ParsedInput<K extends MethodName> = z.output<Methods[K]['input']>;
export type MethodOutput<K extends MethodName> = z.output<Methods[K]['output']>;
