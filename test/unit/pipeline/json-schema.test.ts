import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  pathOptions,
  pipelineFile,
  registerMap,
  scheduleSchema,
  slurmExecutor,
  stageBody,
} from '../../../electron/core/pipeline/definition';
import { pipelineJsonSchema } from '../../../electron/core/pipeline/json-schema';
import { ROOT } from '../../support/helpers';

const FILE = path.join(ROOT, 'resources', 'schema', 'benchtop.schema.json');

describe('the published JSON Schema of benchtop.yaml', () => {
  it('matches the schema the loader validates with (UPDATE_SCHEMA=1 rewrites it)', () => {
    const text = `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA) writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('describes the stage keys and forbids unknown ones', () => {
    const schema = pipelineJsonSchema() as {
      properties: {
        stages: {
          additionalProperties: { anyOf: { properties: Record<string, unknown>; additionalProperties: boolean }[] };
        };
      };
    };
    const plain = schema.properties.stages.additionalProperties.anyOf[0]!;
    expect(Object.keys(plain.properties).sort()).toEqual([
      'always_changed',
      'cmd',
      'deps',
      'desc',
      'env',
      'executor',
      'frozen',
      'metrics',
      'outs',
      'params',
      'plots',
      'retries',
      'retry_delay',
      'timeout',
      'wdir',
    ]);
    expect(plain.additionalProperties).toBe(false);
  });
});

// The committed file is regenerated and compared above; these check that the generator itself
// leaves no key of the loader's shapes out and adds none of its own, at every level editors see.
describe('the JSON Schema has exactly the keys of the loader shapes', () => {
  type Node = {
    properties?: Record<string, Node>;
    additionalProperties?: Node | boolean;
    anyOf?: Node[];
    items?: Node;
    required?: string[];
  };
  const schema = JSON.parse(readFileSync(FILE, 'utf8')) as Node;
  const keys = (node: Node | undefined): string[] => Object.keys(node?.properties ?? {}).sort();
  const sorted = (shape: object): string[] => Object.keys(shape).sort();
  const stages = (schema.properties!.stages!.additionalProperties as Node).anyOf!;
  const [plain, foreach, matrix] = stages;
  /** The options map of an outs/metrics/plots entry: `{path: {…options}}`. */
  const options = (key: string): Node =>
    ((plain!.properties![key]!.items!.anyOf![1]!.additionalProperties as Node).anyOf ?? [])[0]!;

  it('at the top of the file', () => {
    expect(keys(schema)).toEqual(sorted(pipelineFile.shape));
    expect(schema.additionalProperties).toBe(false);
  });

  it('in a stage, a foreach do: block and a matrix stage', () => {
    expect(keys(plain)).toEqual(sorted(stageBody.shape));
    expect(keys(foreach!.properties!.do)).toEqual(sorted(stageBody.shape));
    expect(keys(matrix)).toEqual([...sorted(stageBody.shape), 'matrix'].sort());
    for (const s of [plain, foreach, matrix, foreach!.properties!.do])
      expect((s as Node).additionalProperties).toBe(false);
  });

  it('in the options of outs, metrics and plots, and in register:', () => {
    expect(keys(options('outs'))).toEqual(sorted(pathOptions.shape));
    expect(options('outs').additionalProperties).toBe(false);
    for (const k of ['metrics', 'plots']) {
      expect(keys(options(k))).toEqual(sorted(pathOptions.shape).filter((o) => o !== 'register'));
      expect(options(k).additionalProperties).toBe(false);
    }
    const register = options('outs').properties!.register!.anyOf![1]!;
    expect(keys(register)).toEqual(sorted(registerMap.shape));
    expect(register.additionalProperties).toBe(false);
  });

  it('in an executor', () => {
    const entries = (schema.properties!.executors!.additionalProperties as { oneOf: Node[] }).oneOf;
    const slurm = entries!.find((e) => keys(e).includes('partition'))!;
    expect(keys(slurm)).toEqual(sorted(slurmExecutor.shape));
    expect(slurm.additionalProperties).toBe(false);
  });

  it('in a schedule', () => {
    const scheduleObject = scheduleSchema.options[1];
    const inFile = schema.properties!.schedule!.anyOf![0]!.anyOf![1]!;
    expect(keys(inFile)).toEqual(sorted(scheduleObject.shape));
    expect(inFile.additionalProperties).toBe(false);
  });
});
