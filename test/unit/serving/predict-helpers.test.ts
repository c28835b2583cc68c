// The predict helpers a predictor is written with: they announce readiness, answer in order (async
// answers too), turn a failing record into {"$error"} and keep going, and keep stray prints off
// stdout.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/helpers';

const JS_HELPER = path.join(ROOT, 'resources', 'helpers', 'js', 'benchtop.cjs');
const PY_HELPERS = path.join(ROOT, 'resources', 'helpers', 'python');
const INPUT = ['{"x": 1}', '{"x": "a"}', '', '{"x": 2}', 'not json', '{"x": 3}'].join('\n') + '\n';

function lines(stdout: string): unknown[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe('servePredictions (JavaScript)', () => {
  it('answers one line per input in order, async answers included, with {"$error"} for failures', () => {
    const script = `
      const b = require(${JSON.stringify(JS_HELPER)});
      b.servePredictions((r) => {
        console.log('log line', r.x);
        if (typeof r.x !== 'number') throw new Error('x must be a number');
        // The second record answers later than the third would: the order must still hold.
        if (r.x === 2) return new Promise((res) => setTimeout(() => res({ y: 20 }), 50));
        if (r.x === 3) return { y: NaN };
        return { y: r.x * 10 };
      }).then(() => process.stderr.write('finished\\n'));`;
    const r = spawnSync(process.execPath, ['-e', script], { input: INPUT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([
      { $ready: true },
      { y: 10 },
      { $error: 'x must be a number' },
      { y: 20 },
      { $error: expect.stringMatching(/^Unexpected token|is not valid JSON/) },
      { $error: 'the output holds NaN, which JSON cannot carry' },
    ]);
    expect(r.stderr).toContain('log line 1');
    expect(r.stderr.trim().endsWith('finished')).toBe(true);
  });

  it('says where the model is, or why it does not know', () => {
    const ok = spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(JS_HELPER)}).modelPath())`], {
      env: { ...process.env, BENCHTOP_MODEL_PATH: '/m/model.json' },
      encoding: 'utf8',
    });
    expect(ok.stdout.trim()).toBe('/m/model.json');
    const env = { ...process.env };
    delete env.BENCHTOP_MODEL_PATH;
    const missing = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(JS_HELPER)}).modelPath()`], {
      env,
      encoding: 'utf8',
    });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('BENCHTOP_MODEL_PATH is not set');
  });
});

describe('serve_predictions (Python)', () => {
  it('answers one line per input in order, with {"$error"} for failures, and prints go to stderr', () => {
    const script = [
      'import benchtop',
      'def answer(r):',
      '    print("log line", r["x"])',
      '    if r["x"] == 3:',
      '        return {"y": float("nan")}',
      '    return {"y": (r["x"] + 0) * 10}',
      'benchtop.serve_predictions(answer)',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script], {
      input: INPUT,
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: PY_HELPERS },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([
      { $ready: true },
      { y: 10 },
      { $error: expect.stringContaining('can only concatenate str') },
      { y: 20 },
      { $error: expect.stringContaining('Expecting value') },
      { $error: expect.stringContaining('Out of range float values are not JSON compliant') },
    ]);
    expect(r.stderr).toContain('log line 1');
  });
});
