import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
