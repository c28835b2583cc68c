// End to end (issue 19): the app's places have URLs. It lands on the Overview of the demo project
// (champion and metric, open alerts, last pipeline run, recent data versions, each a link), the
// browser's back and forward buttons move between views, and a run, a model version or a monitor
// opens from its URL, after a reload too.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliverDemoWeeks } from '../support/demo-weeks';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { openApp } from './browser';
import { browserSession, SHOTS, shot } from './session';

const session = browserSession();
let ui: UiProcess;
let page: Page;
let champion: number;
let runId: string;
let dir: string;

const title = (p: Page = page): Promise<string | null> => p.locator('#section-title').textContent();
const hash = (p: Page = page): Promise<string> => p.evaluate(() => window.location.hash);
const overviewCard = (name: string, p: Page = page) => p.getByRole('region', { name });

beforeAll(async () => {
  dir = path.join(tmpDir(), 'routing-demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  // A champion from the pipeline, then production weeks whose drift raises alerts (exit code 3).
  expect(runCli(['run'], { cwd: dir }).code).toBe(0);
  await deliverDemoWeeks(dir, 6);
  expect(runCli(['monitor', 'check', 'loan-weekly'], { cwd: dir }).code).toBe(3);
  const aliases = runCli(['models', 'resolve', 'loan-default@champion', '--json'], { cwd: dir });
  champion = Number((JSON.parse(aliases.stdout) as { version: number }).version);
  ({ ui, page } = await session.open(dir, { width: 1024, height: 768 }));
});

describe('the Overview (browser)', () => {
  it('is where the app lands, and says how the demo project stands', async () => {
    await expect.poll(() => title()).toBe('Overview');
    expect(await hash()).toBe('#/overview');
    // The browser-mode token left the address bar before the route was written.
    expect(page.url()).not.toContain('token');

    const champions = overviewCard('Champions');
    const link = champions.getByRole('link', { name: `Champion of loan-default: version ${champion}` });
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.textContent()).toBe(`v${champion}`);
    expect(await champions.textContent()).toContain('@champion');
    expect(await champions.getByLabel('loan-default accuracy').textContent()).toMatch(/^accuracy 0\.\d+/);
    await expect
      .poll(() => champions.getByRole('img', { name: /^accuracy across versions of loan-default/ }).count())
      .toBe(1);

    const alerts = overviewCard('Monitors');
    expect(await alerts.getByLabel('Open alerts').textContent()).toMatch(/^[1-9]\d* open alerts?$/);
    expect(await alerts.getByRole('link', { name: 'loan-weekly' }).getAttribute('href')).toBe(
      '#/monitoring/loan-weekly',
    );

    const pipeline = overviewCard('Last pipeline run');
    expect(await pipeline.getByLabel('What it changed').textContent()).toMatch(/^\d+ stages? ran, \d+ skipped$/);
    expect(await pipeline.getByRole('list', { name: 'Stages' }).textContent()).toContain('train');
    runId = ((await pipeline.getByRole('link').first().getAttribute('href')) ?? '').replace('#/experiments/run/', '');
    expect(runId).toMatch(/^run-/);

    const data = overviewCard('Data versions this week');
    expect(await data.getByRole('list', { name: 'Recent data versions' }).textContent()).toContain('data/loans.csv');
    await shot(page, 'overview-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'overview-1440');
  });

  it('opens the champion model version from its link, and the URL follows', async () => {
    await overviewCard('Champions')
      .getByRole('link', { name: `Champion of loan-default: version ${champion}` })
      .click();
    await expect.poll(() => page.getByRole('heading', { name: `loan-default v${champion}`, level: 2 }).count()).toBe(1);
    expect(await title()).toBe('Models');
    expect(await hash()).toBe(`#/models/loan-default/v/${champion}`);
    await page.goBack();
    await expect.poll(() => title()).toBe('Overview');
  });

  it('reads well in the dark theme, at both sizes', async () => {
    const dark = await session.launch({ colorScheme: 'dark' });
    for (const size of [
      { width: 1024, height: 768 },
      { width: 1440, height: 900 },
    ]) {
      const p = await openApp(dark, ui.url.replace(/#token=.*/, `#token=${ui.token}`), session.errors, size);
      await expect.poll(() => overviewCard('Champions', p).getByRole('img').count()).toBe(1);
      expect(await p.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 23, 28)');
      await p.screenshot({ path: path.join(SHOTS, `overview-${size.width}-dark.png`) });
      await p.close();
    }
  });
});

describe('URL routes (browser)', () => {
  const nav = (label: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: label });

  it('moves back and forward between Experiments, a run and Models', async () => {
    await nav('Experiments').click();
    await expect.poll(() => hash()).toBe('#/experiments');
    await page.locator('button.run-name').first().click();
    await expect.poll(() => hash()).toMatch(/^#\/experiments\/run\/run-/);
    const runUrl = await hash();
    const runName = (await page.locator('#run-title').textContent())!;
    await nav('Models').click();
    await expect.poll(() => title()).toBe('Models');
    // The section shows the page it showed last (the champion opened above): its URL says which.
    const modelsUrl = await hash();
    expect(modelsUrl).toMatch(/^#\/models/);

    await page.goBack();
    await expect.poll(() => page.locator('#run-title').textContent()).toBe(runName);
    expect(await title()).toBe('Experiments');
    expect(await hash()).toBe(runUrl);
    await page.goBack();
    await expect.poll(() => hash()).toBe('#/experiments');
    await expect.poll(() => page.locator('#run-title').count()).toBe(0);
    expect(await title()).toBe('Experiments');
    await page.goForward();
    await expect.poll(() => page.locator('#run-title').textContent()).toBe(runName);
    await page.goForward();
    await expect.poll(() => title()).toBe('Models');
    expect(await hash()).toBe(modelsUrl);
  });

  it('opens the last pipeline run and a data version from the Overview links', async () => {
    await nav('Overview').click();
    await overviewCard('Last pipeline run').getByRole('link').first().click();
    await expect.poll(() => page.locator('#run-title').count()).toBe(1);
    expect(await hash()).toBe(`#/experiments/run/${runId}`);
    await page.goBack();
    await expect.poll(() => title()).toBe('Overview');
    await overviewCard('Data versions this week').getByRole('link', { name: 'data/loans.csv' }).first().click();
    await expect.poll(() => title()).toBe('Data');
    expect(await hash()).toBe('#/data');
    await page.goBack();
    await expect.poll(() => title()).toBe('Overview');
  });

  it('opens a run from its URL, after a reload too', async () => {
    await page.goto(`${ui.origin}/#/experiments/run/${encodeURIComponent(runId)}`);
    await expect.poll(() => title()).toBe('Experiments');
    await expect.poll(() => page.locator('#run-title').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('#run-title').count()).toBe(1);
    expect(await title()).toBe('Experiments');
    expect(await hash()).toBe(`#/experiments/run/${runId}`);
  });

  it('opens a model version and a monitor from their URLs', async () => {
    await page.goto(`${ui.origin}/#/models/loan-default/v/1`);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-default v1', level: 2 }).count()).toBe(1);
    expect(await title()).toBe('Models');
    await page.goto(`${ui.origin}/#/monitoring/loan-weekly`);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-weekly', level: 2 }).count()).toBe(1);
    expect(await title()).toBe('Monitoring');
  });

  it('opens a comparison of runs from its URL', async () => {
    const runs = JSON.parse(runCli(['runs', '--json'], { cwd: dir }).stdout) as { id: string }[];
    const ids = runs.slice(0, 2).map((r) => r.id);
    expect(ids).toHaveLength(2);
    await page.goto(`${ui.origin}/#/experiments/compare/${ids.map(encodeURIComponent).join(',')}`);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Compare 2 runs' }).count()).toBe(1);
    expect(await title()).toBe('Experiments');
  });

  it('lands an unknown route on the Overview, and the address bar says so', async () => {
    await page.goto(`${ui.origin}/#/nowhere/at/all`);
    await page.reload();
    await expect.poll(() => title()).toBe('Overview');
    await expect.poll(() => hash()).toBe('#/overview');
  });

  it('shows an empty project what to do first, and each button goes there', async () => {
    await page.keyboard.press('Alt+o');
    const dialog = page.getByRole('dialog', { name: 'Switch project' });
    await dialog.getByLabel('Project folder').fill(path.join(tmpDir(), 'empty-project'));
    await dialog.getByRole('button', { name: 'Create new project here' }).click();
    await expect.poll(() => page.getByRole('button', { name: /empty-project/ }).count()).toBe(1);
    await nav('Overview').click();
    const empty = page
      .getByRole('status')
      .filter({ has: page.getByRole('heading', { name: 'Nothing to report yet' }) });
    await expect.poll(() => empty.count()).toBe(1);
    await shot(page, 'overview-empty');
    await empty.getByRole('button', { name: 'Track data' }).click();
    await expect.poll(() => title()).toBe('Data');
    expect(await hash()).toBe('#/data');
    await page.goBack();
    await expect.poll(() => title()).toBe('Overview');
  });

  it('ran without page errors', () => {
    expect(session.errors).toEqual([]);
  });
});
