// End to end: a Slurm stage's own state in the Pipelines view's live stage list, from the real
// runner on the one-node test cluster (test/support/slurm-cluster.ts): "pending (job N)" while the
// job is held, "running on NODE (job N)", then "done (job N)", with its live log, at 1024×768 and
// 1440×900. Skipped, with the reason, where the cluster cannot start.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { clusterForSuite } from '../support/slurm-cluster';
import { openApp } from './browser';
import { browserSession, shot } from './session';

const { cluster, why } = await clusterForSuite();

const session = browserSession();
let ui: UiProcess;

beforeAll(async () => {
  if (why) return;
  const dir = path.join(tmpDir(), 'cluster-project');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  // Held at submission, so the pending state lasts until the test releases the job.
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    `executors:
  cluster: { type: slurm, partition: debug, cpus: 1, mem: 100M, time: 10m, extra_args: ["--hold"] }
stages:
  train:
    cmd: echo "training on $(hostname -s)"; sleep 4; echo trained > model.txt
    outs: [model.txt]
    executor: cluster
`,
  );
  ui = await session.serve(dir);
}, 120_000);

const tab = (page: Page) => page.getByRole('tablist', { name: 'Stages' }).getByRole('tab', { name: /^train/ });

describe.skipIf(why !== null)(`a Slurm stage in the Pipelines view${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const [width, height] of [
    [1024, 768],
    [1440, 900],
  ] as const) {
    it(`shows the job pending, running on its node, then done, with the live log, at ${width}×${height}`, async () => {
      const context = await session.launch();
      const page = await openApp(context, ui.url, session.errors, { width, height });
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Pipelines' }).click();
      await page.getByRole('checkbox', { name: /Force/ }).check();
      await page.getByRole('button', { name: '▶ Run' }).click();
      await expect.poll(() => tab(page).textContent(), { timeout: 30_000 }).toMatch(/^train · pending \(job \d+\)$/);
      const card = page.getByRole('region', { name: 'Stage train' });
      await expect.poll(() => card.locator('.status').textContent()).toMatch(/^pending \(job \d+\)$/);
      await shot(page, `slurm-stage-pending-${width}x${height}`);
      const jobId = /job (\d+)/.exec((await tab(page).textContent())!)![1]!;
      const released = spawnSync('scontrol', ['release', jobId], { env: cluster!.env, encoding: 'utf8' });
      expect(released.status, released.stderr).toBe(0);
      await expect
        .poll(() => tab(page).textContent(), { timeout: 30_000 })
        .toBe(`train · running on ${cluster!.node} (job ${jobId})`);
      const log = page.getByRole('region', { name: 'Log of train' }).getByRole('log');
      await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain(`training on ${cluster!.node}`);
      await shot(page, `slurm-stage-running-${width}x${height}`);
      await expect.poll(() => tab(page).textContent(), { timeout: 60_000 }).toBe(`train · done (job ${jobId})`);
      await expect.poll(() => card.locator('.status').textContent()).toBe(`done (job ${jobId})`);
      await shot(page, `slurm-stage-done-${width}x${height}`);
      expect(session.errors).toEqual([]);
      await context.close();
    }, 150_000);
  }
});
