// Runs in: main and renderer (shared). The contract for the guided tour: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none } from './common';
import * as s from './schemas';

export const tourMethods = domainMethods<`tour.${string}`>()({
  'tour.get': method({
    access: 'read',
    summary: 'Where the guided tour was left in the open project: its step and whether its panel is open.',
    input: none,
    output: s.tourState,
  }),
  'tour.save': method({
    access: 'local',
    summary: "Remember the guided tour's step and whether its panel is open (in .benchtop/tour.json, kept out of git).",
    input: z.object({ step: z.number().int().min(0).max(100).optional(), open: z.boolean().optional() }).strict(),
    output: s.tourState,
  }),
});
