// Runs in: main (core). The shape of benchtop.yaml, and of a stage once loaded and resolved.
import { z } from 'zod';
import { aliasName, modelName } from '../../../shared/contract/schemas';
import { GATE_OPS, type Gate } from './models/gate';
import type { ModelDep } from './models/deps';

// Every key carries the description editors show: json-schema.ts derives the published JSON Schema
// from these same shapes, so a key added here reaches editors without a second spelling.

/** The keys of `register: {…}`. The loader checks them by hand (load.ts, to say which part is wrong);
 * the JSON Schema uses this shape so editors check them the same way. */
export const registerMap = z
  .object({
    name: modelName.describe('The model to register the out as a version of.'),
    alias: aliasName.optional().describe('Alias to set on the new version (when the gate, if any, passes).'),
    if: z
      .string()
      .regex(new RegExp(`^\\s*[A-Za-z0-9_/][A-Za-z0-9_./-]*\\s*(${GATE_OPS.join('|')})\\s*\\S+\\s*$`))
      .optional()
      .describe(
        'Gate for the alias: METRIC OP (NUMBER | ALIAS), OP one of >= > <= < ==, e.g. accuracy >= champion. An alias that does not exist yet passes.',
      ),
    description: z.string().min(1).optional().describe("The new version's description."),
    predict: z
      .string()
      .min(1)
      .optional()
      .describe('Command that reads JSON lines of inputs on stdin and writes one JSON line of output per input.'),
    signature: z
      .record(z.string().min(1), z.string().min(1))
      .optional()
      .describe(
        'The input columns and their types ({sepal_length: number, plan: string}); by default read from the training data pointer schema.',
      ),
  })
  .strict();
export const registerEntry = z
  .union([
    modelName.describe('Register the out as a new version of this model after each successful run of the stage.'),
    registerMap,
  ])
  .describe(
    'Register this out in the model registry: a model name, or {name, alias, if, description, predict, signature}.',
  );

// `register` is checked by the loader itself (load.ts), which can then say which part is wrong.
export const pathOptions = z
  .object({
    cache: z.boolean().optional().describe('Keep the output in the run cache (default true).'),
    persist: z.boolean().optional().describe('Leave the output in place while the stage runs (default false).'),
    register: z
      .unknown()
      .optional()
      .describe(registerEntry.description ?? ''),
  })
  .strict();
/** An entry of outs/metrics/plots with these options: `path` or `{path: {cache: false, persist: true}}`. */
export const fileEntry = <T extends z.ZodType>(options: T) =>
  z.union([z.string().min(1), z.record(z.string().min(1), options.nullable())]);
/** `path` or `{path: {cache: false, persist: true, register: churn}}`. */
export const outEntry = fileEntry(pathOptions);
/** `key` of params.yaml, or `{other.yaml: [keys]}`. */
export const paramEntry = z.union([z.string().min(1), z.record(z.string().min(1), z.array(z.string().min(1)))]);
/** What the loader accepts for retry_delay/timeout; parseDuration (duration.ts) reads it. */
export const durationValue = z.union([z.string(), z.number()]);

export const stageBody = z
  .object({
    cmd: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
        message: 'cmd must be a command or a list of commands',
      })
      .describe('The command to run, or a list of commands run in order (a non-zero exit fails the stage).'),
    deps: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Files or folders the stage reads, or registered models (models:/NAME@ALIAS, models:/NAME/N); a change to any of them (a moved alias too) makes it run again.',
      ),
    params: z
      .array(paramEntry)
      .default([])
      .describe('Keys of params.yaml the stage reads (dotted), or {other.yaml: [keys]}.'),
    outs: z
      .array(outEntry)
      .default([])
      .describe(
        'Files or folders the stage writes; `{path: {cache: false, persist: true, register: NAME}}` for options.',
      ),
    metrics: z
      .array(outEntry)
      .default([])
      .describe('Metrics files (JSON or YAML) the stage writes; read when it ends.'),
    plots: z.array(outEntry).default([]).describe('Plot data files the stage writes.'),
    env: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe('Extra environment variables for the stage.'),
    wdir: z
      .string()
      .min(1)
      .optional()
      .describe('Working folder, relative to the project; paths in the stage are relative to it.'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .describe('How many times to retry a failed stage (exponential backoff).'),
    retry_delay: durationValue.optional().describe('Delay before the first retry, doubled each time: 500ms, 5s, 1m.'),
    timeout: durationValue.optional().describe('End the stage (and every process it started) after this long.'),
    always_changed: z.boolean().default(false).describe('Run the stage every time.'),
    frozen: z.boolean().default(false).describe('Never run the stage (until this is removed).'),
    desc: z.string().optional().describe('A description of the stage.'),
    executor: z
      .string()
      .min(1)
      .optional()
      .describe('Where the stage runs: local (the default) or the name of an entry of executors:.'),
  })
  .strict();

/** `mem:` as Slurm takes it: a whole number with an optional unit (K, M, G, T). */
export const SLURM_MEM = /^[1-9][0-9]*[KMGT]?$/i;
/** A Slurm executor: the stage is submitted with sbatch and followed to its end. */
export const slurmExecutor = z
  .object({
    type: z.literal('slurm').describe('slurm: submit the stage with sbatch and follow the job.'),
    partition: z.string().min(1).optional().describe('The partition to submit to (sbatch --partition).'),
    gres: z.string().min(1).optional().describe('Generic resources, such as gpu:1 (sbatch --gres).'),
    cpus: z.number().int().min(1).optional().describe('CPUs for the job (sbatch --cpus-per-task).'),
    mem: z
      .union([
        z.string().regex(SLURM_MEM, 'mem must be a whole number with an optional unit: 500M, 32G'),
        z.number().int().min(1),
      ])
      .optional()
      .describe('Memory for the job, such as 500M or 32G (sbatch --mem); a number is megabytes.'),
    time: durationValue
      .optional()
      .describe("The job's time limit, such as 30m or 2h (sbatch --time, in whole minutes); a stage's timeout wins."),
    account: z.string().min(1).optional().describe('The account to charge (sbatch --account).'),
    qos: z.string().min(1).optional().describe('The quality of service (sbatch --qos).'),
    extra_args: z.array(z.string().min(1)).optional().describe('More sbatch arguments, one per entry.'),
    submit_prefix: z
      .string()
      .min(1)
      .optional()
      .describe('A command put before sbatch, squeue, scontrol and scancel, such as ssh login.cluster.'),
  })
  .strict();
/** `local` is built in; writing it out (type: local) is allowed and changes nothing. */
export const localExecutor = z
  .object({ type: z.literal('local').describe('local: run the stage as a child process here.') })
  .strict();
export const executorEntry = z.discriminatedUnion('type', [slurmExecutor, localExecutor]);

export const scheduleSchema = z.union([
  z.string().min(1),
  z
    .object({ cron: z.string().min(1), catchup: z.boolean().default(false), targets: z.array(z.string()).optional() })
    .strict(),
]);

// `stages` values stay unknown here: foreach/matrix entries are expanded (load.ts) before each stage
// is checked against stageBody. json-schema.ts spells the three forms out for editors.
export const pipelineFile = z
  .object({
    vars: z.record(z.string(), z.unknown()).default({}).describe('Values for ${...} interpolation.'),
    gitignore_outs: z
      .boolean()
      .default(true)
      .describe(
        "Add each stage's outs, metrics and plots to the project's .gitignore once the stage succeeds (default true; an out with cache: false is never added).",
      ),
    schedule: z
      .union([scheduleSchema, z.array(scheduleSchema)])
      .optional()
      .describe('Cron expressions or @hourly, @daily, @weekly, @monthly.'),
    executors: z
      .record(
        z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'executor names use letters, digits and _ . -'),
        executorEntry,
      )
      .default({})
      .describe(
        'Where stages can run besides here: {NAME: {type: slurm, partition: ..., cpus: ..., mem: ..., time: ...}}.',
      ),
    stages: z
      .record(
        z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/, 'stage names use letters, digits and _ . @ -'),
        z.unknown(),
      )
      .describe('The pipeline stages, by name.'),
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
  /** The executor's name: `local`, or an entry of `executors:`. */
  executor?: string;
}

export type SlurmExecutor = z.infer<typeof slurmExecutor>;
export type Executor = z.infer<typeof executorEntry>;

export interface Schedule {
  cron: string;
  catchup: boolean;
  targets: string[] | undefined;
}

export interface Pipeline {
  stages: Stage[];
  schedules: Schedule[];
  /** `gitignore_outs:` (absent means true): whether the runner git-ignores stage outputs. */
  gitignoreOuts?: boolean;
  /** `executors:` by name (`local` is built in and never listed). */
  executors?: Record<string, Executor>;
}
