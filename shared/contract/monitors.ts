// Runs in: main and renderer (shared). The contract for monitors and their alerts: each method's
// summary, lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, method, metricValue, none } from './common';
import { driftColumnType, driftOptions, driftTestName } from './drift';
import { predictionSource, servingMetrics } from './predictions';

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
  /** One id column or several. */
  id: z.union([z.string(), z.array(z.string())]).optional(),
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
    ...driftOptions,
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

export const monitorsMethods = domainMethods<`monitors.${string}`>()({
  'monitors.list': method({
    access: 'read',
    summary: 'Monitors and their last status.',
    input: none,
    output: monitorsList,
  }),
  'monitors.add': method({
    access: 'write',
    summary:
      'Add a monitor: a reference, its batches (a folder or files), the columns that matter, alert rules; everything it names is checked first.',
    input: monitorAddInput,
    output: monitorDetail,
  }),
  'monitors.get': method({
    access: 'read',
    summary:
      "A monitor's settings, its timeline of checked batches (drift share, column scores, performance) and its alerts.",
    input: z.object({ name: monitorName }).strict(),
    output: monitorDetail,
  }),
  'monitors.check': method({
    access: 'write',
    summary:
      'Check the batches not yet checked (a changed file counts as new): a drift report each, the rules evaluated, alerts recorded, and retraining started when a rule asks.',
    input: z.object({ name: monitorName }).strict(),
    output: monitorCheckResult,
  }),
  'monitors.delete': method({
    access: 'write',
    summary: 'Delete a monitor with its batches and alerts (the reports it wrote stay).',
    input: z.object({ name: monitorName }).strict(),
    output: z.object({ deleted: z.boolean(), batches: z.number().int(), alerts: z.number().int() }),
  }),
  'monitors.alerts': method({
    access: 'read',
    summary: "Alerts, newest first: one monitor's or all; `open` leaves out the acknowledged.",
    input: z.object({ name: monitorName.optional(), open: z.boolean().default(false) }).strict(),
    output: z.object({ alerts: z.array(monitorAlert) }),
  }),
  'monitors.report': method({
    access: 'read',
    summary:
      "Write a monitor's timeline (drift share, column scores and performance per batch, batches, alerts) as a self-contained HTML report into reports/; never over an existing file.",
    input: z.object({ name: monitorName, file: z.string().min(1).max(300).optional() }).strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'monitors.acknowledge': method({
    access: 'write',
    summary: 'Mark an alert as seen.',
    input: z.object({ id: z.number().int().min(1) }).strict(),
    output: monitorAlert,
  }),
});
