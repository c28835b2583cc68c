import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../electron/core/pipeline/load';
import { FileProblemError } from '../../../electron/core/util/yaml-file';
import { tmpDir } from '../../support/helpers';

function project(files: Record<string, string> = {}): string {
  const dir = tmpDir();
  writeFileSync(path.join(dir, 'params.yaml'), 'train:\n  lr: 0.1\n  epochs: 5\nseeds: [1, 2]\n');
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'raw.csv'), 'a\n1\n');
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

function problems(yaml: string, dir = project()): FileProblemError['problems'] {
  try {
    parsePipeline(yaml, dir);
  } catch (err) {
    if (err instanceof FileProblemError) return err.problems;
    throw err;
  }
  throw new Error('expected the pipeline to be refused');
}

describe('benchtop.yaml: loading', () => {
  it('resolves stages, params, outputs and options', () => {
    const p = parsePipeline(
      `stages:
  prep:
    cmd: [echo one, echo two]
    deps: [data/raw.csv]
    outs: [build/clean.csv, {build/cache: {cache: false, persist: true}}]
  train:
    cmd: python3 train.py --lr \${train.lr}
    wdir: .
    deps: [build/clean.csv]
    params: [train.lr, {params.yaml: [train.epochs]}]
    metrics: [metrics.json]
    env: {SEED: 7}
    retries: 2
    retry_delay: 500ms
    timeout: 2m
`,
      project(),
    );
    expect(p.stages.map((s) => s.name)).toEqual(['prep', 'train']);
    const [prep, train] = p.stages;
    expect(prep!.cmd).toEqual(['echo one', 'echo two']);
    expect(prep!.outs).toEqual([
      { path: 'build/clean.csv', cache: true, persist: false, kind: 'out' },
      { path: 'build/cache', cache: false, persist: true, kind: 'out' },
    ]);
    expect(train!.cmd).toEqual(['python3 train.py --lr 0.1']);
    expect(train!.params).toEqual([
      { file: 'params.yaml', key: 'train.lr' },
      { file: 'params.yaml', key: 'train.epochs' },
    ]);
    expect(train!).toMatchObject({ env: { SEED: '7' }, retries: 2, retryDelayMs: 500, timeoutMs: 120_000 });
    expect(train!.outs).toEqual([{ path: 'metrics.json', cache: true, persist: false, kind: 'metric' }]);
  });

  it('stamps out stages with foreach (list and map) and matrix, interpolating items and vars', () => {
    const p = parsePipeline(
      `vars:
  out: build
stages:
  fit:
    foreach: [tree, forest]
    do:
      cmd: train \${item}
      outs: ["\${out}/\${item}.json"]
  score:
    foreach: {small: 10, large: 1000}
    do:
      cmd: score --n \${item} --name \${key}
  grid:
    matrix:
      model: [tree, forest]
      seed: \${seeds}
    cmd: run \${item.model} \${item.seed}
`,
      project(),
    );
    expect(p.stages.map((s) => [s.name, s.cmd[0]])).toEqual([
      ['fit@tree', 'train tree'],
      ['fit@forest', 'train forest'],
      ['score@small', 'score --n 10 --name small'],
      ['score@large', 'score --n 1000 --name large'],
      ['grid@tree-1', 'run tree 1'],
      ['grid@tree-2', 'run tree 2'],
      ['grid@forest-1', 'run forest 1'],
      ['grid@forest-2', 'run forest 2'],
    ]);
    expect(p.stages[1]!.outs[0]!.path).toBe('build/forest.json');
    expect(p.stages[0]!.source).toBe('fit');
  });

  it('reads schedules: cron and nicknames', () => {
    const p = parsePipeline(
      `schedule: [ "0 3 * * *", "@hourly", {cron: "@daily", catchup: true} ]\nstages:\n  a:\n    cmd: echo\n`,
      project(),
    );
    expect(p.schedules).toEqual([
      { cron: '0 3 * * *', catchup: false, targets: undefined },
      { cron: '@hourly', catchup: false, targets: undefined },
      { cron: '@daily', catchup: true, targets: undefined },
    ]);
  });
});

describe('benchtop.yaml: validation before anything runs', () => {
  it('names an unknown key with its line and column', () => {
    const [p] = problems(`stages:\n  train:\n    cmd: echo\n    depz: [a]\n`);
    expect(p).toMatchObject({ file: 'benchtop.yaml', line: 4, column: 5, message: 'stages.train.depz: unknown key' });
    expect(p!.hint).toContain('deps');
  });

  it('names the stages of a cycle', () => {
    const list = problems(`stages:
  a:
    cmd: x
    deps: [b.out]
    outs: [a.out]
  b:
    cmd: y
    deps: [c.out]
    outs: [b.out]
  c:
    cmd: z
    deps: [a.out]
    outs: [c.out]
`);
    expect(list).toHaveLength(1);
    expect(list[0]!.message).toBe('the stages a → c → b → a form a cycle');
    expect(list[0]!.line).toBe(2);
  });

  it('refuses two stages writing the same output (or one inside the other)', () => {
    const list = problems(
      `stages:\n  a:\n    cmd: x\n    outs: [build]\n  b:\n    cmd: y\n    outs: [build/model.json]\n`,
    );
    expect(list[0]).toMatchObject({ line: 7, message: 'stages a and b both write build and build/model.json' });
  });

  it('refuses a dependency that neither exists nor is written by a stage', () => {
    const list = problems(`stages:\n  a:\n    cmd: x\n    deps: [data/raw.csv, data/missing.csv]\n`);
    expect(list).toEqual([
      expect.objectContaining({
        line: 4,
        message: 'stage a depends on data/missing.csv, which does not exist and no stage writes',
      }),
    ]);
  });

  it('refuses an unknown param key and a missing params file', () => {
    const list = problems(`stages:\n  a:\n    cmd: x\n    params: [train.lr, train.momentum, {other.yaml: [k]}]\n`);
    expect(list.map((p) => p.message)).toEqual([
      'unknown param train.momentum: params.yaml has no such key',
      'params file other.yaml does not exist',
    ]);
    expect(list[0]!.line).toBe(4);
  });

  it('refuses bad durations and cron expressions', () => {
    const list = problems(
      `schedule: "61 * * * *"\nstages:\n  a:\n    cmd: x\n    timeout: soon\n    retry_delay: 5 parsecs\n`,
    );
    expect(list.map((p) => [p.line, p.message])).toEqual([
      [1, expect.stringMatching(/^schedule: "61 \* \* \* \*" is not a cron expression/)],
      [5, 'timeout: "soon" is not a duration'],
      [6, 'retry_delay: "5 parsecs" is not a duration'],
    ]);
  });

  it('refuses paths outside the project and unknown ${...} variables', () => {
    const list = problems(`stages:\n  a:\n    cmd: run \${nope}\n    deps: [../secret.csv]\n    outs: [/etc/passwd]\n`);
    expect(list.map((p) => p.message)).toEqual([
      'stage a: ${nope}: no such variable, item or param',
      'dep ../secret.csv points outside the project',
      'outs /etc/passwd points outside the project',
    ]);
    expect(list.map((p) => p.line)).toEqual([3, 4, 5]);
  });

  it('lists every problem at once, and a stage without cmd', () => {
    const list = problems(`stages:\n  a:\n    deps: [data/raw.csv]\n  b:\n    cmd: y\n    retries: -1\n`);
    expect(list.map((p) => p.message)).toEqual([
      expect.stringMatching(/^stages\.a\.cmd: /),
      expect.stringMatching(/^stages\.b\.retries: /),
    ]);
  });

  it('never fails with anything but a located FileProblemError (property)', () => {
    const dir = project();
    const key = fc.constantFrom(
      'cmd',
      'deps',
      'outs',
      'params',
      'foreach',
      'do',
      'matrix',
      'timeout',
      'retries',
      'wdir',
      'frozen',
      'x',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      fc.constant(null),
    );
    const stage = fc.dictionary(key, value, { maxKeys: 5 });
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), stage, { maxKeys: 4 }), (stages) => {
        try {
          parsePipeline(JSON.stringify({ stages }), dir);
        } catch (err) {
          expect(err).toBeInstanceOf(FileProblemError);
          for (const p of (err as FileProblemError).problems) expect(p.file).toBe('benchtop.yaml');
        }
      }),
      { numRuns: 400 },
    );
  });
});
