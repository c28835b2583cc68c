// Runs in: main and renderer (shared). The contract: every method's name, summary, lock access,
// input schema and output schema, gathered from the domain files (app.ts, tracking.ts, data.ts, …).
// Adding a method: its name in names.ts, its spec in its domain's file, its handler in that
// domain's electron/core/<domain>/handlers.ts.
import type { z } from 'zod';
import { appMethods } from './app';
import type { AnyMethodSpec } from './common';
import { dataMethods } from './data';
import { demoMethods } from './demo';
import { deploymentsMethods } from './deployments';
import { driftMethods } from './drift';
import { modelsMethods } from './models';
import { monitorsMethods } from './monitors';
import type { MethodName } from './names';
import { pipelinesMethods } from './pipelines';
import { predictionsMethods } from './predictions';
import { reportsMethods } from './reports';
import { syncMethods } from './sync';
import { tourMethods } from './tour';
import { trackingMethods } from './tracking';

export type { MethodAccess, MethodSpec } from './common';

export const methods = {
  ...appMethods,
  ...trackingMethods,
  ...dataMethods,
  ...pipelinesMethods,
  ...modelsMethods,
  ...driftMethods,
  ...monitorsMethods,
  ...predictionsMethods,
  ...reportsMethods,
  ...deploymentsMethods,
  ...tourMethods,
  ...demoMethods,
  ...syncMethods,
} satisfies { [K in MethodName]: AnyMethodSpec };

// Spreads escape the excess-key check: a spec named nowhere in names.ts fails here instead.
type Unlisted = Exclude<keyof typeof methods, MethodName>;
const everySpecIsNamed: [Unlisted] extends [never] ? true : Unlisted = true;
void everySpecIsNamed;

export type Methods = typeof methods;
/** What a caller passes (defaults optional). */
export type MethodInput<K extends MethodName> = z.input<Methods[K]['input']>;
/** What a handler receives (defaults applied). */
export type ParsedInput<K extends MethodName> = z.output<Methods[K]['input']>;
export type MethodOutput<K extends MethodName> = z.output<Methods[K]['output']>;
