// Runs in: main and renderer (shared). The contract for the app itself and the open project (open,
// create, recent, doctor): each method's summary, lock access (see common.ts) and input and output
// schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, folderPath, method, metricValue, none } from './common';
import { pipelineRunRow } from './pipelines';

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

/** How the project stands, for the Overview: its models' champions, alerts, last pipeline run, recent data. */
export const projectOverview = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      /** The version the `champion` alias names, else the latest; null with no version. */
      champion: z.number().int().nullable(),
      /** `champion` when the alias chose it, null when it is the latest version. */
      alias: z.string().nullable(),
      /** Its versions, oldest first, with the metrics each was registered with. */
      versions: z.array(
        z.object({
          version: z.number().int(),
          metrics: z.record(z.string(), metricValue),
          archived: z.boolean(),
          createdAt: z.string(),
        }),
      ),
    }),
  ),
  monitors: z.array(
    z.object({
      name: z.string(),
      lastStatus: z.enum(['ok', 'warning', 'alert', 'never-run']),
      lastRunAt: z.string().nullable(),
      openAlerts: z.number().int(),
    }),
  ),
  /** Open (unacknowledged) alerts over every monitor. */
  openAlerts: z.number().int(),
  lastPipelineRun: pipelineRunRow.nullable(),
  /** Versions of tracked data committed since `since`, newest first (at most 20). */
  dataVersions: z.array(z.object({ path: z.string(), commit: z.string(), date: z.string(), message: z.string() })),
  since: z.string(),
  /** Whether the project has a benchtop.yaml, so an empty Overview can say what to do first. */
  hasPipeline: z.boolean(),
});

export type ProjectOverview = z.infer<typeof projectOverview>;

export const appMethods = domainMethods<`app.${string}` | `project.${string}`>()({
  'app.info': method({
    access: 'read',
    summary: 'Name, version, mode and schema version of this Benchtop.',
    input: none,
    output: appInfo,
  }),
  'project.current': method({
    access: 'read',
    summary: 'The open project, or null.',
    input: none,
    output: projectSummary.nullable(),
  }),
  'project.recent': method({
    access: 'read',
    summary: 'Recently opened projects, newest first.',
    input: none,
    output: z.array(recentProject),
  }),
  'project.open': method({
    // Opening or creating switches the app's project; an existing project is not changed by either.
    access: 'read',
    summary: 'Open an existing Benchtop project folder.',
    input: z.object({ path: folderPath }).strict(),
    output: projectSummary,
  }),
  'project.init': method({
    access: 'read',
    summary: 'Create a project in a folder (or adopt the git repository there) and open it.',
    input: z.object({ path: folderPath, demo: z.boolean().default(false) }).strict(),
    // What init did, for `benchtop init` to report (the app reads only the summary).
    output: projectSummary.extend({
      /** False when the folder was a Benchtop project already (nothing was changed). */
      created: z.boolean().optional(),
      /** False when an existing git repository was adopted. */
      repoCreated: z.boolean().optional(),
      /** Files written, relative to the project. */
      written: z.array(z.string()).optional(),
      /** The first commit, when init created the repository. */
      commit: z.string().nullable().optional(),
    }),
  }),
  'project.counts': method({
    access: 'read',
    summary: 'How many experiments, runs, models and monitors the open project has.',
    input: none,
    output: z.object({
      experiments: z.number().int(),
      runs: z.number().int(),
      models: z.number().int(),
      monitors: z.number().int(),
    }),
  }),
  'project.overview': method({
    access: 'read',
    summary:
      "How the open project stands: each model's champion and its versions' metrics, monitors and open alerts, the last pipeline run, and the data versions committed in the last `days` days.",
    input: z.object({ days: z.number().int().min(1).max(366).default(7) }).strict(),
    output: projectOverview,
  }),
  'project.info': method({
    access: 'read',
    summary:
      "The open project's identity without asking git (cheaper than project.current): its name, folder, schema version, whether it is the demo and whether it has a benchtop.yaml.",
    input: none,
    output: z.object({
      name: z.string(),
      path: z.string(),
      isDemo: z.boolean(),
      schemaVersion: z.number().int(),
      hasPipeline: z.boolean(),
    }),
  }),
  'project.chooseFolder': method({
    access: 'read',
    summary: 'Ask the user for a folder with the native dialog (desktop only).',
    input: none,
    output: z.object({ supported: z.boolean(), path: z.string().nullable() }),
  }),
  'project.doctor': method({
    // Doctor repairs with fix (removes temp files, quarantines objects), so it is taken as a writer.
    access: 'write',
    summary:
      'Check the open project: database, cache objects, pointers and orphan temp files; with fix, remove temp files and move corrupt objects to the quarantine.',
    input: z
      .object({
        fix: z.boolean().default(false),
        quick: z.boolean().default(false),
        /**
         * A project folder to check without opening it (`benchtop doctor`): opening would sweep the
         * temp files it reports and refuse the damaged database it describes. The open project when absent.
         */
        path: folderPath.optional(),
      })
      .strict(),
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
});
