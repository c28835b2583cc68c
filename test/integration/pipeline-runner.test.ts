import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { BenchtopEvent } from '../../shared/contract/events';
import { loadPipeline } from '../../electron/core/pipeline/load';
import { PipelineRun, type RunOptions } from '../../electron/core/pipeline/runner';
import { initProject } from '../../electron/core/project/init';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { tmpDir } from '../support/helpers';

async function project(yaml: string, files: Record<string, string> = {}, demo = false): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  const { workspace } = await initProject(dir, { demo });
  if (yaml) writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  return workspace;
}

function run(ws: Workspace, opts: RunOptions = {}, events: BenchtopEvent[] = []): PipelineRun {
  return new PipelineRun({ projectDir: ws.dir, db: ws.db, emit: (e) => events.push(e) }, loadPipeline(ws.dir)!, opts);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('running the demo pipeline', () => {
  it('runs every stage, records the run, writes the lock, then skips what has not changed', async () => {
    const ws = await project('', {}, true);
    const events: BenchtopEvent[] = [];
    const first = await run(ws, {}, events).execute();
    expect(first.status).toBe('succeeded');
    expect(first.stages.map((s) => [s.name, s.status])).toEqual([
      ['prepare', 'succeeded'],
      ['train', 'succeeded'],
      ['evaluate', 'succeeded'],
    ]);
    expect(existsSync(path.join(ws.dir, 'benchtop.lock'))).toBe(true);
    const metrics = ws.db
      .prepare(`SELECT key, COUNT(*) AS n, MAX(value) AS v FROM run_metrics WHERE run_id = ? GROUP BY key ORDER BY key`)
      .all(first.runId) as { key: string; n: number; v: number }[];
    expect(metrics.find((m) => m.key === 'loss')!.n).toBeGreaterThan(10);
    expect(metrics.find((m) => m.key === 'accuracy')!.v).toBeGreaterThan(0.75);
    expect(metrics.find((m) => m.key === 'auc_lift')!.v).toBeGreaterThan(0);
    expect(ws.db.prepare(`SELECT status, kind FROM runs WHERE id = ?`).get(first.runId)).toEqual({
      status: 'succeeded',
      kind: 'pipeline',
    });
    // The data versions it ran on and the outputs it wrote, by hash.
    const io = ws.db
      .prepare(
        `SELECT stage, role, path, hash FROM run_artifacts WHERE run_id = ? AND role != 'artifact' ORDER BY stage, role, path`,
      )
      .all(first.runId) as { stage: string; role: string; path: string; hash: string }[];
    expect(io.filter((r) => r.stage === 'prepare').map((r) => `${r.role} ${r.path}`)).toEqual([
      'dep data/batches',
      'dep data/loans.csv',
      'dep src/common.js',
      'dep src/loans.js',
      'dep src/prepare.js',
      'out build/test.csv',
      'out build/train.csv',
    ]);
    expect(
      io
        .filter((r) => !r.path.startsWith('models:') && r.path !== 'data/batches')
        .every((r) => /^[0-9a-f]{64}$/.test(r.hash)),
    ).toBe(true);
    // A folder dep is kept as its listing's hash and file count (data/batches holds its README only).
    expect(io.find((r) => r.path === 'data/batches')!.hash).toMatch(/^dir:[0-9a-f]{64}:1$/);
    // A model dep is kept as the version it named and its bytes' hash.
    expect(
      io
        .filter((r) => r.path.startsWith('models:'))
        .map((r) => [r.stage, r.path, /^model:loan-default\/1:[0-9a-f]{64}$/.test(r.hash)]),
    ).toEqual([['evaluate', 'models:/loan-default@champion', true]]);
    expect(events.some((e) => e.name === 'run.log' && e.payload.stage === 'train')).toBe(true);
    expect(events.filter((e) => e.name === 'stage.status' && e.payload.status === 'succeeded')).toHaveLength(3);
    expect(readFileSync(path.join(ws.dir, '.benchtop', 'logs', first.runId, 'train.log'), 'utf8')).toContain(
      '::benchtop:: {"type":"metric","key":"loss"',
    );

    // evaluate moved the champion it depends on to its own model: the lock takes the alias as it now stands.
    const lock = parseYaml(readFileSync(path.join(ws.dir, 'benchtop.lock'), 'utf8')) as {
      stages: { evaluate: { deps: Record<string, string> } };
    };
    expect(lock.stages.evaluate.deps['models:/loan-default@champion']).toMatch(/^model:loan-default\/2:/);
    const again = await run(ws).execute();
    expect(again.stages.map((s) => s.status)).toEqual(['up-to-date', 'up-to-date', 'up-to-date']);

    writeFileSync(
      path.join(ws.dir, 'params.yaml'),
      readFileSync(path.join(ws.dir, 'params.yaml'), 'utf8').replace('lr: 0.5', 'lr: 0.3'),
    );
    const plan = await run(ws).plan();
    expect(plan.map((p) => [p.stage.name, p.state, p.reasons])).toEqual([
      ['prepare', 'up-to-date', []],
      ['train', 'will-run', ['param train.lr 0.5 → 0.3']],
      ['evaluate', 'will-run', ['upstream stage train will run']],
    ]);
    rmOut(ws, 'build/test.csv');
    expect((await run(ws).plan())[0]!.reasons).toEqual(['out build/test.csv missing']);
    ws.close();
  });
});

function rmOut(ws: Workspace, rel: string): void {
  writeFileSync(path.join(ws.dir, rel), '');
  require('node:fs').rmSync(path.join(ws.dir, rel));
}

/**
 * The demo's evaluate stage registers its model, and a registering stage is never restored from the
 * run cache (each version comes from a real run): the run cache tests leave registration out.
 */
function withoutRegistration(ws: Workspace): void {
  const file = path.join(ws.dir, 'benchtop.yaml');
  const stripped = readFileSync(file, 'utf8').replace(
    /( +- build\/release\.json):\n +register:\n(?: {12,}.*\n)+/,
    '$1\n',
  );
  expect(stripped).not.toContain('register:');
  writeFileSync(file, stripped);
}

describe('the run cache', () => {
  it('restores the outputs of inputs seen before instead of re-running, and runs again if an object is corrupt', async () => {
    const ws = await project('', {}, true);
    withoutRegistration(ws);
    const params = path.join(ws.dir, 'params.yaml');
    const original = readFileSync(params, 'utf8');
    await run(ws).execute();
    const model = readFileSync(path.join(ws.dir, 'build', 'model.json'), 'utf8');
    writeFileSync(params, original.replace('lr: 0.5', 'lr: 0.3'));
    expect((await run(ws).execute()).stages.map((s) => s.status)).toEqual(['up-to-date', 'succeeded', 'succeeded']);
    expect(readFileSync(path.join(ws.dir, 'build', 'model.json'), 'utf8')).not.toBe(model);

    writeFileSync(params, original);
    const back = await run(ws).execute();
    expect(back.stages.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['prepare', 'up-to-date', ''],
      ['train', 'succeeded', 'restored from the run cache'],
      ['evaluate', 'succeeded', 'restored from the run cache'],
    ]);
    expect(readFileSync(path.join(ws.dir, 'build', 'model.json'), 'utf8')).toBe(model);
    expect(
      ws.db.prepare(`SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ? AND key = 'loss'`).get(back.runId),
    ).toEqual({ n: 0 });
    expect(readFileSync(path.join(ws.dir, '.benchtop', 'logs', back.runId, 'train.log'), 'utf8')).toContain(
      'restored from the run cache',
    );
    expect((await run(ws).execute()).recorded).toBe(false);

    // A corrupt object is never trusted: the stage runs instead.
    // The newest cached train outputs are those of lr 0.3.
    writeFileSync(params, original.replace('lr: 0.5', 'lr: 0.3'));
    const newest = ws.db.prepare(`SELECT outs FROM run_cache WHERE stage = 'train' ORDER BY created_at DESC`).get() as {
      outs: string;
    };
    for (const o of JSON.parse(newest.outs) as { files: Record<string, string> }[]) {
      for (const h of Object.values(o.files))
        writeFileSync(path.join(ws.dir, '.benchtop', 'cache', 'objects', h.slice(0, 2), h.slice(2)), 'tampered');
    }
    const rerun = await run(ws).execute();
    expect(rerun.stages[1]).toMatchObject({ name: 'train', status: 'succeeded', reason: '' });
    expect(readFileSync(path.join(ws.dir, '.benchtop', 'logs', rerun.runId, 'train.log'), 'utf8')).toMatch(
      /could not restore from the run cache \(The cached object .* is corrupt/,
    );
    ws.close();
  });

  it('--force runs the stage even when the run cache could restore it', async () => {
    const ws = await project('', {}, true);
    await run(ws).execute();
    const forced = await run(ws, { force: true }).execute();
    expect(forced.stages.map((s) => s.reason)).toEqual(['', '', '']);
    expect(
      (
        ws.db.prepare(`SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ? AND key = 'loss'`).get(forced.runId) as {
          n: number;
        }
      ).n,
    ).toBeGreaterThan(0);
    ws.close();
  });
});

describe('the runner', () => {
  it('runs independent stages at the same time', async () => {
    // Each stage waits for the other to have started: run one after the other, they would time out.
    const wait = (me: string, other: string) =>
      `touch ${me}.started; i=0; while [ ! -f ${other}.started ]; do i=$((i+1)); [ $i -gt 200 ] && exit 9; sleep 0.05; done; echo ok > ${me}.out`;
    const ws = await project(
      `stages:\n  a:\n    cmd: "${wait('a', 'b')}"\n    outs: [a.out]\n  b:\n    cmd: "${wait('b', 'a')}"\n    outs: [b.out]\n`,
    );
    const r = await run(ws, { jobs: 2 }).execute();
    expect(r.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    ws.close();
  });

  it('skips the downstream of a failed stage and lets other branches finish', async () => {
    const ws = await project(`stages:
  broken:
    cmd: echo about to fail; exit 3
    outs: [x.txt]
  after:
    cmd: cat x.txt > y.txt
    deps: [x.txt]
    outs: [y.txt]
  other:
    cmd: echo fine > z.txt
    outs: [z.txt]
`);
    const r = await run(ws, { jobs: 1 }).execute();
    expect(r.status).toBe('failed');
    expect(r.stages.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['broken', 'failed', 'exited with code 3'],
      ['after', 'skipped', 'because broken failed'],
      ['other', 'succeeded', ''],
    ]);
    ws.close();
  });

  it('retries a failing stage with backoff until it succeeds', async () => {
    const ws = await project(
      `stages:\n  flaky:\n    cmd: echo x >> tries; [ $(wc -l < tries) -ge 3 ] && echo done > out.txt\n    outs: [out.txt]\n    retries: 2\n    retry_delay: 10ms\n`,
    );
    const r = await run(ws).execute();
    expect(r.stages[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
    ws.close();
  });

  it('removes outputs before a stage runs, and fails a stage that did not write a declared output', async () => {
    // A stale model.bin from before must not pass for a new one.
    const ws = await project(`stages:\n  lazy:\n    cmd: echo nothing\n    outs: [model.bin]\n`, {
      'model.bin': 'stale',
    });
    const r = await run(ws).execute();
    expect(r.stages[0]).toMatchObject({ status: 'failed', reason: 'finished but did not write model.bin' });
    ws.close();
  });

  it('ends the whole process tree on timeout, grandchildren included', async () => {
    const ws = await project(
      `stages:\n  slow:\n    cmd: sleep 60 & echo $! > grandchild.pid; sleep 60\n    timeout: 300ms\n`,
    );
    const r = await run(ws).execute();
    expect(r.stages[0]).toMatchObject({ status: 'failed', reason: 'timed out after 300 ms' });
    const pid = Number(readFileSync(path.join(ws.dir, 'grandchild.pid'), 'utf8'));
    await until(() => !alive(pid), `grandchild ${pid} to end`, 3000);
    ws.close();
  });

  it('cancels: every process of the running stages ends and the run is recorded as cancelled', async () => {
    const ws = await project(
      `stages:\n  a:\n    cmd: sleep 60 & echo $! > a.pid; sleep 60\n    outs: [{a.pid: {persist: true}}]\n  b:\n    cmd: sleep 60 & echo $! > b.pid; sleep 60\n  c:\n    cmd: echo never > c.txt\n    deps: [a.pid]\n    outs: [c.txt]\n`,
    );
    const r = run(ws, { jobs: 2 });
    const done = r.execute();
    // The pid files must hold their pids, not merely exist: the shell creates a file before echo writes it,
    // and an empty one would read as pid 0 (this process's own group, alive forever).
    const written = (f: string) =>
      existsSync(path.join(ws.dir, f)) && /^\d+\s*$/.test(readFileSync(path.join(ws.dir, f), 'utf8'));
    await until(() => written('a.pid') && written('b.pid'), 'both stages to start');
    r.cancel();
    const summary = await done;
    expect(summary.status).toBe('cancelled');
    expect(summary.stages.map((s) => s.status).sort()).toEqual(['cancelled', 'cancelled', 'cancelled']);
    for (const f of ['a.pid', 'b.pid']) {
      const pid = Number(readFileSync(path.join(ws.dir, f), 'utf8'));
      await until(() => !alive(pid), `${f} process to end`, 3000);
    }
    expect(ws.db.prepare('SELECT status FROM runs WHERE id = ?').get(summary.runId)).toEqual({ status: 'cancelled' });
    ws.close();
  });

  it('records metrics, params, tags and artifacts printed with the line protocol', async () => {
    const line = (o: object) => `echo '::benchtop:: ${JSON.stringify(o)}'`;
    const script = [
      line({ type: 'metric', key: 'loss', value: 0.5 }),
      line({ type: 'metric', key: 'loss', value: 0.25 }),
      line({ type: 'param', key: 'lr', value: 0.1 }),
      line({ type: 'tag', key: 'model', value: 'tiny' }),
      line({ type: 'artifact', path: 'm.bin' }),
      "echo '::benchtop:: {broken'",
    ].join('\n');
    const ws = await project(`stages:\n  s:\n    cmd: sh report.sh\n`, { 'report.sh': script });
    const events: BenchtopEvent[] = [];
    const r = await run(ws, {}, events).execute();
    expect(r.status).toBe('succeeded');
    expect(ws.db.prepare('SELECT step, value FROM run_metrics WHERE run_id = ? ORDER BY step').all(r.runId)).toEqual([
      { step: 0, value: 0.5 },
      { step: 1, value: 0.25 },
    ]);
    expect(ws.db.prepare('SELECT value FROM run_params WHERE run_id = ? AND key = ?').get(r.runId, 'lr')).toEqual({
      value: '0.1',
    });
    expect(ws.db.prepare('SELECT value FROM run_tags WHERE run_id = ?').get(r.runId)).toEqual({ value: 'tiny' });
    expect(ws.db.prepare(`SELECT path FROM run_artifacts WHERE run_id = ? AND role = 'artifact'`).get(r.runId)).toEqual(
      { path: 'm.bin' },
    );
    expect(
      events.some((e) => e.name === 'run.log' && e.payload.line.includes('ignored a malformed ::benchtop:: line')),
    ).toBe(true);
    ws.close();
  });

  it('runs a Python stage with python3 and the Python helper on its path', async () => {
    const ws = await project(
      `stages:\n  py:\n    cmd: python3 stage.py\n    params: [train.lr]\n    outs: [py.txt]\n`,
      {
        'params.yaml': 'train:\n  lr: 0.25\n',
        'stage.py':
          'import benchtop\nlr = benchtop.params()["train"]["lr"]\nfor step in range(3):\n    benchtop.log_metric("loss", lr / (step + 1), step=step)\nbenchtop.set_tag("lang", "python")\nopen("py.txt", "w").write(str(lr))\n',
      },
    );
    const r = await run(ws).execute();
    expect(r.status).toBe('succeeded');
    expect(ws.db.prepare('SELECT step, value FROM run_metrics WHERE run_id = ? ORDER BY step').all(r.runId)).toEqual([
      { step: 0, value: 0.25 },
      { step: 1, value: 0.125 },
      { step: 2, value: 0.25 / 3 },
    ]);
    expect(ws.db.prepare('SELECT value FROM run_tags WHERE run_id = ? AND key = ?').get(r.runId, 'lang')).toEqual({
      value: 'python',
    });
    ws.close();
  });

  it('passes the stage its resolved params as JSON and names the run, stage and project', async () => {
    const ws = await project(
      `stages:\n  s:\n    cmd: cat "$BENCHTOP_PARAMS_FILE" > seen.json; echo "$BENCHTOP_RUN_ID $BENCHTOP_STAGE $BENCHTOP_PROJECT_DIR" > env.txt\n    params: [train.lr]\n    outs: [seen.json, env.txt]\n`,
      {
        'params.yaml': 'train:\n  lr: 0.01\n  other: 1\n',
      },
    );
    const r = await run(ws).execute();
    expect(JSON.parse(readFileSync(path.join(ws.dir, 'seen.json'), 'utf8'))).toEqual({ train: { lr: 0.01 } });
    expect(readFileSync(path.join(ws.dir, 'env.txt'), 'utf8').trim()).toBe(`${r.runId} s ${ws.dir}`);
    ws.close();
  });
});
