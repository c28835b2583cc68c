// End to end: the sweep panel offers the Slurm executors of benchtop.yaml, and a sweep started on
// one sends every stage to it. The executor's submit_prefix is `false`, so nothing reaches a real
// cluster: each run's stage fails at its submission, which shows the executor was used (the stage
// itself names none and would succeed here).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const session = browserSession();

describe('the sweep panel (browser)', () => {
  it('lists the Slurm executors and starts a sweep on the one chosen', async () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    writeFileSync(path.join(dir, 'params.yaml'), 'train: { lr: 0.1 }\n');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'executors:\n  cluster: { type: slurm, submit_prefix: "false" }\n  here: { type: local }\nstages:\n  train:\n    cmd: echo trained\n    params: [train.lr]\n',
    );
    const { page } = await session.open(dir, { width: 1024, height: 768 });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Pipelines' }).click();
    const sweep = page.getByRole('region', { name: 'Sweep' });
    const executor = sweep.getByRole('combobox', { name: 'Executor' });
    await expect
      .poll(() => executor.locator('option').allTextContents())
      .toEqual(['as benchtop.yaml says', 'cluster (Slurm job arrays)']);
    await executor.selectOption('cluster');
    await sweep.getByRole('textbox').fill('train.lr=0.1,0.2');
    await sweep.getByRole('button', { name: 'Start sweep' }).click();
    const statuses = page.getByRole('table', { name: 'Sweep queue' }).locator('tbody tr .status');
    await expect.poll(() => statuses.allTextContents(), { timeout: 60_000 }).toEqual(['failed', 'failed']);
    await shot(page, 'pipelines-sweep-executor');
    expect(session.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  }, 120_000);
});
