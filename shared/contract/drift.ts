// Runs in: main and renderer (shared). The contract for drift reports: each method's summary, lock
// access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, method, metricValue } from './common';
import { paperSize } from './reports';

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
  /**
   * Columns not tested because of what they are or what the request said, with why: an id column
   * (named, or inferred because every value is unique), the timestamp, or excluded. Excluded columns
   * are in no other list. Older reports have none.
   */
  leftOut: z
    .array(
      z.object({
        name: z.string(),
        reason: z.enum(['unique', 'id', 'timestamp', 'excluded']),
        message: z.string(),
      }),
    )
    .default([]),
  performance: z.object({ reference: modelPerformance, current: modelPerformance }).nullable(),
});

export type DriftReport = z.infer<typeof driftReport>;

/** The options a drift report takes beyond its two sides; a monitor stores the same ones. */
export const driftOptions = {
  target: z.string().max(250).optional(),
  prediction: z.string().max(250).optional(),
  /** Binary classification: the column with the positive class's score, for ROC AUC. */
  score: z.string().max(250).optional(),
  /** One id column or several (summarised, not tested); a column whose every value is unique is one without being named. */
  id: z.union([z.string().max(250), z.array(z.string().max(250)).max(1000)]).optional(),
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
};

/** What a drift report is asked for. Paths are project-relative or absolute; refs as in driftSource.label. */
export const driftRequest = z
  .object({
    reference: z.string().min(1).max(2000),
    current: z.string().min(1).max(2000),
    ...driftOptions,
  })
  .strict();

export type DriftRequest = z.infer<typeof driftRequest>;

export const driftMethods = domainMethods<`drift.${string}`>()({
  'drift.export': method({
    access: 'read',
    summary:
      'Compute a drift report and write it into reports/ as self-contained HTML (inline SVG charts, no script), PDF or JSON; never over an existing file.',
    input: driftRequest.extend({
      format: z.enum(['html', 'pdf', 'json']).default('html'),
      /** A file name inside reports/ ending in the format's extension; drift-<current>-<date> when left out. */
      file: z.string().min(1).max(200).optional(),
      /** The paper of a PDF; the locale's when left out. */
      paper: paperSize.optional(),
    }),
    output: z.object({ path: z.string(), size: z.number().int(), datasetDrift: z.boolean(), share: z.number() }),
  }),
  'drift.report': method({
    access: 'read',
    summary:
      'Compare current data with reference data (files, tracked versions data/x.csv@REV, run artifacts run:ID/path): a drift test per column, data quality, the dataset verdict, and model performance when target and prediction are named.',
    input: driftRequest.extend({
      /**
       * Where relative file paths start (a shell's current folder, absolute); the project folder by
       * default. With it, plain files are compared without an open project.
       */
      base: z.string().min(1).max(4096).optional(),
      /** Also write the report as self-contained HTML, or as PDF, to this file (from `base`); never over an existing file. */
      html: z.string().min(1).max(4096).optional(),
      pdf: z.string().min(1).max(4096).optional(),
      /** The paper of the PDF; the locale's when left out. */
      paper: paperSize.optional(),
    }),
    /** With `html` or `pdf`, `written` says where each went (absolute) and its size. */
    output: driftReport.extend({
      written: z
        .object({
          html: z.object({ file: z.string(), size: z.number().int() }).optional(),
          pdf: z.object({ file: z.string(), size: z.number().int() }).optional(),
        })
        .optional(),
    }),
  }),
});
