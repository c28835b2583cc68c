// Runs in: main (core). The JSON Schema of benchtop.yaml, generated from the zod shapes the loader
// validates with (definition.ts), so editors complete and check the file the way Benchtop reads it.
// resources/schema/benchtop.schema.json is this function's output, kept in sync by a unit test.
import { z } from 'zod';
import { fileEntry, pathOptions, pipelineFile, registerEntry, stageBody } from './definition';
import { DURATION_TEXT } from './duration';

type StageKey = keyof typeof stageBody.shape;

// Where the loader takes a key loosely and checks it by hand afterwards (to say which part is
// wrong), editors get the precise shape instead. Only those keys are spelled here; every other key,
// with its description and default, comes from stageBody as it is.
const duration = z.union([z.string().regex(DURATION_TEXT), z.number().min(0)]);
const precise = {
  outs: z.array(fileEntry(pathOptions.extend({ register: registerEntry.optional() }))),
  // Only outs register models (load.ts refuses register: on metrics and plots).
  metrics: z.array(fileEntry(pathOptions.omit({ register: true }))),
  plots: z.array(fileEntry(pathOptions.omit({ register: true }))),
  retry_delay: duration,
  timeout: duration,
} satisfies Partial<Record<StageKey, z.ZodType>>;

/** `strict` wrapped the way the loader's `loose` is (default or optional), with its description. */
function like(loose: z.ZodType, strict: z.ZodType): z.ZodType {
  const wrapped =
    loose instanceof z.ZodDefault
      ? strict.default(loose.def.defaultValue as never)
      : loose instanceof z.ZodOptional
        ? strict.optional()
        : strict;
  return loose.description === undefined ? wrapped : wrapped.describe(loose.description);
}

const stageKeys: Record<StageKey, z.ZodType> = { ...stageBody.shape };
for (const [key, schema] of Object.entries(precise))
  stageKeys[key as StageKey] = like(stageBody.shape[key as StageKey], schema);

const stage = z.object(stageKeys).strict();
const foreachStage = z
  .object({
    foreach: z
      .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
      .describe('Stamp out one stage per item: ${item} (and ${key} for a map) in do:.'),
    do: stage.partial(),
  })
  .strict();
const matrixStage = z
  .object({
    matrix: z.record(z.string(), z.array(z.unknown())).describe('Stamp out one stage per combination: ${item.<name>}.'),
    ...stageKeys,
  })
  .strict();

/** The JSON Schema of benchtop.yaml (what resources/schema/benchtop.schema.json holds). */
export function pipelineJsonSchema(): Record<string, unknown> {
  const stages = pipelineFile.shape.stages;
  const file = pipelineFile.extend({
    stages: like(stages, z.record(stages.keyType, z.union([stage, foreachStage, matrixStage]))),
  });
  return {
    ...z.toJSONSchema(file, { io: 'input' }),
    $id: 'https://benchtop.invalid/schema/benchtop.schema.json',
    title: 'benchtop.yaml',
  };
}
