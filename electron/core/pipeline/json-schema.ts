// Runs in: main (core). The JSON Schema of benchtop.yaml, derived from the same zod schemas the
// loader validates with, so editors complete and check the file the way Benchtop reads it.
import { z } from 'zod';
import { aliasName, modelName } from '../../../shared/contract/schemas';
import { paramEntry, scheduleSchema } from './definition';
import { GATE_OPS } from './models/gate';

const duration = z.union([z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/), z.number().min(0)]);

const pathOptions = {
  cache: z.boolean().describe('Keep the output in the run cache (default true).'),
  persist: z.boolean().describe('Leave the output in place while the stage runs (default false).'),
};
const fileEntry = z.union([
  z.string().min(1),
  z.record(z.string().min(1), z.object(pathOptions).partial().strict().nullable()),
]);
const register = z
  .union([
    modelName.describe('Register the out as a new version of this model after each successful run of the stage.'),
    z
      .object({
        name: modelName.describe('The model to register the out as a version of.'),
        alias: aliasName.describe('Alias to set on the new version (when the gate, if any, passes).'),
        if: z
          .string()
          .regex(new RegExp(`^\\s*[A-Za-z0-9_/][A-Za-z0-9_./-]*\\s*(${GATE_OPS.join('|')})\\s*\\S+\\s*$`))
          .describe(
            'Gate for the alias: METRIC OP (NUMBER | ALIAS), OP one of >= > <= < ==, e.g. accuracy >= champion. An alias that does not exist yet passes.',
          ),
        description: z.string().min(1).describe("The new version's description."),
        predict: z
          .string()
          .min(1)
          .describe('Command that reads JSON lines of inputs on stdin and writes one JSON line of output per input.'),
        signature: z
          .record(z.string().min(1), z.string().min(1))
          .describe(
            'The input columns and their types ({sepal_length: number, plan: string}); by default read from the training data pointer schema.',
          ),
      })
      .partial({ alias: true, if: true, description: true, predict: true, signature: true })
      .strict(),
  ])
  .describe(
    'Register this out in the model registry: a model name, or {name, alias, if, description, predict, signature}.',
  );
const outEntry = z.union([
  z.string().min(1),
  z.record(
    z.string().min(1),
    z
      .object({ ...pathOptions, register })
      .partial()
      .strict()
      .nullable(),
  ),
]);

const stageKeys = {
  cmd: z
    .union([z.string(), z.array(z.string()).min(1)])
    .describe('The command to run, or a list of commands run in order (a non-zero exit fails the stage).'),
  deps: z
    .array(z.string())
    .describe(
      'Files or folders the stage reads, or registered models (models:/NAME@ALIAS, models:/NAME/N); a change to any of them (a moved alias too) makes it run again.',
    ),
  params: z.array(paramEntry).describe('Keys of params.yaml the stage reads (dotted), or {other.yaml: [keys]}.'),
  outs: z
    .array(outEntry)
    .describe(
      'Files or folders the stage writes; `{path: {cache: false, persist: true, register: NAME}}` for options.',
    ),
  metrics: z.array(fileEntry).describe('Metrics files (JSON or YAML) the stage writes; read when it ends.'),
  plots: z.array(fileEntry).describe('Plot data files the stage writes.'),
  env: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .describe('Extra environment variables for the stage.'),
  wdir: z.string().describe('Working folder, relative to the project; paths in the stage are relative to it.'),
  retries: z.number().int().min(0).max(100).describe('How many times to retry a failed stage (exponential backoff).'),
  retry_delay: duration.describe('Delay before the first retry, doubled each time: 500ms, 5s, 1m.'),
  timeout: duration.describe('End the stage (and every process it started) after this long.'),
  always_changed: z.boolean().describe('Run the stage every time.'),
  frozen: z.boolean().describe('Never run the stage (until this is removed).'),
  desc: z.string().describe('A description of the stage.'),
};

const stage = z
  .object({ ...stageKeys })
  .partial()
  .required({ cmd: true })
  .strict();
const foreachStage = z
  .object({
    foreach: z
      .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
      .describe('Stamp out one stage per item: ${item} (and ${key} for a map) in do:.'),
    do: z
      .object({ ...stageKeys })
      .partial()
      .strict(),
  })
  .strict();
const matrixStage = z
  .object({
    matrix: z.record(z.string(), z.array(z.unknown())).describe('Stamp out one stage per combination: ${item.<name>}.'),
    ...stageKeys,
  })
  .partial()
  .required({ matrix: true, cmd: true })
  .strict();

export function pipelineJsonSchema(): Record<string, unknown> {
  const file = z
    .object({
      vars: z.record(z.string(), z.unknown()).describe('Values for ${...} interpolation.'),
      schedule: z
        .union([scheduleSchema, z.array(scheduleSchema)])
        .describe('Cron expressions or @hourly, @daily, @weekly, @monthly.'),
      stages: z
        .record(z.string(), z.union([stage, foreachStage, matrixStage]))
        .describe('The pipeline stages, by name.'),
    })
    .partial()
    .required({ stages: true })
    .strict();
  return {
    ...z.toJSONSchema(file, { io: 'input' }),
    $id: 'https://benchtop.invalid/schema/benchtop.schema.json',
    title: 'benchtop.yaml',
  };
}
