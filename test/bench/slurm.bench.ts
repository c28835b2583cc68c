// The Slurm executor's per-stage overhead: a one-stage pipeline whose stage is a Slurm job
// (`benchtop run` in-process: submit, follow, tail the output, record the run) against `sbatch
// --wait` of the same command, on the one-node test cluster (test/support/slurm-cluster.ts).
// Skipped, saying why, where the cluster cannot start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPipeline } from '../../electron/core/pipeline/load';
import { PipelineRun } from '../../electron/core/pipeline/runner';
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
