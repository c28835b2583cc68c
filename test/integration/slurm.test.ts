// The Slurm executor against a real one-node cluster (test/support/slurm-cluster.ts): stages
// submitted with sbatch, followed to their end, their output and metrics streamed live, failures
// and cancel mapped onto the stage. Skipped, with the reason, where the cluster cannot start.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchtopEvent } from '../../shared/contract/events';
import { loadPipeline } from '../../electron/core/pipeline/load';
import { PipelineRun, type RunSummary } from '../../electron/core/pipeline/runner';
import { initProject } from '../../electron/core/project/init';
import { getRun } from '../../electron/core/tracking/runs';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { runCli, tmpDir } from '../support/helpers';
import { clusterForSuite } from '../support/slurm-cluster';

const { cluster, why } = await clusterForSuite();

const EXECUTORS = 'executors:\n  cluster: { type: slurm, partition: debug, cpus: 1, mem: 100M, time: 10m }\n';

async function project(yaml: string, files: Record<string, string> = {}): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  const { workspace } = await initProject(dir, {});
  writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  return workspace;
}

function run(ws: Workspace, events: BenchtopEvent[] = []): PipelineRun {
  return new PipelineRun({ projectDir: ws.dir, db: ws.db, emit: (e) => events.push(e) }, loadPipeline(ws.dir)!, {});
}

function tags(ws: Workspace, runId: string): Record<string, string> {
  const rows = ws.db.prepare(`SELECT key, value FROM run_tags WHERE run_id = ? AND key LIKE 'slurm.%'`).all(runId) as {
    key: string;
    value: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

function scontrol(jobId: string): string {
  return spawnSync('scontrol', ['show', 'job', '-o', jobId], { encoding: 'utf8', env: cluster?.env }).stdout;
}

describe.skipIf(why !== null)(`stages on a Slurm cluster${why ? ` (skipped: ${why})` : ''}`, () => {
  // Slurm limits a job to a minute at least: the job that reaches its limit starts first and runs
  // beside the other tests (the node has a CPU for each), and its test waits for it last.
  let overTime: Promise<{ ws: Workspace; summary: RunSummary }>;
  beforeAll(() => {
    overTime = (async () => {
      const ws = await project(
        'executors:\n  short: { type: slurm, time: 1m }\nstages:\n  long:\n    cmd: sleep 400\n    executor: short\n',
      );
      return { ws, summary: await run(ws).execute() };
    })();
    overTime.catch(() => {});
  });

  it('runs a local and a Slurm stage, records the job and node, streams metrics live, then skips both', async () => {
    const ws = await project(
      `${EXECUTORS}stages:\n  prep:\n    cmd: mkdir -p data && echo 21 > data/x.txt\n    outs: [data/x.txt]\n  train:\n    cmd: sh train.sh\n    deps: [data/x.txt, train.sh]\n    outs: [model.txt]\n    executor: cluster\n`,
      {
        'train.sh':
          'echo "::benchtop:: {\\"type\\": \\"metric\\", \\"key\\": \\"loss\\", \\"value\\": 0.5, \\"step\\": 1}"\necho "on $SLURM_JOB_NODELIST for $BENCHTOP_STAGE"\nsleep 3\necho after\ncat data/x.txt > model.txt\n',
      },
    );
    const events: BenchtopEvent[] = [];
    const first = await run(ws, events).execute();
    expect(first.stages.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['prep', 'succeeded', expect.any(String)],
      ['train', 'succeeded', expect.any(String)],
    ]);
    expect(first.status).toBe('succeeded');
    const t = tags(ws, first.runId);
    expect(t['slurm.train.job_id']).toMatch(/^\d+$/);
    expect(t['slurm.train.node']).toBe(cluster!.node);
    expect(t['slurm.train.state']).toBe('COMPLETED');
    expect(Number(t['slurm.train.queue_wait_s'])).toBeGreaterThanOrEqual(0);
    expect(t['slurm.prep.job_id']).toBeUndefined();
    // On the stages as the app reads them: the job for the Slurm stage, nothing for the local one.
    const [prep, train] = getRun(ws.db, first.runId).stages;
    expect(prep!.job).toBeUndefined();
    expect(train!.job).toEqual({
      id: t['slurm.train.job_id'],
      node: cluster!.node,
      queueWaitMs: Math.round(Number(t['slurm.train.queue_wait_s']) * 1000),
    });
    // The metric reached the run while the job still ran: before the line it printed 3 s later.
    const metricAt = events.findIndex((e) => e.name === 'run.metric' && e.payload.key === 'loss');
    const afterAt = events.findIndex((e) => e.name === 'run.log' && e.payload.line === 'after');
    expect(metricAt).toBeGreaterThanOrEqual(0);
    expect(metricAt).toBeLessThan(afterAt);
    expect(ws.db.prepare(`SELECT value FROM run_metrics WHERE run_id = ? AND key = 'loss'`).get(first.runId)).toEqual({
      value: 0.5,
    });
    // The job saw the stage's BENCHTOP_* variables, and ran on the node.
    const lines = events.filter((e) => e.name === 'run.log').map((e) => (e.payload as { line: string }).line);
    expect(lines).toContain(`on ${cluster!.node} for train`);
    expect(lines.some((l) => l.includes(`running on ${cluster!.node}`))).toBe(true);
    const second = await run(ws).execute();
    expect(second.recorded).toBe(false);
    expect(second.stages.map((s) => s.status)).toEqual(['up-to-date', 'up-to-date']);
  }, 90_000);

  it('runs through `benchtop run`, and `benchtop logs` shows the job, its node and its output', () => {
    const dir = path.join(tmpDir(), 'cli');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `${EXECUTORS}stages:\n  train:\n    cmd: echo trained on $(hostname -s)\n    executor: cluster\n`,
    );
    const r = runCli(['run', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    const logs = runCli(['logs', runId, 'train'], { cwd: dir });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/benchtop: submitted stage train to Slurm as job \d+ \(executor cluster\)/);
    expect(logs.stdout).toMatch(
      new RegExp(`benchtop: Slurm job \\d+ (is running|ran) on ${cluster!.node} after \\d+ s in the queue`),
    );
    expect(logs.stdout).toContain(`trained on ${cluster!.node}`);
    expect(logs.stdout).toMatch(new RegExp(`benchtop: Slurm job \\d+ completed on ${cluster!.node}`));
  }, 60_000);

  it('fails a stage whose job exits non-zero, naming the job and the exit code', async () => {
    const ws = await project(`${EXECUTORS}stages:\n  boom:\n    cmd: echo bad; exit 3\n    executor: cluster\n`);
    const r = await run(ws).execute();
    expect(r.status).toBe('failed');
    const jobId = tags(ws, r.runId)['slurm.boom.job_id'];
    expect(r.stages[0]).toMatchObject({
      status: 'failed',
      exitCode: 3,
      reason: `Slurm job ${jobId} failed on ${cluster!.node}: the command exited with code 3`,
    });
  }, 60_000);

  it('resubmits a failed job as often as retries: says', async () => {
    const ws = await project(
      `${EXECUTORS}stages:\n  flaky:\n    cmd: if [ -e once ]; then echo ok; else touch once; exit 1; fi\n    executor: cluster\n    retries: 1\n    retry_delay: 100ms\n`,
    );
    const r = await run(ws).execute();
    expect(r.stages[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  }, 60_000);

  it('cancels a running job with scancel, confirmed by its state, and leaves no process behind', async () => {
    // A sleep of its own length, to find its process on the node by name.
    const marker = `sleep ${700 + (Date.now() % 100_000)}`;
    const ws = await project(`${EXECUTORS}stages:\n  long:\n    cmd: ${marker}\n    executor: cluster\n`);
    const events: BenchtopEvent[] = [];
    const pipelineRun = run(ws, events);
    const done = pipelineRun.execute();
    const end = Date.now() + 30_000;
    while (!events.some((e) => e.name === 'run.log' && /is running on/.test((e.payload as { line: string }).line))) {
      if (Date.now() > end) throw new Error('the job never ran');
      await new Promise((r) => setTimeout(r, 100));
    }
    while (spawnSync('pgrep', ['-f', marker]).status !== 0) {
      if (Date.now() > end) throw new Error('the job never started its command');
      await new Promise((r) => setTimeout(r, 100));
    }
    pipelineRun.cancel();
    const r = await done;
    expect(r.status).toBe('cancelled');
    expect(r.stages[0]).toMatchObject({ status: 'cancelled' });
    const jobId = tags(ws, r.runId)['slurm.long.job_id']!;
    expect(scontrol(jobId)).toMatch(/JobState=CANCELLED/);
    expect(tags(ws, r.runId)['slurm.long.state']).toBe('CANCELLED');
    expect(spawnSync('pgrep', ['-f', marker]).status).toBe(1);
  }, 60_000);

  it("ends a job that outlives the stage's timeout with scancel and says so", async () => {
    const ws = await project(
      `${EXECUTORS}stages:\n  slow:\n    cmd: sleep 300\n    executor: cluster\n    timeout: 3s\n`,
    );
    const r = await run(ws).execute();
    const jobId = tags(ws, r.runId)['slurm.slow.job_id'];
    expect(r.stages[0]).toMatchObject({
      status: 'failed',
      reason: `timed out after 3000 ms: Benchtop cancelled Slurm job ${jobId} (state CANCELLED)`,
    });
  }, 60_000);

  it('fails a stage whose job reaches the time limit Slurm gave it (TIMEOUT)', async () => {
    const { ws, summary } = await overTime;
    const jobId = tags(ws, summary.runId)['slurm.long.job_id'];
    expect(tags(ws, summary.runId)['slurm.long.state']).toBe('TIMEOUT');
    expect(summary.stages[0]).toMatchObject({
      status: 'failed',
      reason: `Slurm job ${jobId} reached its time limit (1 min) on ${cluster!.node} and Slurm ended it; raise timeout: (or the executor's time:)`,
    });
    expect(scontrol(jobId!)).toMatch(/JobState=TIMEOUT/);
  }, 180_000);
});
