// End to end: `benchtop ui` on a fresh demo project, driven through every section in Chromium.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { launchChromium } from './browser';
import { browserSession, SHOTS } from './session';

const session = browserSession();
let ui: UiProcess;
let page: Page;
let demoDir: string;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function openSection(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: label }).click();
  await expect.poll(() => page.locator('#section-title').textContent()).toBe(label);
}

beforeAll(async () => {
  demoDir = path.join(tmpDir(), 'loan-demo');
  expect(runCli(['init', '--demo', '--dir', demoDir]).code).toBe(0);
  ({ ui, page } = await session.open(demoDir));
});

describe('Benchtop in the browser', () => {
  it('opens the demo project and takes the token out of the address bar', async () => {
    await expect.poll(() => page.getByRole('button', { name: /Benchtop demo/ }).count()).toBe(1);
    expect(page.url()).not.toContain('token');
    await expect.poll(() => page.locator('.statusbar').textContent()).toContain(demoDir);
    expect(await page.locator('.statusbar').textContent()).toMatch(/git main @ [0-9a-f]{7}/);
    expect(await page.locator('.statusbar').textContent()).toContain('connected');
  });

  it('opens the guided tour the first time the demo opens; closed, it stays closed', async () => {
    // The tour has its own suite (tour.test.ts); here it is closed so each section has the width.
    const tour = page.getByRole('complementary', { name: 'Guided tour' });
    await expect.poll(() => tour.count()).toBe(1);
    await tour.getByRole('button', { name: 'Close the tour' }).click();
    await expect.poll(() => tour.count()).toBe(0);
    expect(await page.getByRole('button', { name: /Tour/ }).getAttribute('aria-pressed')).toBe('false');
  });

  it('Experiments: explains what to do when there are no runs', async () => {
    await openSection('Experiments');
    await expect.poll(() => page.getByRole('heading', { name: 'No experiments yet' }).count()).toBe(1);
    await shot('experiments');
  });

  it('Data: lists the datasets with their shape and previews one with charts', async () => {
    await openSection('Data');
    const table = page.getByRole('table', { name: 'Data files' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(15);
    const loans = table.locator('tr', { hasText: 'data/loans.csv' });
    expect(await loans.locator('td').nth(1).textContent()).toMatch(/^3,?000$/);
    expect(await loans.locator('td').nth(2).textContent()).toBe('10');
    await table.getByRole('button', { name: 'data/loans.csv', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: /data\/loans\.csv · 3,?000 rows · 10 columns/ }).count())
      .toBe(1);
    await expect.poll(() => page.locator('.column-card canvas').count()).toBe(10);
    expect(await page.getByRole('table', { name: 'First rows' }).locator('tbody tr').count()).toBe(20);
    await shot('data');
  });

  it('Pipelines: shows the demo DAG and what would run, and why', async () => {
    await openSection('Pipelines');
    const tabs = page.getByRole('tablist', { name: 'Stages' }).getByRole('tab');
    await expect
      .poll(() => tabs.allTextContents())
      .toEqual(['prepare · will-run', 'train · will-run', 'evaluate · will-run']);
    // The graph draws each stage as a button named by its state.
    await expect
      .poll(() =>
        page
          .getByRole('group', { name: /Pipeline graph/ })
          .getByRole('button', { name: /^Stage / })
          .allInnerTexts(),
      )
      .toHaveLength(3);
    expect(
      await page
        .getByRole('group', { name: /Pipeline graph/ })
        .getByRole('button', { name: 'Stage evaluate, will-run' })
        .count(),
    ).toBe(1);
    await tabs.filter({ hasText: 'evaluate' }).click();
    const card = page.getByRole('region', { name: 'Stage evaluate' });
    expect(await card.textContent()).toMatch(/would run: never ran; upstream stage (train|prepare) will run/);
    expect(await card.textContent()).toContain('metrics.json');
    await shot('pipelines');
  });

  it('Pipelines: Run turns the stages green with a live log, and records the run', async () => {
    const tabs = page.getByRole('tablist', { name: 'Stages' }).getByRole('tab');
    await tabs.filter({ hasText: 'train' }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect
      .poll(() => tabs.allTextContents(), { timeout: 60_000 })
      .toEqual(['prepare · succeeded', 'train · succeeded', 'evaluate · succeeded']);
    const log = page.getByRole('log');
    await expect
      .poll(() => log.textContent())
      .toMatch(/train: logistic-regression on \d+ applications \(17 features\)/);
    await page
      .getByRole('region', { name: 'Log of train' })
      .getByLabel('Search the log')
      .fill('logistic-regression on');
    await expect.poll(() => log.locator('.log-line').count()).toBe(1);
    await expect.poll(() => page.getByRole('table', { name: 'Pipeline runs' }).locator('tbody tr').count()).toBe(1);
    // The run row appears as the run starts; it says succeeded once the run has ended.
    await expect.poll(() => page.getByRole('table', { name: 'Pipeline runs' }).textContent()).toContain('succeeded');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Everything is up to date' }).count()).toBe(1);
    await expect
      .poll(() => page.getByLabel('Recent durations').textContent())
      .toMatch(/^Recent durations: \d+\.\d\d s$/);
    await shot('pipelines-after-run');
  });

  it("Pipelines: a sweep runs its grid as a queue and shows each combination's metrics", async () => {
    const sweep = page.getByRole('region', { name: 'Sweep' });
    await sweep.getByRole('textbox').fill('train.lr=0.05,0.2; train.epochs=30');
    await sweep.getByRole('button', { name: 'Start sweep' }).click();
    const rows = page.getByRole('table', { name: 'Sweep queue' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect
      .poll(() => rows.locator('.status').allTextContents(), { timeout: 60_000 })
      .toEqual(['succeeded', 'succeeded']);
    expect(await page.getByRole('table', { name: 'Sweep queue' }).locator('thead').textContent()).toContain('accuracy');
    // The live view still shows the project's own last run, untouched by the sweep.
    expect(await page.getByRole('tablist', { name: 'Stages' }).getByRole('tab').allTextContents()).toEqual([
      'prepare · succeeded',
      'train · succeeded',
      'evaluate · succeeded',
    ]);
    await expect.poll(() => page.getByRole('table', { name: 'Pipeline runs' }).locator('tbody tr').count()).toBe(3);
    await sweep.scrollIntoViewIfNeeded();
    await shot('pipelines-sweep');
  });

  it('Experiments: the runs of the pipeline, filtered with the query language', async () => {
    await openSection('Experiments');
    const grid = page.getByRole('grid', { name: 'Runs' });
    const count = page.locator('.runs-count');
    await expect.poll(() => count.textContent()).toBe('3 runs');
    const filter = page.getByLabel('Filter runs');
    await filter.fill('params.train.lr = 0.05 and metrics.accuracy > 0');
    await filter.press('Enter');
    await expect.poll(() => count.textContent()).toBe('1 run matches the filter');
    await grid.getByRole('button', { name: 'Sort by metrics.accuracy' }).click();
    await expect.poll(() => grid.locator('[role="columnheader"][aria-sort="descending"]').count()).toBe(1);
    await shot('experiments-runs');
    await filter.fill('metrics.accuracy >');
    await filter.press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'The filter has a mistake' }).count()).toBe(1);
    expect(await page.getByRole('alert').filter({ hasText: 'The filter has a mistake' }).textContent()).toContain(
      'at column 19',
    );
  });

  it('Models lists the model the demo pipeline registered; Reports explains its empty state', async () => {
    // The demo's evaluate stage registers build/release.json as loan-default; the champion moves when it beats the scorecard.
    await openSection('Models');
    const list = page.getByRole('table', { name: 'Registered models' });
    await expect.poll(() => list.getByRole('list', { name: 'Aliases of loan-default' }).count()).toBe(1);
    expect(await list.getByRole('list', { name: 'Aliases of loan-default' }).textContent()).toMatch(
      /^champion → v\d+$/,
    );
    await shot('models');
    await openSection('Reports');
    await expect.poll(() => page.getByRole('heading', { name: 'No reports yet' }).count()).toBe(1);
    await shot('reports');
  });

  it("Monitoring: lists the demo's monitor", async () => {
    await openSection('Monitoring');
    await expect.poll(() => page.getByText('loan-weekly', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: 'No monitors yet' }).count()).toBe(0);
    await shot('monitoring');
  });

  it('is usable from the keyboard: Alt+number jumps, arrows move within the sidebar', async () => {
    // Alt+1 is the Overview, first in the sidebar.
    await page.keyboard.press('Alt+4');
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Pipelines');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Pipelines');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Models');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Data');
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Reports');
  });

  it('shows an error toast that says what went wrong and what to do', async () => {
    await page.keyboard.press('Alt+o');
    const dialog = page.getByRole('dialog', { name: 'Switch project' });
    await expect.poll(() => dialog.count()).toBe(1);
    await dialog.getByLabel('Project folder').fill(path.join(tmpDir(), 'not-a-project'));
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Could not open the project' });
    await expect.poll(() => toast.count()).toBe(1);
    expect(await toast.textContent()).toMatch(/does not exist.*benchtop init/);
    await shot('error-toast');
    await page.keyboard.press('Escape');
  });

  it('switches to a new empty project and back through recent projects', async () => {
    const fresh = path.join(tmpDir(), 'fresh-project');
    await page.keyboard.press('Alt+o');
    const dialog = page.getByRole('dialog', { name: 'Switch project' });
    await dialog.getByLabel('Project folder').fill(fresh);
    await dialog.getByRole('button', { name: 'Create new project here' }).click();
    await expect.poll(() => page.getByRole('button', { name: /fresh-project/ }).count()).toBe(1);
    expect(existsSync(path.join(fresh, '.benchtop', 'benchtop.db'))).toBe(true);
    // The guided tour walks through the demo's own data and model: only the demo has it.
    expect(await page.getByRole('banner').getByRole('button', { name: /Tour/ }).count()).toBe(0);
    await openSection('Data');
    await expect.poll(() => page.getByRole('heading', { name: 'No data files yet' }).count()).toBe(1);
    await openSection('Pipelines');
    await expect.poll(() => page.getByRole('heading', { name: 'No pipeline yet' }).count()).toBe(1);
    await shot('new-project-pipelines');
    await page.keyboard.press('Alt+o');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Benchtop demo/ })
      .click();
    await expect.poll(() => page.getByRole('button', { name: /Benchtop demo/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole('banner').getByRole('button', { name: /Tour/ }).count()).toBe(1);
    await openSection('Data');
    // The loans, their reference, eight production weeks, two UCI tables and the batches folder's README.
    await expect.poll(() => page.getByRole('table', { name: 'Data files' }).locator('tbody tr').count()).toBe(15);
  });

  it('follows the dark theme of the OS', async () => {
    const dark = await launchChromium({ colorScheme: 'dark' });
    try {
      const p = await dark.newPage();
      await p.goto(ui.url.replace(/#token=.*/, `#token=${ui.token}`));
      await p.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Data' }).click();
      await p
        .getByRole('table', { name: 'Data files' })
        .getByRole('button', { name: 'data/loans.csv', exact: true })
        .click();
      await expect.poll(() => p.locator('.column-card canvas').count()).toBe(10);
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe('rgb(20, 23, 28)');
      await p.screenshot({ path: path.join(SHOTS, 'data-dark.png') });
    } finally {
      await dark.close();
    }
  });

  it('ran without page errors or CSP violations', () => {
    expect(session.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
});
