// Runs in: main (core). The JSON Schema of benchtop.yaml, derived from the same zod schemas the
// loader validates with, so editors complete and check the file the way Benchtop reads it.
import { z } from 'zod';
import { outEntry, paramEntry, scheduleSchema } from './definition';

const duration = z.union([z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/), z.number().min(0)]);

const stageKeys = {
  cmd: z.union([z.string(), z.array(z.string()).min(1)]).describe('The command to run, or a list of commands run in order (a non-zero exit fails the stage).'),
  deps: z.array(z.string()).describe('Files or folders the stage reads; a change to any of them makes it run again.'),
  params: z.array(paramEntry).describe('Keys of params.yaml the stage reads (dotted), or {other.yaml: [keys]}.'),
  outs: z.array(outEntry).describe('Files or folders the stage writes; `{path: {cache: false, persist: true}}` for options.'),
  metrics: z.array(outEntry).describe('Metrics files (JSON or YAML) the stage writes; read when it ends.'),
  plots: z.array(outEntry).describe('Plot data files the stage writes.'),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('Extra environment variables for the stage.'),
  wdir: z.string().describe('Working folder, relative to the project; paths in the stage are relative to it.'),
  retries: z.number().int().min(0).max(100).describe('How many times to retry a failed stage (exponential backoff).'),
  retry_delay: duration.describe('Delay before the first retry, doubled each time: 500ms, 5s, 1m.'),
  timeout: duration.describe('End the stage (and every process it started) after this long.'),
  always_changed: z.boolean().describe('Run the stage every time.'),
  frozen: z.boolean().describe('Never run the stage (until this is removed).'),
  desc: z.string().describe('A description of the stage.'),
};

const stage = z.object({ ...stageKeys }).partial().required({ cmd: true }).strict();
const foreachStage = z
  .object({
    foreach: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).describe('Stamp out one stage per item: ${item} (and ${key} for a map) in do:.'),
    do: z.object({ ...stageKeys }).partial().strict(),
  })
  .strict();
const matrixStage = z
  .object({ matrix: z.record(z.string(), z.array(z.unknown())).describe('Stamp out one stage per combination: ${item.<name>}.'), ...stageKeys })
  .partial()
  .required({ matrix: true, cmd: true })
  .strict();

export function pipelineJsonSchema(): Record<string, unknown> {
  const file = z
    .object({
      vars: z.record(z.string(), z.unknown()).describe('Values for ${...} interpolation.'),
      schedule: z.union([scheduleSchema, z.array(scheduleSchema)]).describe('Cron expressions or @hourly, @daily, @weekly, @monthly.'),
      stages: z.record(z.string(), z.union([stage, foreachStage, matrixStage])).describe('The pipeline stages, by name.'),
    })
    .partial()
    .required({ stages: true })
    .strict();
  return { ...z.toJSONSchema(file, { io: 'input' }), $id: 'https://benchtop.invalid/schema/benchtop.schema.json', title: 'benchtop.yaml' };
}
