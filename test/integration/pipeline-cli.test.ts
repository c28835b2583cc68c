import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, tmpDir } from '../support/helpers';

const ROOT_DEMO = path.join(ROOT, 'resources', 'demo');

function demo(): string {
  const dir = path.join(tmpDir(), 'demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  return dir;
}

describe('benchtop run / status / dag / logs', () => {
  it('runs the demo, explains what would run and why, and prints logs', () => {
    const dir = demo();
    const before = runCli(['status'], { cwd: dir });
    expect(before.stdout).toContain('prepare: will run: never ran');

    const first = runCli(['run'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/✓ prepare succeeded/);
    expect(first.stdout).toMatch(
      /evaluate \| evaluate: logistic-regression AUC 0\.\d+, accuracy 0\.\d+; the champion \(scorecard\) AUC 0\.\d+ on the same \d+ rows/,
    );
    expect(first.stdout).toMatch(
      /registered build\/release\.json as loan-default version 2; @champion moved from version 1 to 2 \(auc_lift 0\.\d+ > 0\)/,
    );
    const runId = /Run (run-[\w-]+) succeeded: 3 ran, 0 up to date\./.exec(first.stdout)?.[1];
    expect(runId).toBeDefined();

    // evaluate moved the champion it depends on to its own model: that does not make it out of date.
    const again = runCli(['run'], { cwd: dir });
    expect(again.stdout.trim()).toBe('Nothing to run: every stage is up to date.');

    writeFileSync(
      path.join(dir, 'params.yaml'),
      readFileSync(path.join(dir, 'params.yaml'), 'utf8').replace('lr: 0.5', 'lr: 0.05'),
    );
    const status = runCli(['status', '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).pipeline).toEqual([
      { name: 'prepare', state: 'up-to-date', reasons: [] },
      { name: 'train', state: 'will-run', reasons: ['param train.lr 0.5 → 0.05'] },
      { name: 'evaluate', state: 'will-run', reasons: ['upstream stage train will run'] },
    ]);
    const dry = runCli(['run', '--dry'], { cwd: dir });
    expect(dry.stdout).toContain('train: would run: param train.lr 0.5 → 0.05');

    const logs = runCli(['logs', runId!, 'train'], { cwd: dir });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('$ node src/train.js');
    expect(runCli(['logs', runId!, 'nope'], { cwd: dir }).stderr).toMatch(
      /has no log for stage nope \(it has: evaluate, prepare, train\)/,
    );

    expect(runCli(['dag'], { cwd: dir }).stdout).toBe('prepare\ntrain ← prepare\nevaluate ← prepare, train\n');
    expect(runCli(['dag', '--dot'], { cwd: dir }).stdout).toContain('"prepare" -> "train";');
  });

  it('runs named stages with what they need; exits 1 when a stage fails; refuses unknown stages', () => {
    const dir = demo();
    const r = runCli(['run', 'train'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ prepare succeeded[\s\S]*✓ train succeeded/);
    expect(r.stdout).not.toContain('evaluate succeeded');
    expect(existsSync(path.join(dir, 'metrics.json'))).toBe(false);
    expect(runCli(['run', 'nope'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no stage named nope'),
    });
    writeFileSync(path.join(dir, 'src', 'evaluate.js'), 'process.exit(4)\n');
    const failed = runCli(['run'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('✗ evaluate failed (exited with code 4)');
    expect(runCli(['run', '--jobs', '0'], { cwd: dir }).code).toBe(2);
    // --downstream: the named stage and what follows it, not what it needs.
    writeFileSync(
      path.join(dir, 'src', 'evaluate.js'),
      readFileSync(path.join(ROOT_DEMO, 'src', 'evaluate.js'), 'utf8'),
    );
    const down = runCli(['run', 'train', '--downstream', '--force'], { cwd: dir });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/✓ train succeeded[\s\S]*✓ evaluate succeeded/);
    expect(down.stdout).not.toContain('prepare succeeded');
  });

  it('-S sets a param for one run; the lock records it, so the next plain run undoes it', () => {
    const dir = demo();
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    expect(runCli(['run', '--dry', '-S', 'train.lr=0.05', '-S', 'train.epochs=50'], { cwd: dir }).stdout).toContain(
      'train: would run: param train.epochs 300 → 50; param train.lr 0.5 → 0.05',
    );
    const r = runCli(['run', '-S', 'train.lr=0.05', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { runId: string; stages: { name: string; status: string }[] };
    expect(summary.stages.map((s) => s.status)).toEqual(['up-to-date', 'succeeded', 'succeeded']);
    expect(readFileSync(path.join(dir, 'params.yaml'), 'utf8')).toContain('lr: 0.5');
    expect(runCli(['status'], { cwd: dir }).stdout).toContain('train: will run: param train.lr 0.05 → 0.5');
    expect(runCli(['run', '-S', 'train.momentum=0.9'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot override train.momentum: params.yaml has no such param'),
    });
    expect(runCli(['run', '-S', 'nonsense'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('"nonsense" is not key=value'),
    });
  });

  it('reports a broken benchtop.yaml with file:line and changes nothing', () => {
    const dir = demo();
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  a:\n    cmd: echo\n    outz: [x]\n');
    const r = runCli(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^benchtop: benchtop\.yaml:4:5: stages\.a\.outz: unknown key/);
    expect(existsSync(path.join(dir, 'benchtop.lock'))).toBe(false);
  });

  it('Ctrl-C cancels the run and ends every process of its stages', async () => {
    const dir = path.join(tmpDir(), 'p');
    runCli(['init', '--dir', dir]);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'stages:\n  slow:\n    cmd: sleep 60 & echo $! > child.pid; sleep 60\n',
    );
    const child = spawn(process.execPath, [CLI, 'run'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    while (!existsSync(path.join(dir, 'child.pid'))) {
      if (Date.now() - started > 15_000) throw new Error(`the stage never started:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(out).toMatch(/⊘ slow cancelled/);
    expect(out).toMatch(/Run run-[\w-]+ cancelled/);
    const pid = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    const gone = () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 60 && !gone(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(gone()).toBe(true);
  });
});
