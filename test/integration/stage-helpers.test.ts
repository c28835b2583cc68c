// The stage helpers (resources/helpers) speak the `::benchtop:: {json}` line protocol exactly, and the
// demo's JavaScript stages (resources/demo/src/*.js) run with plain `node` and train a real model.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoFiles } from '../../electron/core/project/init';

const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON_HELPERS = path.join(ROOT, 'resources', 'helpers', 'python');
const JS_HELPER = path.join(ROOT, 'resources', 'helpers', 'js', 'benchtop.cjs');
const DEMO = path.join(ROOT, 'resources', 'demo');
const PREFIX = '::benchtop:: ';

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `benchtop-${prefix}-`));
  made.push(dir);
  return dir;
}

/** The environment a stage gets: this process's, without any BENCHTOP_* from outside the test. */
function stageEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCHTOP_')) env[k] = v;
  return { ...env, ...extra };
}

function protocolLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith(PREFIX));
}

interface Message {
  type: string;
  key?: string;
  value?: unknown;
  step?: number;
  path?: string;
}

function messages(stdout: string): Message[] {
  return protocolLines(stdout).map((l) => JSON.parse(l.slice(PREFIX.length)) as Message);
}

function metricValues(stdout: string, key: string): { value: number; step: number }[] {
  return messages(stdout)
    .filter((m) => m.type === 'metric' && m.key === key)
    .map((m) => ({ value: m.value as number, step: m.step as number }));
}

const PARAMS = { split: { seed: 42, test_fraction: 0.3 }, train: { lr: 0.1 }, dataset: 'data/iris.csv' };

/** What both helpers must print for the same calls (see the two scripts below). */
const EXPECTED = [
  '::benchtop:: {"type":"metric","key":"loss","value":0.25,"step":0}',
  '::benchtop:: {"type":"metric","key":"loss","value":0.125,"step":1}',
  '::benchtop:: {"type":"metric","key":"acc","value":1,"step":0}',
  '::benchtop:: {"type":"metric","key":"loss","value":0.5,"step":10}',
  '::benchtop:: {"type":"metric","key":"loss","value":0.0625,"step":11}',
  '::benchtop:: {"type":"param","key":"split.seed","value":42}',
  '::benchtop:: {"type":"param","key":"split.test_fraction","value":0.3}',
  '::benchtop:: {"type":"param","key":"train.lr","value":0.1}',
  '::benchtop:: {"type":"param","key":"dataset","value":"data/iris.csv"}',
  '::benchtop:: {"type":"param","key":"fast","value":true}',
  '::benchtop:: {"type":"tag","key":"model","value":"softmax"}',
  '::benchtop:: {"type":"artifact","path":"build/model.json"}',
];

const PY_SCRIPT = `import json
import benchtop

print("PARAMS " + json.dumps(benchtop.params()))
benchtop.log_metric("loss", 0.25)
benchtop.log_metric("loss", 0.125)
benchtop.log_metric("acc", 1)
benchtop.log_metric("loss", 0.5, step=10)
benchtop.log_metric("loss", 0.0625)
p = benchtop.params()
p["fast"] = True
benchtop.log_params(p)
benchtop.set_tag("model", "softmax")
print("an ordinary log line")
benchtop.log_artifact("build/model.json")
`;

const JS_SCRIPT = `const benchtop = require(process.env.HELPER);
console.log('PARAMS ' + JSON.stringify(benchtop.params()));
benchtop.logMetric('loss', 0.25);
benchtop.logMetric('loss', 0.125);
benchtop.logMetric('acc', 1);
benchtop.logMetric('loss', 0.5, 10);
benchtop.logMetric('loss', 0.0625);
benchtop.logParams({ ...benchtop.params(), fast: true });
benchtop.setTag('model', 'softmax');
console.log('an ordinary log line');
benchtop.logArtifact('build/model.json');
`;

function writeParams(dir: string, params: unknown): string {
  const file = path.join(dir, 'params.json');
  writeFileSync(file, JSON.stringify(params));
  return file;
}

function paramsLine(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('PARAMS '));
  return line === undefined ? undefined : JSON.parse(line.slice('PARAMS '.length));
}

describe('the Python stage helper', () => {
  function runPython(script: string, env: Record<string, string>) {
    const dir = tmp('py');
    writeFileSync(path.join(dir, 'stage.py'), script);
    return spawnSync('python3', [path.join(dir, 'stage.py')], {
      cwd: dir,
      env: stageEnv({ PYTHONPATH: PYTHON_HELPERS, PYTHONDONTWRITEBYTECODE: '1', ...env }),
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('prints the exact protocol lines and reads the params file', () => {
    const r = runPython(PY_SCRIPT, { BENCHTOP_PARAMS_FILE: writeParams(tmp('params'), PARAMS) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(paramsLine(r.stdout)).toEqual(PARAMS);
    expect(protocolLines(r.stdout)).toEqual(EXPECTED);
    expect(r.stdout).toContain('\nan ordinary log line\n');
  });

  it('returns {} for params() outside Benchtop', () => {
    const r = runPython('import json, benchtop\nprint("PARAMS " + json.dumps(benchtop.params()))\n', {});
    expect(r.status).toBe(0);
    expect(paramsLine(r.stdout)).toEqual({});
  });

  it('keeps NaN and ±Infinity as protocol strings', () => {
    const r = runPython(
      'import benchtop\nbenchtop.log_metric("a", float("nan"))\nbenchtop.log_metric("b", float("inf"))\nbenchtop.log_metric("c", float("-inf"))\n',
      {},
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('::benchtop:: {"type":"metric","key":"a","value":"NaN","step":0}');
    expect(r.stdout).toContain('"value":"Infinity"');
    expect(r.stdout).toContain('"value":"-Infinity"');
  });

  it('rejects a metric value that is not a number, or an empty key, with a clear error', () => {
    for (const [call, message] of [
      ['benchtop.log_metric("loss", "0.5")', "metric 'loss' must be a number, got str '0.5'"],
      ['benchtop.log_metric("", 1)', 'metric key must be a non-empty string'],
    ] as const) {
      const r = runPython(`import benchtop\n${call}\n`, {});
      expect(r.status, call).not.toBe(0);
      expect(r.stderr, call).toContain('ValueError');
      expect(r.stderr, call).toContain(message);
      expect(protocolLines(r.stdout), call).toEqual([]);
    }
  });
});

describe('the JavaScript stage helper', () => {
  function runNode(script: string, env: Record<string, string>) {
    const dir = tmp('js');
    writeFileSync(path.join(dir, 'stage.js'), script);
    return spawnSync(process.execPath, [path.join(dir, 'stage.js')], {
      cwd: dir,
      env: stageEnv({ HELPER: JS_HELPER, ...env }),
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('prints the exact protocol lines and reads the params file', () => {
    const r = runNode(JS_SCRIPT, { BENCHTOP_PARAMS_FILE: writeParams(tmp('params'), PARAMS) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(paramsLine(r.stdout)).toEqual(PARAMS);
    expect(protocolLines(r.stdout)).toEqual(EXPECTED);
    expect(r.stdout).toContain('\nan ordinary log line\n');
  });

  it('returns {} for params() outside Benchtop', () => {
    const r = runNode("console.log('PARAMS ' + JSON.stringify(require(process.env.HELPER).params()));\n", {});
    expect(r.status).toBe(0);
    expect(paramsLine(r.stdout)).toEqual({});
  });

  it('keeps NaN and ±Infinity as protocol strings (JavaScript)', () => {
    const r = runNode(
      "const b = require(process.env.HELPER); b.logMetric('a', NaN); b.logMetric('b', Infinity); b.logMetric('c', -Infinity);\n",
      {},
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('::benchtop:: {"type":"metric","key":"a","value":"NaN","step":0}');
    expect(r.stdout).toContain('"value":"Infinity"');
    expect(r.stdout).toContain('"value":"-Infinity"');
  });

  it('rejects a metric value that is not a number, or an empty key, with a clear error', () => {
    const helper = createRequire(__filename)(JS_HELPER) as {
      logMetric(key: unknown, value: unknown, step?: unknown): void;
    };
    expect(() => helper.logMetric('loss', '0.5')).toThrow('benchtop: metric "loss" must be a number, got string "0.5"');
    expect(() => helper.logMetric('', 1)).toThrow('metric key must be a non-empty string');
    expect(() => helper.logMetric('loss', 1, -1)).toThrow('step for metric "loss" must be an integer >= 0');
  });

  // The demo must run with plain `node` outside Benchtop, so a demo project carries its own copy of
  // the helper (src/common.js falls back to it when BENCHTOP_HELPERS_JS is unset). The copy is made
  // when the demo is created, from the one file Benchtop ships.
  it('is copied byte for byte into the demo project, from its only source', () => {
    const copy = demoFiles().find((f) => f.rel === path.join('src', 'benchtop.cjs'));
    expect(copy?.from).toBe(JS_HELPER);
    expect(existsSync(path.join(DEMO, 'src', 'benchtop.cjs'))).toBe(false);
    const dir = copyDemo();
    expect(readFileSync(path.join(dir, 'src', 'benchtop.cjs')).equals(readFileSync(JS_HELPER))).toBe(true);
  });
});

/** The files of a new demo project, as initProject copies them (without its git and database). */
function copyDemo(): string {
  const dir = path.join(tmp('demo'), 'demo');
  for (const f of demoFiles()) cpSync(f.from, path.join(dir, f.rel), { recursive: true });
  return dir;
}

describe("the demo's JavaScript stages", () => {
  function stage(dir: string, file: string, env: Record<string, string> = {}): string {
    return execFileSync(process.execPath, [path.join('src', file)], {
      cwd: dir,
      env: stageEnv(env),
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('prepare, train and evaluate run with plain node, report live metrics and beat the scorecard', () => {
    const dir = copyDemo();
    const prepared = stage(dir, 'prepare.js');
    expect(prepared).toMatch(
      /^prepare: 3000 applications \(history and 0 production weeks\): \d+ to train, \d+ to test$/m,
    );
    expect(existsSync(path.join(dir, 'build', 'train.csv'))).toBe(true);
    expect(existsSync(path.join(dir, 'build', 'test.csv'))).toBe(true);

    const trained = stage(dir, 'train.js');
    expect(existsSync(path.join(dir, 'build', 'model.json'))).toBe(true);
    const losses = metricValues(trained, 'loss');
    expect(losses.map((l) => l.step)).toEqual(Array.from({ length: 31 }, (_, i) => i * 10));
    const first = losses[0];
    const last = losses[losses.length - 1];
    expect(first && last && last.value < first.value).toBe(true);
    expect(
      messages(trained)
        .filter((m) => m.type === 'param')
        .map((m) => m.key),
    ).toEqual(['model.family', 'train.epochs', 'train.lr', 'train.l2']);

    const evaluated = stage(dir, 'evaluate.js', {
      BENCHTOP_MODEL_LOAN_DEFAULT: path.join(dir, 'models', 'scorecard.json'),
    });
    const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as Record<string, number>;
    expect(metrics.auc).toBeGreaterThan(metrics.champion_auc!);
    expect(metrics.accuracy).toBeGreaterThan(0.75);
    // Benchtop reads these from metrics.json (the stage's `metrics:` file), not from protocol lines.
    for (const key of ['accuracy', 'auc', 'f1', 'log_loss', 'champion_auc', 'auc_lift'])
      expect(Number.isFinite(metrics[key]), key).toBe(true);
    expect(metrics.auc_lift).toBeCloseTo(metrics.auc! - metrics.champion_auc!, 5);
    expect(evaluated).toMatch(
      /^evaluate: logistic-regression AUC 0\.\d+, accuracy 0\.\d+; the champion \(scorecard\)/m,
    );
    const release = JSON.parse(readFileSync(path.join(dir, 'build', 'release.json'), 'utf8')) as {
      model: { kind: string };
      evaluation: { auc: number };
    };
    expect(release.model.kind).toBe('logistic-regression');
    expect(release.evaluation.auc).toBe(metrics.auc);
  });

  it('evaluate says how to run it when no champion is handed over', () => {
    const dir = copyDemo();
    stage(dir, 'prepare.js');
    stage(dir, 'train.js');
    expect(() => stage(dir, 'evaluate.js')).toThrow(
      /BENCHTOP_MODEL_LOAN_DEFAULT is not set: run this stage with `benchtop run`/,
    );
  });

  it("take Benchtop's params file over params.yaml", () => {
    const dir = copyDemo();
    const params = {
      data: { history: 'data/loans.csv', batches: 'data/batches', window: 1000 },
      target: 'default',
      split: { test_fraction: 0.3, seed: 7 },
      model: { family: 'boosted' },
      boost: { n_estimators: 25, depth: 2, learning_rate: 0.3 },
    };
    const env = { BENCHTOP_PARAMS_FILE: writeParams(tmp('params'), params) };
    expect(stage(dir, 'prepare.js', env)).toMatch(/^prepare: 1000 applications/m);
    const trained = stage(dir, 'train.js', env);
    expect(metricValues(trained, 'loss').map((l) => l.step)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    expect(messages(trained).filter((m) => m.type === 'param')).toEqual([
      { type: 'param', key: 'model.family', value: 'boosted' },
      { type: 'param', key: 'boost.n_estimators', value: 25 },
      { type: 'param', key: 'boost.depth', value: 2 },
      { type: 'param', key: 'boost.learning_rate', value: 0.3 },
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'build', 'model.json'), 'utf8'))).toMatchObject({
      kind: 'boosted-trees',
    });
  });
});
