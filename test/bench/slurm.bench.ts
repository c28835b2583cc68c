// The Slurm executor's per-stage overhead: a one-stage pipeline whose stage is a Slurm job
// (`benchtop run` in-process: submit, follow, tail the output, record the run) against `sbatch
// --wait` of the same command; and a sweep of 4 as one job array (`--executor`, `--jobs 2`: working
// copies, the barrier, 4 runs following their tasks) against the same array submitted by hand and
// watched with squeue, on the one-node test cluster (test/support/slurm-cluster.ts). Skipped,
// saying why, where the cluster cannot start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPipeline } from '../../electron/core/pipeline/load';
import { PipelineRun } from '../../electron/core/pipeline/runner';
import { runSweep } from '../../electron/core/pipeline/sweeps';
import { initProject } from '../../electron/core/project/init';
import { slurmUnavailable, startSlurmCluster } from '../support/slurm-cluster';
import { compare } from './harness';

async function main(): Promise<void> {
  const why = slurmUnavailable();
  if (why) {
    console.log(`Slurm executor overhead: skipped (${why})`);
    return;
  }
  const cluster = await startSlurmCluster();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-slurm-'));
  try {
    process.env.SLURM_CONF = cluster.conf;
    const dir = path.join(tmp, 'p');
    const { workspace } = await initProject(dir);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'executors:\n  cluster: { type: slurm, cpus: 1, mem: 100M }\nstages:\n  job:\n    cmd: sleep 1\n    executor: cluster\n    always_changed: true\n',
    );
    const pipeline = loadPipeline(dir)!;
    await compare(
      'Slurm stage (sleep 1) through `benchtop run`',
      async () => {
        const r = await new PipelineRun({ projectDir: dir, db: workspace.db, emit: () => {} }, pipeline).execute();
        if (r.status !== 'succeeded') throw new Error(`the run ${r.status}: ${r.stages[0]?.reason}`);
      },
      '`sbatch --wait` of the same command',
      () => {
        const r = spawnSync('sbatch', ['--wait', '--quiet', '--output=/dev/null', '--wrap', 'sleep 1'], {
          cwd: tmp,
          env: cluster.env,
        });
        if (r.status !== 0) throw new Error('sbatch --wait failed');
      },
      4,
    );
    writeFileSync(path.join(dir, 'params.yaml'), 'p: { i: 0 }\n');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'executors:\n  cluster: { type: slurm, cpus: 1, mem: 100M }\nstages:\n  job:\n    cmd: sleep 1\n    params: [p.i]\n    always_changed: true\n',
    );
    await compare(
      'sweep of 4 (sleep 1) as one array, --jobs 2',
      async () => {
        const r = await runSweep(dir, workspace.db, () => {}, {
          sweeps: ['p.i=0,1,2,3'],
          executor: 'cluster',
          jobs: 2,
        });
        const failed = r.runs.find((x) => x.summary?.status !== 'succeeded');
        if (failed)
          throw new Error(`a run ${failed.summary?.status}: ${failed.error ?? failed.summary?.stages[0]?.reason}`);
      },
      // Not `sbatch --wait`, whose own polling backs off to many seconds: the array submitted, then
      // squeue asked every 250 ms until none of its tasks is left, the quickest a client learns the end.
      'sbatch --array=0-3%2, squeue every 250 ms',
      async () => {
        const r = spawnSync('sbatch', ['--parsable', '--array=0-3%2', '--output=/dev/null', '--wrap', 'sleep 1'], {
          cwd: tmp,
          env: cluster.env,
          encoding: 'utf8',
        });
        const id = r.stdout.trim().split(';')[0];
        if (r.status !== 0 || !id) throw new Error(`sbatch failed: ${r.stderr}`);
        while (spawnSync('squeue', ['-h', '-j', id], { env: cluster.env, encoding: 'utf8' }).stdout.trim())
          await new Promise((done) => setTimeout(done, 250));
      },
      2,
    );
    workspace.close();
  } finally {
    await cluster.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
