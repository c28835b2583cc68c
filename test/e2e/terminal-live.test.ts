// End to end (issue 17, case 4): `benchtop exec` in a terminal while `benchtop ui` serves the same
// project. The app hears the terminal's writes (see electron/core/app/external-changes.ts), so the
// new run appears in the runs table, running, and then succeeded, and a terminal's `benchtop run`
// shows its stage's status and log lines in Pipelines, without reloading the page.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const POLL = { timeout: 30_000, interval: 100 };
const session = browserSession();
let page: Page;
let projectDir: string;

beforeAll(async () => {
  projectDir = path.join(tmpDir(), 'terminal-live');
  mkdirSync(projectDir);
  expect(runCli(['init', '--dir', projectDir]).code).toBe(0);
  ({ page } = await session.open(projectDir, { width: 1280, height: 800 }));
});

describe('a terminal’s run, live in the app', () => {
  it('case 4: `benchtop exec` in a terminal shows in the runs table, running then succeeded, without a reload', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Experiments' }).click();
    await expect.poll(() => page.getByText('No experiments yet').count(), { timeout: 60_000 }).toBe(1);
    // Marks this page: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { stillThisPage: boolean }).stillThisPage = true));
    const go = path.join(projectDir, 'go');
    const script = `const fs = require('fs');
console.log('::benchtop:: ' + JSON.stringify({ type: 'metric', key: 'acc', value: 0.75 }));
while (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);`;
    writeFileSync(path.join(projectDir, 'train.js'), script);
    const terminal = spawn(process.execPath, [CLI, 'exec', '--name', 'terminal-run', '--', 'node', 'train.js'], {
      cwd: projectDir,
      env: { ...process.env, BENCHTOP_DATA_DIR: tmpDir(), BENCHTOP_LOCK_HELD: '' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', resolve));
    try {
      const row = page
        .getByRole('grid', { name: 'Runs' })
        .locator('.vgrid-body [role="row"]', { hasText: 'terminal-run' });
      await expect.poll(() => row.count(), POLL).toBe(1);
      await expect.poll(() => row.locator('.status').textContent(), POLL).toBe('running');
      await shot(page, 'terminal-run-live');
      writeFileSync(go, '');
      expect(await exited).toBe(0);
      await expect.poll(() => row.locator('.status').textContent(), POLL).toBe('succeeded');
      expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
      expect(session.errors).toEqual([]);
    } finally {
      if (!existsSync(go)) writeFileSync(go, '');
      await exited;
    }
  });

  it('case 4: a terminal’s `benchtop run` shows its stage running with its log, then succeeded, in Pipelines', async () => {
    const go = path.join(projectDir, 'go-stage');
    writeFileSync(
      path.join(projectDir, 'stage.js'),
      `const fs = require('fs');\nconsole.log('hello from the terminal');\nwhile (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);\nconsole.log('bye from the terminal');\n`,
    );
    writeFileSync(
      path.join(projectDir, 'benchtop.yaml'),
      'stages:\n  train:\n    cmd: node stage.js\n    deps: [stage.js]\n',
    );
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Pipelines' }).click();
    const tab = page.getByRole('tablist', { name: 'Stages' }).getByRole('tab', { name: /^train/ });
    await expect.poll(() => tab.count(), POLL).toBe(1);
    const terminal = spawn(process.execPath, [CLI, 'run'], {
      cwd: projectDir,
      env: { ...process.env, BENCHTOP_DATA_DIR: tmpDir(), BENCHTOP_LOCK_HELD: '' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', resolve));
    try {
      await expect.poll(() => tab.textContent(), POLL).toBe('train · running');
      await tab.click();
      const log = page.getByRole('region', { name: 'Log of train' });
      await expect.poll(() => log.textContent(), POLL).toContain('hello from the terminal');
      await shot(page, 'terminal-pipeline-live');
      writeFileSync(go, '');
      expect(await exited).toBe(0);
      await expect.poll(() => tab.textContent(), POLL).toBe('train · succeeded');
      await expect.poll(() => log.textContent(), POLL).toContain('bye from the terminal');
      expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
      expect(session.errors).toEqual([]);
    } finally {
      if (!existsSync(go)) writeFileSync(go, '');
      await exited;
    }
  });
});
