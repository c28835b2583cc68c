import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDag } from '../../../electron/core/pipeline/graph';
import { parsePipeline } from '../../../electron/core/pipeline/load';
import { readPipelineView } from '../../../electron/core/pipeline/view';
import { FileProblemError } from '../../../electron/core/util/yaml-file';
import { tmpDir } from '../../support/helpers';

function project(): string {
  const dir = tmpDir();
  writeFileSync(path.join(dir, 'serve.py'), '');
  return dir;
}

function problems(yaml: string): { line: number | null; message: string; hint: string }[] {
  try {
    parsePipeline(yaml, project());
  } catch (err) {
    if (err instanceof FileProblemError)
      return err.problems.map((p) => ({ line: p.line, message: p.message, hint: p.hint }));
    throw err;
  }
  throw new Error('expected the pipeline to be refused');
}

describe('benchtop.yaml: register: on outs', () => {
  it('reads the short and the long form', () => {
    const p = parsePipeline(
      `stages:
  train:
    cmd: python train.py
    outs:
      - models/a.pkl:
          register: churn
      - models/b:
          cache: false
          register:
            name: churn-b
            alias: challenger
            if: accuracy >= champion
            description: the b model
            predict: python predict.py
      - plain.txt
`,
      project(),
    );
    expect(p.stages[0]!.outs).toEqual([
      {
        path: 'models/a.pkl',
        cache: true,
        persist: false,
        kind: 'out',
        register: { name: 'churn', alias: null, gate: null, description: undefined, predict: undefined },
      },
      {
        path: 'models/b',
        cache: false,
        persist: false,
        kind: 'out',
        register: {
          name: 'churn-b',
          alias: 'challenger',
          gate: { metric: 'accuracy', op: '>=', target: { kind: 'alias', alias: 'champion' } },
          description: 'the b model',
          predict: 'python predict.py',
        },
      },
      { path: 'plain.txt', cache: true, persist: false, kind: 'out' },
    ]);
  });

  it('locates every malformed entry, with a fix', () => {
    expect(
      problems(`stages:
  train:
    cmd: echo
    outs:
      - m.pkl:
          register:
            name: churn
            alias: latest
            if: accuracy => champion
            colour: red
      - n.pkl:
          register: {alias: x}
      - o.pkl:
          register: [a]
      - p.pkl:
          register: {name: bad name!, if: acc > 0.9}
      - q.pkl:
          register: {name: q, alias: best, if: ''}
    metrics:
      - met.json:
          register: churn
`),
    ).toEqual([
      {
        line: 8,
        message: 'register.alias: "latest" is reserved: `latest` and v followed by digits already name versions',
        hint: 'Pick another alias, such as champion or production.',
      },
      {
        line: 9,
        message: 'register.if: "accuracy => champion" has an operator the gate does not know',
        hint: expect.stringContaining('METRIC OP NUMBER or METRIC OP ALIAS'),
      },
      {
        line: 10,
        message: 'register: unknown key colour',
        hint: 'The keys of register: are name, alias, if, description, predict, signature.',
      },
      {
        line: 12,
        message: 'register: needs name: (the model to register the out as)',
        hint: expect.stringContaining('register: NAME'),
      },
      {
        line: 14,
        message: 'register: must be a model name or a map with name:',
        hint: expect.stringContaining('register: NAME'),
      },
      {
        line: 16,
        message: expect.stringMatching(/^register\.name: "bad name!" cannot be a model name/),
        hint: 'Use a name such as churn-classifier.',
      },
      {
        line: 16,
        message: 'register.if: a gate needs an alias: to set when it passes',
        hint: 'Add alias: (for example alias: challenger), or remove if:.',
      },
      {
        line: 18,
        message: 'register.if: must be a comparison such as accuracy >= champion',
        hint: expect.stringContaining('METRIC OP NUMBER'),
      },
      {
        line: 21,
        message: 'metrics met.json: only outs can register a model',
        hint: 'Move the model file under outs:.',
      },
    ]);
  });
});

describe('benchtop.yaml: register.signature', () => {
  it('reads the input columns as a map of column to type, and locates malformed ones', () => {
    const p = parsePipeline(
      `stages:
  train:
    cmd: echo
    outs:
      - m.json:
          register:
            name: iris
            predict: node predict.js
            signature:
              petal_length: number
              species: string
`,
      project(),
    );
    expect(p.stages[0]!.outs[0]!.register).toEqual({
      name: 'iris',
      alias: null,
      gate: null,
      description: undefined,
      predict: 'node predict.js',
      signature: [
        { name: 'petal_length', type: 'number' },
        { name: 'species', type: 'string' },
      ],
    });
    expect(
      problems(`stages:
  train:
    cmd: echo
    outs:
      - m.json:
          register: {name: a, signature: [petal_length]}
      - n.json:
          register:
            name: b
            signature:
              petal_length: 3
`),
    ).toEqual([
      {
        line: 6,
        message: 'register.signature: must map each input column to its type',
        hint: 'Write signature: {sepal_length: number, plan: string}.',
      },
      {
        line: 11,
        message: expect.stringMatching(/^register\.signature\.petal_length: the type must be a word/),
        hint: expect.stringContaining('register: NAME'),
      },
    ]);
  });
});

describe('benchtop.yaml: models:/ deps', () => {
  it('keeps model references apart from file deps, with the variables that carry them', () => {
    const p = parsePipeline(
      `stages:
  train:
    cmd: echo
    outs:
      - model.pkl:
          register: {name: churn, alias: champion}
  serve:
    cmd: python serve.py
    deps: [serve.py, models:/churn@champion, models:/iris-v2/3]
  compare:
    cmd: echo
    deps: [models:/churn@champion, models:/churn@challenger]
`,
      project(),
    );
    const [, serve, compare] = p.stages;
    expect(serve!.deps).toEqual(['serve.py']);
    expect(serve!.models).toEqual([
      { ref: 'models:/churn@champion', name: 'churn', env: ['BENCHTOP_MODEL_CHURN', 'BENCHTOP_MODEL_CHURN_CHAMPION'] },
      { ref: 'models:/iris-v2/3', name: 'iris-v2', env: ['BENCHTOP_MODEL_IRIS_V2', 'BENCHTOP_MODEL_IRIS_V2_V3'] },
    ]);
    // Two versions of one model: only the specific names, as the short one would be ambiguous.
    expect(compare!.models.map((m) => m.env)).toEqual([
      ['BENCHTOP_MODEL_CHURN_CHAMPION'],
      ['BENCHTOP_MODEL_CHURN_CHALLENGER'],
    ]);
    // The stages reading churn come after the stage that registers it; no file is looked for.
    const dag = buildDag(p.stages);
    expect([...dag.upstream.get('serve')!]).toEqual(['train']);
    expect([...dag.upstream.get('compare')!]).toEqual(['train']);
  });

  it('shows model references in the pipeline view as written, linked to the stage that registers the model', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `stages:
  train:
    cmd: echo
    outs:
      - model.pkl:
          register: churn
  serve:
    cmd: python serve.py
    deps: [serve.py, models:/churn@champion]
`,
    );
    const view = readPipelineView(dir);
    expect(view.problems).toEqual([]);
    expect(view.stages.find((s) => s.name === 'serve')).toMatchObject({
      deps: ['serve.py', 'models:/churn@champion'],
      after: ['train'],
    });
  });

  it('locates malformed references (a missing model is no load problem: the stage fails when it runs)', () => {
    expect(
      problems(`stages:
  serve:
    cmd: echo
    deps:
      - models:/nothing-yet@champion
      - models:churn
      - models:/churn/0
      - models:/churn@latest-ish!
      - models:/churn@champion
      - models:/churn@champion
      - models:/a_b@x
      - models:/a-b@x
`),
    ).toEqual([
      {
        line: 6,
        message: 'dep models:churn: "models:churn" is not a model reference',
        hint: 'Write models:/NAME@ALIAS (models:/churn@champion) or models:/NAME/N (models:/churn/3).',
      },
      {
        line: 7,
        message: 'dep models:/churn/0: "models:/churn/0" is not a model reference',
        hint: expect.stringContaining('NAME@ALIAS'),
      },
      {
        line: 8,
        message: expect.stringMatching(/^dep models:\/churn@latest-ish!: "latest-ish!" cannot be an alias/),
        hint: expect.any(String),
      },
      { line: 10, message: 'dep models:/churn@champion is listed twice', hint: 'List each model reference once.' },
      {
        line: 12,
        message: 'deps models:/a_b@x and models:/a-b@x would both be handed to the stage as BENCHTOP_MODEL_A_B',
        hint: 'Depend on each version once, or rename one of the models.',
      },
    ]);
  });
});
