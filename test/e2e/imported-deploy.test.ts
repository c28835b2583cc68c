// End to end, case 11 of the safety issue: deploying a version imported from a bundle shows the
// command the bundle brought and runs it only after "Trust and deploy"; Cancel deploys nothing.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const session = browserSession();
let page: Page;
let dir: string;

const PREDICTOR = `
require('fs').writeFileSync('bundle-command-ran', '');
process.stdout.write('{"$ready": true}\\n');
require('readline').createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim()) process.stdout.write(JSON.stringify({ echo: JSON.parse(l) }) + '\\n'); });
`;
const COMMAND = 'node "$BENCHTOP_MODEL_PATH/predict.js"';

const panel = (): ReturnType<Page['getByRole']> => page.getByRole('region', { name: 'Deployment', exact: true });

beforeAll(async () => {
  const maker = path.join(tmpDir(), 'maker');
  expect(runCli(['init', '--dir', maker]).code).toBe(0);
  mkdirSync(path.join(maker, 'm'));
  writeFileSync(path.join(maker, 'm', 'predict.js'), PREDICTOR);
  writeFileSync(path.join(maker, 'm', 'model.json'), '{}');
  const registered = runCli(['models', 'register', 'echo', '--path', 'm', '--predict', COMMAND], { cwd: maker });
  expect(registered.code, registered.stderr).toBe(0);
  const zip = path.join(tmpDir(), 'echo.zip');
  expect(runCli(['models', 'export', 'echo/1', zip], { cwd: maker }).code).toBe(0);
  dir = path.join(tmpDir(), 'user');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  expect(runCli(['models', 'import', zip], { cwd: dir }).code).toBe(0);
  ({ page } = await session.open(dir));
});

describe('Deploying an imported version (browser)', () => {
  it('case 11: Deploy shows the imported command and asks; Cancel runs nothing, "Trust and deploy" serves it', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'echo version 1' }).click();
    await expect.poll(() => panel().textContent()).toContain('Not deployed');
    await panel().getByRole('button', { name: 'Deploy', exact: true }).click();
    const ask = panel().getByRole('alertdialog', { name: 'Trust the imported command' });
    await expect.poll(() => ask.count()).toBe(1);
    expect(await ask.textContent()).toContain(COMMAND);
    await shot(page, 'deploy-trust-imported');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => ask.count()).toBe(0);
    expect(existsSync(path.join(dir, 'bundle-command-ran'))).toBe(false);

    await panel().getByRole('button', { name: 'Deploy', exact: true }).click();
    await ask.getByRole('button', { name: 'Trust and deploy' }).click();
    const status = panel().getByLabel('Deployment status');
    await expect.poll(() => status.locator('.deploy-state').textContent(), { timeout: 20_000 }).toBe('serving v1');
    expect(existsSync(path.join(dir, 'bundle-command-ran'))).toBe(true);
    await status.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => panel().textContent()).toContain('stopped from the app');
  });
});
