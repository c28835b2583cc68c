// Runs in: main and renderer (shared). The contract for prediction logs: labels joined in, exports: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { domainMethods, method } from './common';
import * as s from './schemas';

export const predictionsMethods = domainMethods<`predictions.${string}`>()({
  'predictions.label': method({
    access: 'write',
    summary:
      "Join ground truth to a model's logged predictions by record ID, from a CSV, TSV, JSONL or Parquet file, in one transaction; duplicate IDs and labels that would change are refused with nothing changed (`force` replaces).",
    input: s.predictionLabelInput,
    output: s.predictionLabelResult,
  }),
  'predictions.export': method({
    access: 'read',
    summary:
      "Write a model's prediction log (record ID, time, version, inputs as columns, prediction, label) as CSV into exports/; never over an existing file.",
    input: s.predictionExportInput,
    output: s.predictionExportResult,
  }),
});
