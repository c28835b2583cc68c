// The helpers (resources/helpers) start, log to and end their own runs through the local API of the
// browser-mode server, found from BENCHTOP_URL/BENCHTOP_TOKEN or from .benchtop/server.json; and
// `benchtop ui` writes that file (0600) and removes it when it stops. With no server running they
// log to the project's inbox: helpers-inbox.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeServerFile, SERVER_FILE, writeServerFile } from '../../electron/cli/server-file';
import { Core } from '../../electron/core/app/core';
import { artifactObject } from '../../electron/core/tracking/artifacts';
import { metricPoints } from '../../electron/core/tracking/records';
import { getRun } from '../../electron/core/tracking/runs';
import { initProject } from '../../electron/core/project/init';
import { startBrowserServer, type BrowserServer } from '../../electron/server/http-server';
import { CLI, ROOT, tmpDir } from '../support/helpers';

const PYTHON_HELPERS = path.join(ROOT, 'resources', 'helpers', 'python');
const JS_HELPER = path.join(ROOT, 'resources', 'helpers', 'js', 'benchtop.cjs');

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a child without blocking this process's event loop, which serves the API it calls. */
function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Child> {
  const env: NodeJS.ProcessEnv = { PYTHONPATH: PYTHON_HELPERS, PYTHONDONTWRITEBYTECODE: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCHTOP_') && k !== 'PYTHONPATH') env[k] = v;
  Object.assign(env, opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let project: string;
let core: Core;
let server: BrowserServer;
let env: Record<string, string>;
const serverLog: string[] = [];

beforeAll(async () => {
  project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
  core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  server = await startBrowserServer({
    core,
    port: 0,
    staticDir: path.join(ROOT, 'dist', 'renderer'),
    log: (line) => serverLog.push(line),
  });
  env = { BENCHTOP_URL: `http://127.0.0.1:${server.port}`, BENCHTOP_TOKEN: server.token };
});

afterAll(async () => {
  await server.close();
  core.close();
});

const db = () => core.project!.db;
const runIdIn = (out: string): string => /RUN (\S+)/.exec(out)![1]!;

describe('helpers logging through the local API', () => {
  it('Python: params, a metric series with a NaN, tags and an artifact, ended succeeded', async () => {
    writeFileSync(
      path.join(project, 'train.py'),
      `import math, os
import benchtop
with benchtop.start_run(name="by hand", experiment="helpers", params={"lr": 0.1, "model": {"depth": 3}}, tags={"team": "vision"}) as run:
    print("RUN", run.id, flush=True)
    for step in range(50):
        benchtop.log_metric("loss", 1 / (step + 1), step=step)
    run.log_metric("odd", float("nan"))
    run.log_metric("odd", float("inf"))
    benchtop.set_tag("stage", "dev")
    os.makedirs("out", exist_ok=True)
    with open("out/model.txt", "w") as f:
        f.write("weights 1 2 3")
    run.log_artifact("out/model.txt")
`,
    );
    const r = await run('python3', ['train.py'], { cwd: project, env });
    expect(r.code, r.stderr).toBe(0);
    const detail = getRun(db(), runIdIn(r.stdout));
    expect(detail).toMatchObject({
      name: 'by hand',
      experiment: 'helpers',
      status: 'succeeded',
      source: 'train.py',
      params: { lr: '0.1', 'model.depth': '3' },
      tags: { team: 'vision', stage: 'dev' },
    });
    expect(detail.endTime).not.toBeNull();
    const loss = metricPoints(db(), detail.id, 'loss');
    expect(loss.map((p) => p.step)).toEqual([...Array(50).keys()]);
    expect(loss.map((p) => p.value)).toEqual([...Array(50).keys()].map((s) => 1 / (s + 1)));
    expect(metricPoints(db(), detail.id, 'odd').map((p) => p.value)).toEqual([Number.NaN, Infinity]);
    const art = artifactObject(project, db(), detail.id, 'out/model.txt');
    expect(readFileSync(art.file, 'utf8')).toBe('weights 1 2 3');
  });

  it('Python and JavaScript: a run started without a name gets a readable one, not its id', async () => {
    writeFileSync(
      path.join(project, 'unnamed.py'),
      'import benchtop\nwith benchtop.start_run() as run:\n    print("RUN", run.id, flush=True)\n',
    );
    const py = await run('python3', ['unnamed.py'], { cwd: project, env });
    expect(py.code, py.stderr).toBe(0);
    const js = await run(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(JS_HELPER)}).startRun().then(async (r) => { console.log('RUN', r.id); await r.end(); })`,
      ],
      { cwd: project, env },
    );
    expect(js.code, js.stderr).toBe(0);
    for (const out of [py.stdout, js.stdout]) {
      const detail = getRun(db(), runIdIn(out));
      expect(detail.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
      expect(detail.name).not.toBe(detail.id);
    }
  });

  it('Python: finds the server through .benchtop/server.json from a subfolder; a raising script ends failed', async () => {
    writeServerFile(project, {
      url: `http://127.0.0.1:${server.port}`,
      port: server.port,
      token: server.token,
      pid: process.pid,
    });
    try {
      mkdirSync(path.join(project, 'scripts'), { recursive: true });
      writeFileSync(
        path.join(project, 'scripts', 'boom.py'),
        `import benchtop
with benchtop.start_run(name="boom") as run:
    print("RUN", run.id, flush=True)
    benchtop.log_metric("loss", 0.5)
    raise ValueError("diverged")
`,
      );
      const r = await run('python3', ['boom.py'], { cwd: path.join(project, 'scripts') });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ValueError: diverged');
      const detail = getRun(db(), runIdIn(r.stdout));
      expect(detail.status).toBe('failed');
      expect(detail.source).toBe('scripts/boom.py');
      expect(detail.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 0.5, points: 1 })]);

      // Without a with-block: the exit handler ends it, failed after an uncaught exception.
      writeFileSync(
        path.join(project, 'plain.py'),
        `import benchtop\nrun = benchtop.start_run()\nprint("RUN", run.id, flush=True)\nbenchtop.log_metric("x", 1)\nraise SystemError("late")\n`,
      );
      const plain = await run('python3', ['plain.py'], { cwd: project });
      expect(plain.code).toBe(1);
      expect(getRun(db(), runIdIn(plain.stdout))).toMatchObject({
        status: 'failed',
        metrics: [expect.objectContaining({ key: 'x', value: 1 })],
      });
      writeFileSync(
        path.join(project, 'fine.py'),
        `import benchtop\nrun = benchtop.start_run()\nprint("RUN", run.id, flush=True)\nbenchtop.log_metric("x", 2)\n`,
      );
      const fine = await run('python3', ['fine.py'], { cwd: project });
      expect(fine.code, fine.stderr).toBe(0);
      expect(getRun(db(), runIdIn(fine.stdout))).toMatchObject({
        status: 'succeeded',
        metrics: [expect.objectContaining({ key: 'x', value: 2 })],
      });
    } finally {
      removeServerFile(project, server.token);
    }
  });

  it('says what to do outside any project, and ignores a server.json left by a dead one', async () => {
    const lonely = tmpDir();
    writeFileSync(path.join(lonely, 'train.py'), 'import benchtop\nbenchtop.start_run()\n');
    const r = await run('python3', ['train.py'], { cwd: lonely });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('benchtop init');
    expect(r.stderr).toContain('benchtop ui --no-open');
    expect(r.stderr).toContain('benchtop exec -- python train.py');
    // A pid that cannot be alive: the file is stale.
    writeServerFile(project, {
      url: `http://127.0.0.1:${server.port}`,
      port: server.port,
      token: server.token,
      pid: 2 ** 22 + 12345,
    });
    try {
      // Inside the project, the script logs to its inbox instead (helpers-inbox.test.ts).
      const stale = await run('python3', ['train.py'], { cwd: project });
      expect(stale.code, stale.stderr).toBe(0);
      expect(stale.stderr).toContain('.benchtop/inbox');
      const js = await run(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(JS_HELPER)}).startRun().catch((e) => { console.error(e.message); process.exit(3); })`,
        ],
        { cwd: lonely },
      );
      expect(js.code).toBe(3);
      expect(js.stderr).toContain('benchtop ui --no-open');
    } finally {
      removeServerFile(project, server.token);
    }
  });

  it('JavaScript: a run ended when Node exits, succeeded; an uncaught exception ends it failed', async () => {
    const script = (body: string) => `const benchtop = require(${JSON.stringify(JS_HELPER)});
(async () => {
  const run = await benchtop.startRun({ name: 'js', experiment: 'helpers', params: { lr: 0.5 } });
  console.log('RUN', run.id);
  ${body}
})();`;
    const good = await run(
      process.execPath,
      [
        '-e',
        script(`for (let i = 0; i < 1200; i++) benchtop.logMetric('loss', 1 / (i + 1), i);
  run.logMetric('nan', NaN);
  benchtop.setTag('lang', 'js');`),
      ],
      { cwd: project, env },
    );
    expect(good.code, good.stderr).toBe(0);
    const ok = getRun(db(), runIdIn(good.stdout));
    expect(ok).toMatchObject({ status: 'succeeded', params: { lr: '0.5' }, tags: { lang: 'js' } });
    expect(metricPoints(db(), ok.id, 'loss')).toHaveLength(1200);
    expect(metricPoints(db(), ok.id, 'nan')[0]!.value).toBeNaN();

    const bad = await run(
      process.execPath,
      [
        '-e',
        script(`benchtop.logMetric('loss', 0.1, 0);
  setTimeout(() => { throw new Error('crashed'); }, 10);`),
      ],
      { cwd: project, env },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('crashed');
    const failed = getRun(db(), runIdIn(bad.stdout));
    expect(failed.status).toBe('failed');
    expect(failed.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 0.1 })]);
  });

  it('a script stopped by SIGTERM ends its run cancelled, with what it had logged (JavaScript and Python)', async () => {
    const js = `const benchtop = require(${JSON.stringify(JS_HELPER)});
(async () => {
  const run = await benchtop.startRun({ name: 'stopped' });
  run.logMetric('a', 1, 0);
  console.log('RUN', run.id);
  setInterval(() => {}, 1000);
})();`;
    const py =
      'import time, benchtop\nrun = benchtop.start_run(name="stopped")\nrun.log_metric("a", 1, step=0)\nprint("RUN", run.id, flush=True)\nwhile True:\n    time.sleep(0.05)\n';
    const childEnv: NodeJS.ProcessEnv = { PYTHONPATH: PYTHON_HELPERS, PYTHONDONTWRITEBYTECODE: '1' };
    for (const [k, v] of Object.entries(process.env))
      if (!k.startsWith('BENCHTOP_') && k !== 'PYTHONPATH') childEnv[k] = v;
    for (const [cmd, args] of [
      [process.execPath, ['-e', js]],
      ['python3', ['-c', py]],
    ] as const) {
      const child = spawn(cmd, args, { cwd: project, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      let out = '';
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/RUN \S+\n/.test(out)) resolve();
        }),
      );
      child.kill('SIGTERM');
      expect(await exited, cmd).toBe('SIGTERM');
      const detail = getRun(db(), runIdIn(out));
      expect(detail.status, cmd).toBe('cancelled');
      expect(detail.metrics, cmd).toEqual([expect.objectContaining({ key: 'a', value: 1 })]);
    }
  });

  it('inside benchtop exec, start_run is the exec run and reports with protocol lines', async () => {
    writeFileSync(
      path.join(project, 'exec.py'),
      `import benchtop
with benchtop.start_run(name="ignored", params={"lr": 0.3}, tags={"via": "exec"}) as run:
    run.log_metric("loss", 0.75, step=4)
    benchtop.log_metric("loss", 0.5)
`,
    );
    const r = await run(process.execPath, [CLI, 'exec', '--json', '--', 'python3', 'exec.py'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const detail = getRun(db(), JSON.parse(r.stdout).runId);
    expect(detail).toMatchObject({ status: 'succeeded', params: { lr: '0.3' }, tags: { via: 'exec' } });
    expect(metricPoints(db(), detail.id, 'loss').map((p) => [p.step, p.value])).toEqual([
      [4, 0.75],
      [5, 0.5],
    ]);
  });

  it('three processes logging 2,000 points each at once lose no point', async () => {
    const py = `import benchtop
with benchtop.start_run(name="par") as run:
    print("RUN", run.id, flush=True)
    for step in range(2000):
        run.log_metric("m", step * 0.5, step=step)
`;
    writeFileSync(path.join(project, 'par.py'), py);
    const js = `const benchtop = require(${JSON.stringify(JS_HELPER)});
(async () => {
  const run = await benchtop.startRun({ name: 'par' });
  console.log('RUN', run.id);
  for (let step = 0; step < 2000; step++) run.logMetric('m', step * 0.5, step);
  await run.end();
})();`;
    const results = await Promise.all([
      run('python3', ['par.py'], { cwd: project, env }),
      run('python3', ['par.py'], { cwd: project, env }),
      run(process.execPath, ['-e', js], { cwd: project, env }),
    ]);
    const ids = new Set<string>();
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/locked|busy/i);
      const id = runIdIn(r.stdout);
      ids.add(id);
      const points = metricPoints(db(), id, 'm');
      expect(points.map((p) => p.step)).toEqual([...Array(2000).keys()]);
      expect(points.map((p) => p.value)).toEqual([...Array(2000).keys()].map((s) => s * 0.5));
      expect(getRun(db(), id).status).toBe('succeeded');
    }
    expect(ids.size).toBe(3);
    expect(serverLog.join('\n')).not.toMatch(/locked|busy|internal error/i);
  });
});

describe('benchtop ui and .benchtop/server.json', () => {
  it('writes the file readable by the user alone, prints the MLflow lines, and removes the file on stop', async () => {
    const dir = path.join(tmpDir(), 'uiproj');
    (await initProject(dir, {})).workspace.close();
    const child = spawn(process.execPath, [CLI, 'ui', '--port', '0', '--no-open', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^export MLFLOW_TRACKING_TOKEN=\S+$/m.test(out)) resolve();
      });
      void exited.then((code) => reject(new Error(`benchtop ui exited with ${code}: ${out}${err}`)));
    });
    const file = path.join(dir, SERVER_FILE);
    try {
      const port = Number(/^export MLFLOW_TRACKING_URI=http:\/\/127\.0\.0\.1:(\d+)$/m.exec(out)![1]);
      const token = /^export MLFLOW_TRACKING_TOKEN=(\S+)$/m.exec(out)![1]!;
      expect(out).toContain(`http://127.0.0.1:${port}/#token=${token}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const info = JSON.parse(readFileSync(file, 'utf8'));
      expect(info).toEqual({ url: `http://127.0.0.1:${port}`, port, token, pid: child.pid });
      // A script in the project finds it and logs a run.
      writeFileSync(
        path.join(dir, 'train.py'),
        'import benchtop\nwith benchtop.start_run(name="via-file") as run:\n    run.log_metric("a", 1.0)\n    print("RUN", run.id, flush=True)\n',
      );
      const r = await run('python3', ['train.py'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/RUN run-/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(existsSync(file)).toBe(false);
  });
});
