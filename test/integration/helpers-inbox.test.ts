// With no Benchtop server running, the helpers (resources/helpers) append what a script logs to
// the project's inbox (.benchtop/inbox/); the next `benchtop` command, or the app opening the
// project, takes it in through the tracking core: once, skipping (and naming) lines it cannot use.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../shared/contract/events';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { artifactObject } from '../../electron/core/tracking/artifacts';
import { metricPoints } from '../../electron/core/tracking/records';
import { getRun } from '../../electron/core/tracking/runs';
import { ROOT, runCli, tmpDir } from '../support/helpers';

const PYTHON_HELPERS = path.join(ROOT, 'resources', 'helpers', 'python');
const JS_HELPER = path.join(ROOT, 'resources', 'helpers', 'js', 'benchtop.cjs');

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child with no BENCHTOP_* variable: nothing tells it of a server. */
function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Child> {
  const env: NodeJS.ProcessEnv = { PYTHONPATH: PYTHON_HELPERS, PYTHONDONTWRITEBYTECODE: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCHTOP_') && k !== 'PYTHONPATH') env[k] = v;
  Object.assign(env, extra);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI with no BENCHTOP_* variable either (a stage's lock token would change what it does). */
function cli(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCHTOP_')) env[k] = v;
  return runCli(args, { cwd, env: { ...env, BENCHTOP_URL: '', BENCHTOP_TOKEN: '' } });
}

const runIdIn = (out: string): string => /RUN (\S+)/.exec(out)![1]!;
const inbox = (project: string) => path.join(project, '.benchtop', 'inbox');
const inboxFiles = (project: string) =>
  existsSync(inbox(project)) ? readdirSync(inbox(project)).filter((f) => f.endsWith('.jsonl')) : [];

/** Reads the project through a Core of its own (which takes in the inbox too, changing nothing here). */
async function withCore<T>(project: string, fn: (core: Core) => T | Promise<T>): Promise<T> {
  const core = new Core({ dataDir: tmpDir(), mode: 'cli' });
  await core.open(project);
  try {
    return await fn(core);
  } finally {
    await core.shutdown();
  }
}

let project: string;

beforeEach(async () => {
  project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
});

const PY_SCRIPT = `import math, os
import benchtop
run = benchtop.start_run(name="notebook", experiment="offline", params={"lr": 0.1, "model": {"depth": 3}})
print("RUN", run.id, flush=True)
for step in range(20):
    benchtop.log_metric("loss", 1 / (step + 1), step=step)
run.log_metric("odd", float("nan"))
benchtop.set_tag("stage", "dev")
os.makedirs("out", exist_ok=True)
with open("out/model.txt", "w") as f:
    f.write("weights 1 2 3")
run.log_artifact("out/model.txt")
# Overwritten after it was logged: the run keeps the bytes it logged.
with open("out/model.txt", "w") as f:
    f.write("something else")
run.end()
`;

describe('helpers logging with no server running', () => {
  it('Python: the next benchtop command takes the run in, with its metrics, once', async () => {
    writeFileSync(path.join(project, 'train.py'), PY_SCRIPT);
    const r = await run('python3', ['train.py'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('.benchtop/inbox');
    const id = runIdIn(r.stdout);
    expect(inboxFiles(project)).toHaveLength(1);

    const first = cli(['runs', '--json'], project);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Took in 1 run logged while Benchtop was closed (.benchtop/inbox)');
    const listed = JSON.parse(first.stdout) as { id: string; status: string; metrics: Record<string, unknown> }[];
    expect(listed.map((x) => x.id)).toEqual([id]);
    expect(listed[0]).toMatchObject({ status: 'succeeded', metrics: { loss: 1 / 20 } });
    expect(inboxFiles(project)).toEqual([]);

    const again = cli(['runs', '--json'], project);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('Took in');
    expect((JSON.parse(again.stdout) as unknown[]).length).toBe(1);

    await withCore(project, (core) => {
      const db = core.project!.db;
      expect(getRun(db, id)).toMatchObject({
        name: 'notebook',
        experiment: 'offline',
        status: 'succeeded',
        source: 'train.py',
        params: { lr: '0.1', 'model.depth': '3' },
        tags: { stage: 'dev' },
      });
      const loss = metricPoints(db, id, 'loss');
      expect(loss.map((p) => p.step)).toEqual([...Array(20).keys()]);
      expect(loss.map((p) => p.value)).toEqual([...Array(20).keys()].map((s) => 1 / (s + 1)));
      expect(metricPoints(db, id, 'odd').map((p) => p.value)).toEqual([Number.NaN]);
      const art = artifactObject(project, db, id, 'out/model.txt');
      expect(readFileSync(art.file, 'utf8')).toBe('weights 1 2 3');
    });
  });

  it('a torn last line and a refused line are skipped and named by file and line; the rest is taken in', async () => {
    writeFileSync(path.join(project, 'train.py'), PY_SCRIPT);
    const r = await run('python3', ['train.py'], project);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdIn(r.stdout);
    const [file] = inboxFiles(project);
    const full = path.join(inbox(project), file!);
    const lines = readFileSync(full, 'utf8').split('\n').filter(Boolean);
    // A refused line in the middle (an empty metric key) and a line cut short by a crash at the end.
    const bad = JSON.stringify({
      v: 1,
      call: 'runs.log',
      input: { runId: id, metrics: [{ key: '', value: 1, step: 0 }] },
    });
    const withBad = [...lines.slice(0, 2), bad, ...lines.slice(2)];
    writeFileSync(full, `${withBad.join('\n')}\n{"v":1,"call":"runs.log","input":{"runId":"${id}","met`);

    const out = cli(['runs', '--json'], project);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('Took in 1 run');
    expect(out.stderr).toContain(`.benchtop/inbox/${file}:3:`);
    expect(out.stderr).toContain(`.benchtop/inbox/${file}:${withBad.length + 1}:`);
    expect(out.stderr).toMatch(/torn|cut short/);
    expect((JSON.parse(out.stdout) as { id: string; status: string }[]).map((x) => [x.id, x.status])).toEqual([
      [id, 'succeeded'],
    ]);
    // Nothing lost: the file is kept whole beside the others taken in.
    const kept = path.join(inbox(project), 'done', file!);
    expect(readFileSync(kept, 'utf8')).toContain('"met');
    const again = cli(['runs'], project);
    expect(again.stderr).not.toContain(file!);
  });

  it('a script that died without ending its run, found through BENCHTOP_PROJECT: its run ends interrupted', async () => {
    const elsewhere = tmpDir();
    // os._exit skips every exit hook, as a kill would: the file has no runs.end line.
    writeFileSync(
      path.join(elsewhere, 'crash.py'),
      `import os, benchtop
run = benchtop.start_run(name="crashed")
print("RUN", run.id, flush=True)
run.log_metric("loss", 0.5, step=0)
run.flush()
os._exit(0)
`,
    );
    const r = await run('python3', ['crash.py'], elsewhere, { BENCHTOP_PROJECT: project });
    expect(r.code, r.stderr).toBe(0);
    const id = runIdIn(r.stdout);
    const out = cli(['runs', '--json'], project);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('Took in 1 run');
    expect(JSON.parse(out.stdout)).toMatchObject([{ id, status: 'interrupted', metrics: { loss: 0.5 } }]);
    expect(inboxFiles(project)).toEqual([]);
  });

  it('JavaScript: a run ended as Node exits is taken in by the next command', async () => {
    const script = `const benchtop = require(${JSON.stringify(JS_HELPER)});
(async () => {
  const run = await benchtop.startRun({ name: 'js offline', params: { lr: 0.5 } });
  console.log('RUN', run.id);
  run.logMetric('acc', 0.5, 0);
  run.logMetric('acc', 0.75, 1);
  run.setTag('lang', 'js');
})();
`;
    writeFileSync(path.join(project, 'train.js'), script);
    const r = await run(process.execPath, ['train.js'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('.benchtop/inbox');
    const id = runIdIn(r.stdout);
    const out = cli(['runs', '--json'], project);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('Took in 1 run');
    expect(JSON.parse(out.stdout)).toMatchObject([{ id, status: 'succeeded', metrics: { acc: 0.75 } }]);
    await withCore(project, (core) => {
      expect(getRun(core.project!.db, id)).toMatchObject({
        name: 'js offline',
        params: { lr: '0.5' },
        tags: { lang: 'js' },
      });
    });
  });

  it('a file taken in but not yet moved to done/ (a crash in between) is not taken in twice', async () => {
    writeFileSync(path.join(project, 'train.py'), PY_SCRIPT);
    const r = await run('python3', ['train.py'], project);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdIn(r.stdout);
    const [file] = inboxFiles(project);
    expect(cli(['runs'], project).stderr).toContain('Took in 1 run');
    // Put it back, as if the process had stopped between the commit and the move.
    writeFileSync(path.join(inbox(project), file!), readFileSync(path.join(inbox(project), 'done', file!)));
    await withCore(project, async (core) => {
      const db = core.project!.db;
      expect(core.inboxTaken).toMatchObject({ runs: [], warnings: [] });
      expect(metricPoints(db, id, 'loss')).toHaveLength(20);
      expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(1);
    });
    expect(inboxFiles(project)).toEqual([]);
  });

  it("the app's Core takes the inbox in when it opens the project, and a live file up to its last whole line", async () => {
    mkdirSync(inbox(project), { recursive: true });
    const id = 'run-20260101-000000-inbox1';
    const line = (call: string, input: object) => `${JSON.stringify({ v: 1, call, input })}\n`;
    const file = path.join(inbox(project), `${id}.jsonl`);
    // Written by a process still alive (this one), not ended yet, the last line still being written.
    writeFileSync(
      file,
      line('runs.create', { id, name: 'live', pid: process.pid, gitCommit: null, gitDirty: null }) +
        line('runs.log', { runId: id, metrics: [{ key: 'loss', value: 0.5, step: 0 }] }) +
        '{"v":1,"call":"runs.log","inp',
    );
    const core = new Core({ dataDir: tmpDir(), mode: 'desktop' });
    const seen: BenchtopEvent[] = [];
    core.events.subscribe((e) => seen.push(e));
    try {
      await core.open(project);
      const db = core.project!.db;
      expect(getRun(db, id).status).toBe('running');
      expect(metricPoints(db, id, 'loss').map((p) => p.value)).toEqual([0.5]);
      expect(seen.some((e) => e.name === 'runs.ingested')).toBe(true);
      expect(existsSync(file)).toBe(true);

      // The process finishes its line, logs more and ends the run; the app takes in the rest.
      appendFileSync(
        file,
        `ut":${JSON.stringify({ runId: id, metrics: [{ key: 'loss', value: 0.25, step: 1 }] })}}\n` +
          line('runs.end', { runId: id, status: 'succeeded' }),
      );
      const r = await dispatch(core.handlers, 'runs.ingestInbox', {});
      expect(r).toMatchObject({ ok: true, value: { runs: [id], warnings: [] } });
      expect(getRun(db, id).status).toBe('succeeded');
      expect(metricPoints(db, id, 'loss').map((p) => p.value)).toEqual([0.5, 0.25]);
      expect(existsSync(file)).toBe(false);
      const twice = await dispatch(core.handlers, 'runs.ingestInbox', {});
      expect(twice).toMatchObject({ ok: true, value: { runs: [], warnings: [] } });
    } finally {
      await core.shutdown();
    }
  });
});
