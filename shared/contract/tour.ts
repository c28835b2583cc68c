// Runs in: main and renderer (shared). The contract for the guided tour: each method's summary,
// lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { domainMethods, method, none } from './common';

/** Where the guided tour was left in the open project; which steps are done is derived from the project. */
export const tourState = z.object({
  /** The step the user is on (0 = the first). */
  step: z.number().int().min(0),
  open: z.boolean(),
  /** False until the tour is first opened or closed here (a demo project then opens it by default). */
  started: z.boolean(),
});

export type TourState = z.infer<typeof tourState>;

export const tourMethods = domainMethods<`tour.${string}`>()({
  'tour.get': method({
    access: 'read',
    summary: 'Where the guided tour was left in the open project: its step and whether its panel is open.',
    input: none,
    output: tourState,
  }),
  'tour.save': method({
    access: 'local',
    summary: "Remember the guided tour's step and whether its panel is open (in .benchtop/tour.json, kept out of git).",
    input: z.object({ step: z.number().int().min(0).max(100).optional(), open: z.boolean().optional() }).strict(),
    output: tourState,
  }),
});
