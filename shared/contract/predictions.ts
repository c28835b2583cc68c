// Runs in: main and renderer (shared). The contract for prediction logs: labels joined in, exports:
// each method's summary, lock
import { z } from 'zod';
// access (see common.ts) and input and output schemas.
import { domainMethods, method } from './common';

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
    /**
     * Write here instead of into exports/ (absolute, or relative to the project folder), never over
     * an existing file; `path` is then absolute. `benchtop predictions export --out`.
     */
    out: z.string().min(1).max(4096).optional(),
    /** Write nothing and return the CSV as `csv` (`path` is then empty): `benchtop predictions export` to stdout. */
    inline: z.boolean().default(false),
  })
  .strict();

export type PredictionExportInput = z.input<typeof predictionExportInput>;

export const predictionExportResult = z.object({
  path: z.string(),
  rows: z.number().int(),
  size: z.number().int(),
  columns: z.array(z.string()),
  /** The CSV itself, with `inline`. */
  csv: z.string().optional(),
});

export type PredictionExportResult = z.infer<typeof predictionExportResult>;

export const predictionsMethods = domainMethods<`predictions.${string}`>()({
  'predictions.label': method({
    access: 'write',
    summary:
      "Join ground truth to a model's logged predictions by record ID, from a CSV, TSV, JSONL or Parquet file, in one transaction; duplicate IDs and labels that would change are refused with nothing changed (`force` replaces).",
    input: predictionLabelInput,
    output: predictionLabelResult,
  }),
  'predictions.export': method({
    access: 'read',
    summary:
      "Write a model's prediction log (record ID, time, version, inputs as columns, prediction, label) as CSV into exports/; never over an existing file.",
    input: predictionExportInput,
    output: predictionExportResult,
  }),
});
