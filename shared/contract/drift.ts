// Runs in: main and renderer (shared). The contract for drift reports: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method } from './common';
import * as s from './schemas';

export const driftMethods = domainMethods<`drift.${string}`>()({
  'drift.export': method({
    access: 'read',
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
    access: 'read',
    summary:
      'Compare current data with reference data (files, tracked versions data/x.csv@REV, run artifacts run:ID/path): a drift test per column, data quality, the dataset verdict, and model performance when target and prediction are named.',
    input: s.driftRequest,
    output: s.driftReport,
  }),
});
