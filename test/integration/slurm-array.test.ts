// Sweeps as Slurm job arrays against a real one-node cluster (test/support/slurm-cluster.ts): one
// array job per stage, a task per run, `--jobs` as the array's throttle, each run following its own
// task. Skipped, with the reason, where the cluster cannot start.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../electron/core/pipeline/sweeps';
import { initProject } from '../../electron/core/project/init';
import { runCli, tmpDir } from '../support/helpers';
import { clusterForSuite } from '../support/slurm-cluster';

const { cluster, why } = await clusterForSuite();

const EXECUTORS = 'executors:\n  cluster: { type: slurm, partition: debug, cpus: 1, mem: 100M, time: 10m }\n';

/** Reads the stage's params, notes when it started and ended, and logs a metric made of them. */
const TRAIN = `import json, os, time
p = json.load(open(os.environ["BENCHTOP_PARAMS_FILE"]))["train"]
start = time.time()
time.sleep(1)
print("::benchtop:: " + json.dumps({"type": "metric", "key": "score", "value": p["lr"] * 10 + p["seed"], "step": 1}))
open("model.txt", "w").write(json.dumps(p))
with open(os.environ["TIMES"], "a") as f:
    f.write(f"{start} {time.time()}\\n")
`;

function query<T>(dir: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path.join(dir, '.benchtop', 'benchtop.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

function tagsOf(dir: string, runId: string): Record<string, string> {
  const rows = query<{ key: string; value: string }>(dir, 'SELECT key, value FROM run_tags WHERE run_id = ?', runId);
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** The most intervals open at one moment. */
function mostAtOnce(intervals: [number, number][]): number {
  const points = intervals.flatMap(([a, b]) => [
    [a, 1],
    [b, -1],
  ]);
  // An end and a start at the same instant do not overlap.
  points.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  let open = 0;
  let most = 0;
  for (const [, d] of points) most = Math.max(most, (open += d!));
  return most;
}

interface SweepJson {
  sweepId: string;
  runs: {
    overrides: { key: string; value: unknown }[];
    summary: { runId: string; status: string; stages: { name: string; status: string; reason: string }[] };
    metrics: Record<string, number>;
    error: string | null;
  }[];
}

describe('a sweep with --executor names a Slurm executor of benchtop.yaml', () => {
  it('refuses any other name, saying where to declare it', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    writeFileSync(path.join(dir, 'params.yaml'), 'train: { lr: 0.1 }\n');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `${EXECUTORS}stages:\n  train:\n    cmd: echo hi\n    params: [train.lr]\n`,
    );
    const r = runCli(['run', '--sweep', 'train.lr=0.1,0.2', '--executor', 'gpu'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('benchtop.yaml declares no Slurm executor named "gpu"');
    expect(r.stderr).toContain('cluster');
    expect(query(dir, 'SELECT id FROM runs')).toEqual([]);
    const alone = runCli(['run', '--executor', 'cluster'], { cwd: dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--executor goes with --sweep');
  });
});

describe.skipIf(why !== null)(`sweeps as Slurm job arrays${why ? ` (skipped: ${why})` : ''}`, () => {
  it('runs a sweep of 4 as one array job, 2 tasks at a time, then restores it all from the cache', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    const times = path.join(tmpDir(), 'times.txt');
    writeFileSync(path.join(dir, 'params.yaml'), 'train: { lr: 0.1, seed: 1 }\n');
    writeFileSync(path.join(dir, 'train.py'), TRAIN);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `${EXECUTORS}stages:\n  train:\n    cmd: python3 train.py\n    deps: [train.py]\n    params: [train.lr, train.seed]\n    outs: [model.txt]\n    env: { TIMES: ${JSON.stringify(times)} }\n`,
    );
    const sweep = ['run', '--sweep', 'train.lr=0.1,0.2', '--sweep', 'train.seed=1,2', '--executor', 'cluster'];
    const r = runCli([...sweep, '--jobs', '2', '--json'], { cwd: dir });
    expect(r.code, `${r.stderr}\n${cluster!.logs()}`).toBe(0);
    const out = JSON.parse(r.stdout) as SweepJson;
    expect(out.runs.map((x) => x.summary.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    // Each run trained on its own values, and its metric reached it.
    expect(out.runs.map((x) => x.overrides.map((o) => String(o.value)).join('/'))).toEqual([
      '0.1/1',
      '0.1/2',
      '0.2/1',
      '0.2/2',
    ]);
    expect(out.runs.map((x) => x.metrics.score)).toEqual([2, 3, 3, 4]);
    // One array job: every run followed a task of it, the task index being the run's place in the grid.
    const jobs = out.runs.map((x) => tagsOf(dir, x.summary.runId));
    const ids = jobs.map((t) => /^(\d+)_(\d+)$/.exec(t['slurm.train.job_id'] ?? '')?.slice(1));
    expect(ids.map((m) => m?.[1])).toEqual(['0', '1', '2', '3']);
    const arrayId = ids[0]![0]!;
    expect(new Set(ids.map((m) => m![0]))).toEqual(new Set([arrayId]));
    for (const [i, t] of jobs.entries()) {
      expect(t.sweep).toBe(out.sweepId);
      expect(t['slurm.train.state']).toBe('COMPLETED');
      expect(t['slurm.train.node']).toBe(cluster!.node);
      const params = query<{ key: string; value: string }>(
        dir,
        `SELECT key, value FROM run_params WHERE run_id = ? ORDER BY key`,
        out.runs[i]!.summary.runId,
      );
      expect(params).toEqual([
        { key: 'train.lr', value: String(out.runs[i]!.overrides[0]!.value) },
        { key: 'train.seed', value: String(out.runs[i]!.overrides[1]!.value) },
      ]);
    }
    // Submitted with %2, and no more than 2 tasks ran at once.
    const shown = spawnSync('scontrol', ['show', 'job', '-o', arrayId], { encoding: 'utf8', env: cluster!.env }).stdout;
    expect(shown).toMatch(/ArrayTaskThrottle=2\b/);
    const intervals = readFileSync(times, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number) as [number, number]);
    expect(intervals).toHaveLength(4);
    expect(mostAtOnce(intervals)).toBeLessThanOrEqual(2);

    // The same sweep again: every run restores its stage from the run cache, and nothing is submitted.
    const again = runCli([...sweep, '--json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as SweepJson;
    expect(second.runs.map((x) => [x.summary.status, x.summary.stages[0]!.reason])).toEqual(
      Array(4).fill(['succeeded', 'restored from the run cache']),
    );
    for (const x of second.runs) expect(tagsOf(dir, x.summary.runId)['slurm.train.job_id']).toBeUndefined();
    expect(readFileSync(times, 'utf8').trim().split('\n')).toHaveLength(4);
  }, 120_000);

  it('submits each stage level as its own array, leaving out the runs whose upstream stage failed', async () => {
    const dir = path.join(tmpDir(), 'p');
    const { workspace: ws } = await initProject(dir, {});
    writeFileSync(path.join(dir, 'params.yaml'), 'train: { lr: 0.1 }\n');
    // prep fails for lr 0.3, so that run's train is skipped and never reaches the barrier.
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `${EXECUTORS}stages:\n  prep:\n    cmd: python3 -c "import json, os, sys; sys.exit(json.load(open(os.environ['BENCHTOP_PARAMS_FILE']))['train']['lr'] > 0.25)" && echo ready > ready.txt\n    params: [train.lr]\n    outs: [ready.txt]\n  train:\n    cmd: cat ready.txt > model.txt\n    deps: [ready.txt]\n    outs: [model.txt]\n`,
    );
    const { sweepId, runs } = await runSweep(dir, ws.db, () => {}, {
      sweeps: ['train.lr=0.1,0.2,0.3'],
      executor: 'cluster',
      jobs: 3,
    });
    expect(runs.map((r) => r.summary?.stages.map((s) => s.status))).toEqual([
      ['succeeded', 'succeeded'],
      ['succeeded', 'succeeded'],
      ['failed', 'skipped'],
    ]);
    const tags = runs.map((r) => tagsOf(dir, r.summary!.runId));
    for (const t of tags) expect(t.sweep).toBe(sweepId);
    const prep = tags.map((t) => t['slurm.prep.job_id']!.split('_'));
    expect(prep.map(([, task]) => task)).toEqual(['0', '1', '2']);
    expect(new Set(prep.map(([id]) => id)).size).toBe(1);
    const train = tags.slice(0, 2).map((t) => t['slurm.train.job_id']!.split('_'));
    expect(train.map(([, task]) => task)).toEqual(['0', '1']);
    expect(train[0]![0]).toBe(train[1]![0]);
    expect(train[0]![0]).not.toBe(prep[0]![0]);
    expect(tags[2]!['slurm.train.job_id']).toBeUndefined();
    expect(tags[2]!['slurm.prep.state']).toBe('FAILED');
    ws.close();
  }, 120_000);

  it('cancels the sweep: scancel on the array, every run cancelled, no task left running', async () => {
    // A sleep of its own length, to find its processes on the node by name.
    const marker = `sleep ${800 + (Date.now() % 100_000)}`;
    const dir = path.join(tmpDir(), 'p');
    const { workspace: ws } = await initProject(dir, {});
    writeFileSync(path.join(dir, 'params.yaml'), 'train: { lr: 0.1 }\n');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `${EXECUTORS}stages:\n  train:\n    cmd: ${marker}\n    params: [train.lr]\n`,
    );
    const controller = new AbortController();
    const running = new Set<string>();
    const done = runSweep(
      dir,
      ws.db,
      (e) => {
        if (e.name === 'run.log' && /is running on/.test(e.payload.line)) running.add(e.payload.runId);
      },
      { sweeps: ['train.lr=0.1,0.2'], executor: 'cluster', jobs: 2, signal: controller.signal },
    );
    const end = Date.now() + 60_000;
    while (running.size < 2 || spawnSync('pgrep', ['-f', marker]).status !== 0) {
      if (Date.now() > end) throw new Error(`the tasks never ran\n${cluster!.logs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    controller.abort();
    const { runs } = await done;
    expect(runs.map((r) => [r.summary?.status, r.summary?.stages[0]?.status])).toEqual([
      ['cancelled', 'cancelled'],
      ['cancelled', 'cancelled'],
    ]);
    const ids = runs.map((r) => tagsOf(dir, r.summary!.runId)['slurm.train.job_id']!);
    expect(ids.map((id) => id.split('_')[1])).toEqual(['0', '1']);
    for (const id of ids) {
      const shown = spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8', env: cluster!.env }).stdout;
      expect(shown).toMatch(/JobState=CANCELLED/);
    }
    expect(spawnSync('pgrep', ['-f', marker]).status).toBe(1);
    ws.close();
  }, 120_000);
});
