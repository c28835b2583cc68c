// Runs in: main (core). The shape of benchtop.yaml, and of a stage once loaded and resolved.
import { z } from 'zod';
import type { Gate } from './models/gate';
import type { ModelDep } from './models/deps';

// `register` is checked by the loader itself (load.ts), which can then say which part is wrong.
const pathOptions = z
  .object({ cache: z.boolean().optional(), persist: z.boolean().optional(), register: z.unknown().optional() })
  .strict();
/** `path` or `{path: {cache: false, persist: true, register: churn}}`. */
export const outEntry = z.union([z.string().min(1), z.record(z.string().min(1), pathOptions.nullable())]);
/** `key` of params.yaml, or `{other.yaml: [keys]}`. */
export const paramEntry = z.union([z.string().min(1), z.record(z.string().min(1), z.array(z.string().min(1)))]);

export const stageBody = z
  .object({
    cmd: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
      message: 'cmd must be a command or a list of commands',
    }),
    deps: z.array(z.string().min(1)).default([]),
    params: z.array(paramEntry).default([]),
    outs: z.array(outEntry).default([]),
    metrics: z.array(outEntry).default([]),
    plots: z.array(outEntry).default([]),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    wdir: z.string().min(1).optional(),
    retries: z.number().int().min(0).max(100).default(0),
    retry_delay: z.union([z.string(), z.number()]).optional(),
    timeout: z.union([z.string(), z.number()]).optional(),
    always_changed: z.boolean().default(false),
    frozen: z.boolean().default(false),
    desc: z.string().optional(),
  })
  .strict();

export const scheduleSchema = z.union([
  z.string().min(1),
  z
    .object({ cron: z.string().min(1), catchup: z.boolean().default(false), targets: z.array(z.string()).optional() })
    .strict(),
]);

export const pipelineFile = z
  .object({
    vars: z.record(z.string(), z.unknown()).default({}),
    schedule: z.union([scheduleSchema, z.array(scheduleSchema)]).optional(),
    stages: z.record(
      z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/, 'stage names use letters, digits and _ . @ -'),
      z.unknown(),
    ),
  })
  .strict();

/** `register:` on an out: the out becomes a new version of model `name` after each successful run of its stage. */
export interface RegisterSpec {
  name: string;
  /** Set on the new version (when the gate, if any, passes). */
  alias: string | null;
  gate: Gate | null;
  description: string | undefined;
  predict: string | undefined;
  /** The input columns and their types, when the training data has no pointer schema to read them from. */
  signature?: { name: string; type: string }[];
}

export interface OutputSpec {
  path: string;
  cache: boolean;
  persist: boolean;
  kind: 'out' | 'metric' | 'plot';
  register?: RegisterSpec;
}

export interface ParamRef {
  file: string;
  key: string;
}

export interface Stage {
  name: string;
  /** The entry in benchtop.yaml it came from (differs from name for foreach/matrix stages). */
  source: string;
  cmd: string[];
  /** Files and folders (project-relative). */
  deps: string[];
  /** Registered models (`models:/NAME@ALIAS`, `models:/NAME/N`), kept apart from deps so nothing takes them for paths. */
  models: ModelDep[];
  params: ParamRef[];
  outs: OutputSpec[];
  env: Record<string, string>;
  wdir: string;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number | null;
  alwaysChanged: boolean;
  frozen: boolean;
  desc: string | undefined;
}

export interface Schedule {
  cron: string;
  catchup: boolean;
  targets: string[] | undefined;
}

export interface Pipeline {
  stages: Stage[];
  schedules: Schedule[];
}
