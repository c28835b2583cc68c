// One writer per project (issue 17, cases 4, 5 and 17): the project lock serialises every writing
// command, re-entrant for a stage's own `benchtop` calls, and one `benchtop ui` per project.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../../electron/core/app/core';
import { dispatch } from '../../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { CLI, git, runCli, startUi, tmpDir } from '../../support/helpers';

/** A private home for every CLI this file starts: the real one is never touched. */
const HOME = tmpDir('benchtop-lock-home-');
const ENV: NodeJS.ProcessEnv = {
  BENCHTOP_DATA_DIR: path.join(HOME, 'data'),
  HOME,
  XDG_CONFIG_HOME: path.join(HOME, 'config'),
  BENCHTOP_LOCK_HELD: '',
};

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: ENV });

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function start(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > 30_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function project(): string {
  const dir = path.join(tmpDir(), 'p');
  expect(cli(['init', '--dir', dir], process.cwd()).code).toBe(0);
  return dir;
}

/** A stage that writes its output in two halves and waits for `go` in between; it marks any overlap. */
const SLOW_STAGE = `const fs = require('fs');
const tag = process.env.BENCHTOP_RUN_ID;
try { fs.writeFileSync('running', tag, { flag: 'wx' }); } catch { fs.appendFileSync('overlap', tag + '\\n'); }
fs.appendFileSync('started', tag + '\\n');
const fd = fs.openSync('out.txt', 'w');
fs.writeSync(fd, 'first half of ' + tag + '\\n');
while (!fs.existsSync('go')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
fs.writeSync(fd, 'second half of ' + tag + '\\n');
fs.closeSync(fd);
fs.rmSync('running', { force: true });
`;

function slowPipeline(): string {
  const dir = project();
  writeFileSync(path.join(dir, 'stage.js'), SLOW_STAGE);
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    'stages:\n  slow:\n    cmd: node stage.js\n    deps: [stage.js]\n    outs: [out.txt]\n',
  );
  return dir;
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const HELD_BY_RUN = (pid: number) =>
  new RegExp(`project lock (is )?held by \`benchtop run\` \\(pid ${pid}, since \\d\\d:\\d\\d:\\d\\d\\)`);

describe('one writer per project', () => {
  it('case 4: a second `benchtop run` waits for the first, so outputs and benchtop.lock agree', async () => {
    const dir = slowPipeline();
    const a = start(['run'], dir);
    await until('the first run to start its stage', () => lines(path.join(dir, 'started')).length === 1);
    const b = start(['run'], dir);
    await until(
      'the second run to wait or to start its stage',
      () => /waiting for the project lock/.test(b.err()) || lines(path.join(dir, 'started')).length > 1,
    );
    writeFileSync(path.join(dir, 'go'), '');
    const [codeA, codeB] = await Promise.all([a.exit, b.exit]);
    expect(existsSync(path.join(dir, 'overlap')), 'two stages ran at once').toBe(false);
    expect(b.err()).toMatch(HELD_BY_RUN(a.child.pid!));
    expect([codeA, codeB]).toEqual([0, 0]);
    expect(b.out()).toContain('Nothing to run: every stage is up to date.');
    const out = readFileSync(path.join(dir, 'out.txt'), 'utf8');
    const [runId] = lines(path.join(dir, 'started'));
    expect(out).toBe(`first half of ${runId}\nsecond half of ${runId}\n`);
    const lock = readFileSync(path.join(dir, 'benchtop.lock'), 'utf8');
    expect(lock).toContain(createHash('sha256').update(out).digest('hex'));
    expect(existsSync(path.join(dir, '.benchtop', 'writer.lock')), 'the lock is released').toBe(false);
  });

  it('case 4: --no-wait fails at once naming the holder; read-only commands never wait; a stage’s own writes join its lock', async () => {
    const dir = slowPipeline();
    writeFileSync(path.join(dir, 'side.csv'), 'a,b\n1,2\n');
    // The stage itself tracks a file and registers a model: it runs inside the run's lock.
    writeFileSync(path.join(dir, 'model.txt'), 'weights');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `stages:\n  slow:\n    cmd:\n      - node ${JSON.stringify(CLI)} data add side.csv\n      - node ${JSON.stringify(CLI)} models register m --path model.txt\n      - node stage.js\n    deps: [stage.js]\n    outs: [out.txt]\n`,
    );
    const a = start(['run'], dir);
    await until('the run to reach its last command', () => lines(path.join(dir, 'started')).length === 1);

    writeFileSync(path.join(dir, 'other.csv'), 'x\n1\n');
    const refused = cli(['--no-wait', 'data', 'add', 'other.csv'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(HELD_BY_RUN(a.child.pid!));
    expect(refused.stderr).toMatch(/--no-wait/);
    expect(existsSync(path.join(dir, 'other.csv.bt'))).toBe(false);

    for (const args of [['status'], ['runs'], ['data', 'status'], ['models', 'list'], ['dag'], ['run', '--dry']]) {
      const r = cli(['--no-wait', ...args], dir);
      expect(r.stderr, args.join(' ')).not.toMatch(/project lock/);
      expect(r.code, args.join(' ')).toBe(0);
    }

    writeFileSync(path.join(dir, 'go'), '');
    expect(await a.exit).toBe(0);
    expect(existsSync(path.join(dir, 'side.csv.bt'))).toBe(true);
    expect(cli(['models', 'list', '--json'], dir).stdout).toContain('"m"');
  });

  it('case 4: a lock left by a dead process is taken over; the app’s writes fail with BUSY while the CLI holds it', async () => {
    const dir = slowPipeline();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lockFile = path.join(dir, '.benchtop', 'writer.lock');
    writeFileSync(
      lockFile,
      JSON.stringify({
        token: 'stale',
        pid: Number(dead.stdout),
        startTime: null,
        hostname: os.hostname(),
        command: 'benchtop run',
        since: new Date().toISOString(),
      }),
    );
    writeFileSync(path.join(dir, 'x.csv'), 'a\n1\n');
    const add = cli(['--no-wait', 'data', 'add', 'x.csv'], dir);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(existsSync(lockFile)).toBe(false);

    const a = start(['run'], dir);
    await until('the run to start its stage', () => lines(path.join(dir, 'started')).length === 1);
    const core = new Core({ dataDir: tmpDir(), mode: 'browser', lockWaitMs: 200 });
    await core.open(dir);
    try {
      writeFileSync(path.join(dir, 'y.csv'), 'a\n1\n');
      const r = await dispatch(core.handlers, 'data.add', { paths: ['y.csv'] });
      expect(r.ok).toBe(false);
      expect((r as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'BUSY',
        message: expect.stringMatching(HELD_BY_RUN(a.child.pid!)),
      });
      const read = await dispatch(core.handlers, 'data.tracked', {});
      expect(read.ok).toBe(true);
      writeFileSync(path.join(dir, 'go'), '');
      expect(await a.exit).toBe(0);
      const again = await dispatch(core.handlers, 'data.add', { paths: ['y.csv'] });
      expect(again.ok).toBe(true);
    } finally {
      core.close();
    }
  });

  it('case 4: while `benchtop run` holds the lock, `benchtop ui` answers reads and tracking calls at once and refuses a write with BUSY', async () => {
    const dir = slowPipeline();
    const ui = await startUi(['--dir', dir], { env: ENV });
    const a = start(['run'], dir);
    try {
      await until('the run to start its stage', () => lines(path.join(dir, 'started')).length === 1);
      const post = async (method: string, body: unknown) => {
        const res = await fetch(`${ui.origin}/api/${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await res.json()) as { ok: boolean; value?: any; error?: { code: string; message: string } };
      };
      // A script logging to the app (the helpers, MLflow clients) is never held up by a long run.
      const created = await post('runs.create', { name: 'script', experiment: 'scripts' });
      expect(created.ok).toBe(true);
      expect(
        (await post('runs.log', { runId: created.value.runId, metrics: [{ key: 'loss', value: 1, step: 0 }] })).ok,
      ).toBe(true);
      expect((await post('runs.end', { runId: created.value.runId, status: 'succeeded' })).ok).toBe(true);
      expect((await post('data.tracked', {})).ok).toBe(true);
      writeFileSync(path.join(dir, 'y.csv'), 'a\n1\n');
      const refused = await post('data.add', { paths: ['y.csv'] });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'BUSY', message: expect.stringMatching(HELD_BY_RUN(a.child.pid!)) },
      });
      writeFileSync(path.join(dir, 'go'), '');
      expect(await a.exit).toBe(0);
      expect((await post('data.add', { paths: ['y.csv'] })).ok).toBe(true);
    } finally {
      writeFileSync(path.join(dir, 'go'), '');
      await a.exit;
      await ui.stop();
    }
  });

  it('case 4: a run started from `benchtop ui` holds the lock until it ends; its stages write through it, a terminal write waits', async () => {
    const dir = slowPipeline();
    writeFileSync(path.join(dir, 'side.csv'), 'a,b\n1,2\n');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `stages:\n  slow:\n    cmd:\n      - node ${JSON.stringify(CLI)} data add side.csv\n      - node stage.js\n    deps: [stage.js]\n    outs: [out.txt]\n`,
    );
    const ui = await startUi(['--dir', dir], { env: ENV });
    try {
      const res = await fetch(`${ui.origin}/api/pipelines.run`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
      await until('the stage to reach its last command', () => lines(path.join(dir, 'started')).length === 1);
      expect(existsSync(path.join(dir, 'side.csv.bt'))).toBe(true);
      writeFileSync(path.join(dir, 'other.csv'), 'x\n1\n');
      const refused = cli(['--no-wait', 'data', 'add', 'other.csv'], dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`held by \`benchtop ui \\(pipelines\\.run\\)\` \\(pid ${ui.child.pid}, since`),
      );
      const waiting = start(['data', 'add', 'other.csv'], dir);
      await until('the terminal write to wait', () => /waiting for the project lock/.test(waiting.err()));
      writeFileSync(path.join(dir, 'go'), '');
      expect(await waiting.exit).toBe(0);
      expect(existsSync(path.join(dir, 'other.csv.bt'))).toBe(true);
    } finally {
      writeFileSync(path.join(dir, 'go'), '');
      await ui.stop();
    }
  });

  it('case 4: the app sees a terminal’s run live: its status, stages, metrics and log lines, an exec run and a model registered there', async () => {
    const dir = project();
    const metric = (value: number, step: number) =>
      `console.log('::benchtop:: ' + JSON.stringify({ type: 'metric', key: 'loss', value: ${value}, step: ${step} }));`;
    writeFileSync(
      path.join(dir, 'train.js'),
      `const fs = require('fs');\n${metric(0.5, 1)}\nconsole.log('hello from the stage');\nwhile (!fs.existsSync('go')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);\n${metric(0.25, 2)}\n`,
    );
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  train:\n    cmd: node train.js\n    deps: [train.js]\n');
    const core = new Core({ dataDir: tmpDir(), mode: 'browser', externalPollMs: 100 });
    await core.open(dir);
    const seen: BenchtopEvent[] = [];
    core.events.subscribe((e) => seen.push(e));
    const a = start(['run'], dir);
    try {
      const of = (name: BenchtopEvent['name']) =>
        seen.filter((e) => e.name === name).map((e) => e.payload as Record<string, unknown>);
      await expect
        .poll(() => of('run.status'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ status: 'running' }));
      const runId = of('run.status')[0]!.runId as string;
      await expect
        .poll(() => of('stage.status'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ runId, stage: 'train', status: 'running' }));
      await expect
        .poll(() => of('run.metric'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ runId, key: 'loss', value: 0.5, step: 1 }));
      await expect
        .poll(() => of('run.log'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ runId, stage: 'train', line: 'hello from the stage' }));
      // While the stage waits, the run has not been reported ended.
      expect(
        of('run.status')
          .filter((e) => e.runId === runId)
          .map((e) => e.status),
      ).toEqual(['running']);

      writeFileSync(path.join(dir, 'go'), '');
      expect(await a.exit).toBe(0);
      await expect
        .poll(() => of('run.status'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ runId, status: 'succeeded' }));
      expect(of('stage.status')).toContainEqual(
        expect.objectContaining({ runId, stage: 'train', status: 'succeeded' }),
      );
      expect(of('run.metric')).toContainEqual(expect.objectContaining({ runId, key: 'loss', value: 0.25, step: 2 }));
      // Stages and metrics are reported before the run's end, as the app's own runs do.
      const order = seen
        .filter((e) => (e.payload as { runId?: string }).runId === runId)
        .map((e) => `${e.name}:${(e.payload as { status?: string }).status ?? ''}`);
      expect(order.indexOf('run.status:succeeded')).toBe(order.length - 1);

      const exec = cli(
        [
          'exec',
          '--',
          'node',
          '-e',
          "console.log('::benchtop:: ' + JSON.stringify({ type: 'metric', key: 'acc', value: 0.9 }))",
        ],
        dir,
      );
      expect(exec.code).toBe(0);
      await expect
        .poll(() => of('run.metric'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ key: 'acc', value: 0.9 }));
      const execRun = of('run.metric').find((e) => e.key === 'acc')!.runId;
      await expect
        .poll(() => of('run.status'), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ runId: execRun, status: 'succeeded' }));

      writeFileSync(path.join(dir, 'model.bin'), 'weights');
      expect(cli(['models', 'register', 'churn', '--path', 'model.bin'], dir).code).toBe(0);
      await expect.poll(() => of('models.changed'), { timeout: 30_000 }).toContainEqual({ name: 'churn' });
      const before = of('models.changed').length;
      expect(cli(['models', 'alias', 'churn', 'champion', '1'], dir).code).toBe(0);
      await expect.poll(() => of('models.changed').length, { timeout: 30_000 }).toBeGreaterThan(before);
    } finally {
      writeFileSync(path.join(dir, 'go'), '');
      await a.exit;
      core.close();
    }
  });

  it('case 4: the app’s Cancel on a terminal’s run cancels it there, as Ctrl+C would', async () => {
    const dir = slowPipeline();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser', externalPollMs: 100 });
    await core.open(dir);
    const seen: BenchtopEvent[] = [];
    core.events.subscribe((e) => seen.push(e));
    const a = start(['run'], dir);
    try {
      await until('the run to start its stage', () => lines(path.join(dir, 'started')).length === 1);
      await expect.poll(() => seen.find((e) => e.name === 'run.status'), { timeout: 30_000 }).toBeDefined();
      const runId = (seen.find((e) => e.name === 'run.status')!.payload as { runId: string }).runId;
      // Not a run of this project's lock holder: nothing is signalled.
      expect(await dispatch(core.handlers, 'pipelines.cancel', { runId: 'run-nope' })).toEqual({
        ok: true,
        value: { cancelled: false },
      });
      expect(await dispatch(core.handlers, 'pipelines.cancel', { runId })).toEqual({
        ok: true,
        value: { cancelled: true },
      });
      await a.exit;
      expect(a.err()).toContain('cancelling');
      await expect
        .poll(() => seen.map((e) => e.payload), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ runId, status: 'cancelled' }));
    } finally {
      writeFileSync(path.join(dir, 'go'), '');
      await a.exit;
      core.close();
    }
  });

  it('case 5: six concurrent `data add`s of different files all land: every .gitignore entry, every pointer staged and committed', async () => {
    const dir = project();
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    const names = [1, 2, 3, 4, 5, 6].map((i) => `data/f${i}.csv`);
    names.forEach((n, i) => writeFileSync(path.join(dir, n), `id,v\n${i},${'x'.repeat(1000 * (i + 1))}\n`));
    const adds = names.map((n) => start(['data', 'add', n], dir));
    const codes = await Promise.all(adds.map((a) => a.exit));
    // Each waits its turn (saying so on stderr) and then lands whole.
    for (const [i, a] of adds.entries())
      expect(
        `${codes[i]} ${a.err().replace(/^benchtop: waiting for the project lock held by `benchtop data add` \(pid \d+, since [\d:]+\)…\n/, '')}`,
      ).toBe('0 ');
    const ignored = readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n');
    for (const n of names) expect(ignored).toContain(`/${n}`);
    const staged = git(dir, 'diff', '--cached', '--name-only').split('\n').filter(Boolean);
    expect(staged.filter((f) => f.endsWith('.bt')).sort()).toEqual(names.map((n) => `${n}.bt`).sort());
    expect(cli(['data', 'commit', '-m', 'six files'], dir).code).toBe(0);
    git(dir, 'add', '-A');
    const tracked = git(dir, 'ls-files').split('\n');
    for (const n of names) {
      expect(tracked).toContain(`${n}.bt`);
      expect(tracked).not.toContain(n);
    }
  });

  it('case 17: a second `benchtop ui` on the same project refuses and names the first; the first keeps its server.json', async () => {
    const dir = project();
    const first = await startUi(['--dir', dir], { env: ENV });
    try {
      const serverFile = path.join(dir, '.benchtop', 'server.json');
      const second = start(['ui', '--port', '0', '--no-open', '--dir', dir], dir);
      await until(
        'the second ui to exit or to serve',
        () => second.child.exitCode !== null || /#token=/.test(second.out()),
      );
      if (second.child.exitCode === null) {
        second.child.kill('SIGTERM');
        await second.exit;
      }
      expect(existsSync(serverFile), 'the first server’s server.json is still there').toBe(true);
      expect(JSON.parse(readFileSync(serverFile, 'utf8'))).toMatchObject({ pid: first.child.pid, port: first.port });
      expect(await second.exit).toBe(1);
      expect(second.err()).toContain(first.origin);
    } finally {
      await first.stop();
    }
  });

  it('case 17: of two `benchtop ui`s started at the same instant on one project, exactly one serves; the other names it', async () => {
    const dir = project();
    const serverFile = path.join(dir, '.benchtop', 'server.json');
    const uis = [0, 1].map(() => start(['ui', '--port', '0', '--no-open', '--dir', dir], dir));
    const serving = (u: Running) => /^http:\/\/127\.0\.0\.1:\d+\/#token=/m.test(u.out());
    try {
      await until('each ui to serve or to exit', () => uis.every((u) => u.child.exitCode !== null || serving(u)));
      const winners = uis.filter(serving);
      expect(winners.length, uis.map((u) => u.err()).join('\n')).toBe(1);
      const winner = winners[0]!;
      const loser = uis.find((u) => u !== winner)!;
      expect(await loser.exit).toBe(1);
      const origin = /^(http:\/\/127\.0\.0\.1:\d+)\/#token=/m.exec(winner.out())![1]!;
      expect(loser.err()).toContain(`already serving ${dir} at ${origin}`);
      expect(JSON.parse(readFileSync(serverFile, 'utf8'))).toMatchObject({ url: origin, pid: winner.child.pid });
    } finally {
      for (const u of uis) if (u.child.exitCode === null) u.child.kill('SIGTERM');
      await Promise.all(uis.map((u) => u.exit));
    }
    expect(existsSync(serverFile) ? readFileSync(serverFile, 'utf8') : 'removed').toBe('removed');
  });

  it('case 17: a server.json left by a dead server is replaced', async () => {
    const dir = project();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const serverFile = path.join(dir, '.benchtop', 'server.json');
    writeFileSync(
      serverFile,
      JSON.stringify({ url: 'http://127.0.0.1:1', port: 1, token: 'old', pid: Number(dead.stdout) }),
    );
    const ui = await startUi(['--dir', dir], { env: ENV });
    try {
      expect(JSON.parse(readFileSync(serverFile, 'utf8'))).toMatchObject({ pid: ui.child.pid, port: ui.port });
    } finally {
      await ui.stop();
    }
    expect(existsSync(serverFile) ? readFileSync(serverFile, 'utf8') : 'removed').toBe('removed');
  });
});
