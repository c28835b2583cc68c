// End to end: the guided tour on a fresh demo project in Chromium, clicked through the whole loop
// (version the data → pipeline → sweep and compare → champion → deploy → production weeks → drift
// alert → retraining → new champion), asserting at each step what a user sees in the app, with a
// screenshot per step; then the tour is left and resumed where it was, and the demo is reset.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { request } from '../support/serving';
import { browserSession, SHOTS } from './session';

const SLOW = { timeout: 180_000 };
/** For what the app shows after a call that returns at once. */
const WAIT = { timeout: 20_000 };
/** An application as a client of the endpoint sends it. */
const APPLICATION = {
  id: 'T-1',
  age: 35,
  income: 2800,
  amount: 12000,
  term: 36,
  employment: 'contract',
  region: 'east',
  credit_history_years: 4,
  previous_defaults: 0,
};

const session = browserSession();
let page: Page;
let parent: string;
let dir: string;
let shots = 0;
let championAfterSweep = 0;

/** Closes the toasts, as a user does once read, so each step's screenshot shows the view itself. */
async function dismissToasts(): Promise<void> {
  const dismiss = page.locator('.toasts').getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

async function shot(name: string, keepToasts = false): Promise<void> {
  shots++;
  if (!keepToasts) await dismissToasts();
  await page.mouse.move(0, 0);
  // The step's action has finished (its buttons are back), so the picture shows the tour at rest.
  await expect.poll(() => page.locator('.tour-card[aria-busy="true"]').count(), WAIT).toBe(0);
  await page.screenshot({ path: path.join(SHOTS, `tour-${String(shots).padStart(2, '0')}-${name}.png`) });
}

const tour = (): Locator => page.getByRole('complementary', { name: 'Guided tour' });

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The toasts on screen keep clear of the tour panel and every one of its buttons. */
async function toastsClearOfTour(): Promise<number> {
  const panel = (await tour().boundingBox())!;
  const buttons = (await Promise.all((await tour().getByRole('button').all()).map((b) => b.boundingBox()))).filter(
    (b): b is Box => b !== null,
  );
  expect(buttons.length).toBeGreaterThan(5);
  let checked = 0;
  for (const toast of await page.locator('.toast').all()) {
    // A toast may time out while this runs: those gone are not on screen to overlap anything.
    const box = await toast.boundingBox();
    if (!box) continue;
    checked++;
    expect(overlap(box, panel), `toast ${JSON.stringify(box)} over the tour panel ${JSON.stringify(panel)}`).toBe(
      false,
    );
    for (const b of buttons)
      expect(overlap(box, b), `toast ${JSON.stringify(box)} over a tour button ${JSON.stringify(b)}`).toBe(false);
  }
  return checked;
}
const card = (): Locator => tour().locator('.tour-card');
const outcome = (): Locator => tour().getByLabel('Step outcome');
const stepList = (): Locator => tour().getByRole('list', { name: 'Tour steps' });
const title = (): Promise<string | null> => page.locator('#section-title').textContent();

/** Moves the tour on to step `n` and checks that its card shows it. */
async function next(n: number, name: string): Promise<void> {
  await dismissToasts();
  await tour().getByRole('button', { name: 'Next →' }).click();
  await expect.poll(() => card().getByRole('heading', { level: 3 }).textContent()).toBe(`${n}. ${name}`);
}

async function act(label: string): Promise<void> {
  await dismissToasts();
  const button = card().getByRole('button', { name: label, exact: true });
  await expect.poll(() => button.isEnabled(), SLOW).toBe(true);
  await button.click();
}

/** The step's outcome once the project says it is done. */
async function done(n: number, name: string): Promise<string> {
  await expect.poll(() => outcome().textContent(), SLOW).toMatch(/^✓ Done: /);
  expect(
    await stepList()
      .getByRole('button', { name: `${n}. ${name} (done)` })
      .count(),
  ).toBe(1);
  return (await outcome().textContent())!;
}

beforeAll(async () => {
  parent = tmpDir();
  dir = path.join(parent, 'loan-demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  ({ page } = await session.open(dir, { width: 1440, height: 900 }));
});

describe('the guided tour (browser)', () => {
  it('opens by itself the first time the demo opens, at the first step', async () => {
    await expect.poll(() => tour().count()).toBe(1);
    expect(await card().getByRole('heading', { level: 3 }).textContent()).toBe('1. Version the data');
    expect(await stepList().getByRole('button').count()).toBe(9);
    expect(await page.getByRole('button', { name: /Tour/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await card().textContent()).toContain('data/loans.csv.bt');
  });

  it('1. the data is versioned: the Data view shows data/loans.csv tracked', async () => {
    // The demo is created with its training data tracked and committed: the step is done already.
    expect(await done(1, 'Version the data')).toContain('data/loans.csv is tracked by data/loans.csv.bt and committed');
    expect(await card().getByRole('button', { name: 'Version data/loans.csv' }).isDisabled()).toBe(true);
    await act('Show the data');
    await expect.poll(title, WAIT).toBe('Data');
    const row = page.getByRole('table', { name: 'Data files' }).locator('tr', { hasText: 'data/loans.csv' }).first();
    await expect.poll(() => row.textContent()).toContain('tracked');
    await shot('version-data');
  });

  it('2. runs the pipeline: the stages succeed and the run is recorded', async () => {
    await next(2, 'Run the pipeline');
    expect(await outcome().textContent()).toContain('Not yet: No run yet.');
    await act('Run the pipeline');
    await expect.poll(title, WAIT).toBe('Pipelines');
    const tabs = page.getByRole('tablist', { name: 'Stages' }).getByRole('tab');
    await expect
      .poll(() => tabs.allTextContents(), SLOW)
      .toEqual(['prepare · succeeded', 'train · succeeded', 'evaluate · succeeded']);
    expect(await done(2, 'Run the pipeline')).toMatch(/Run run-\S+ succeeded/);
    await shot('pipeline');
  });

  it('3. runs a sweep and compares its runs side by side', async () => {
    await next(3, 'Compare experiments');
    await act('Run a sweep');
    const rows = page.getByRole('table', { name: 'Sweep queue' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await expect
      .poll(() => rows.locator('.status').allTextContents(), SLOW)
      .toEqual(['succeeded', 'succeeded', 'succeeded']);
    await done(3, 'Compare experiments');
    await expect.poll(() => outcome().textContent(), SLOW).toContain('3 runs of the latest sweep succeeded');
    await act('Compare');
    await expect.poll(() => page.getByRole('heading', { name: 'Compare 4 runs', level: 2 }).count(), WAIT).toBe(1);
    const metrics = page.getByRole('table', { name: 'Metrics side by side' });
    await expect.poll(() => metrics.textContent()).toContain('auc');
    expect(await page.getByRole('table', { name: 'Params side by side' }).textContent()).toContain('boosted');
    await shot('compare');
  });

  it('4. the best model is the champion, a version a run made', async () => {
    await next(4, 'Register the best model');
    await done(4, 'Register the best model');
    const make = card().getByRole('button', { name: 'Make the best champion' });
    // The sweep ran one at a time, so the gate left the alias on the best; if not, the button moves it.
    if (await make.isEnabled()) await make.click();
    await expect.poll(() => make.isDisabled()).toBe(true);
    const said = (await outcome().textContent())!;
    const m = /loan-default@champion is version (\d+) \(run run-\S+\)/.exec(said);
    expect(m, said).not.toBeNull();
    championAfterSweep = Number(m![1]);
    // Version 1 is the scorecard the demo starts with; the champion now is one the runs made.
    expect(championAfterSweep).toBeGreaterThan(1);
    await act('Open loan-default');
    await expect.poll(title, WAIT).toBe('Models');
    await expect.poll(() => page.getByRole('heading', { name: 'loan-default', level: 2 }).count(), WAIT).toBe(1);
    await expect
      .poll(() => page.getByRole('list', { name: `Aliases of v${championAfterSweep}` }).textContent())
      .toBe('champion');
    await shot('champion');
  });

  it('5. deploys the champion: the endpoint answers', async () => {
    await next(5, 'Deploy it locally');
    await act('Deploy loan-default@champion');
    await expect
      .poll(() => page.getByRole('heading', { name: `loan-default v${championAfterSweep}`, level: 2 }).count())
      .toBe(1);
    const status = page.getByLabel('Deployment status');
    await expect.poll(() => status.locator('.deploy-state').textContent(), SLOW).toBe(`serving v${championAfterSweep}`);
    const url = (await status.locator('.deploy-url').textContent())!;
    expect(await done(5, 'Deploy it locally')).toContain(`answers at ${url}`);
    const answer = await request(`${url}/predict`, { body: APPLICATION });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toMatch(/"probability"/);
    await shot('deploy');
  });

  it('6. a production week goes to the endpoint and the monitor checks it', async () => {
    await next(6, 'Monitor production');
    await act('Send a week');
    await expect.poll(title, SLOW).toBe('Monitoring');
    await expect.poll(() => page.getByRole('heading', { name: 'loan-weekly', level: 2 }).count(), WAIT).toBe(1);
    const batches = page.getByRole('table', { name: 'Batches' });
    await expect.poll(() => batches.locator('tbody tr').count(), SLOW).toBe(1);
    expect(await batches.textContent()).toContain('week-01.csv');
    await done(6, 'Monitor production');
    await expect
      .poll(() => outcome().textContent())
      .toContain('1 week answered by the endpoint, 7 waiting; 1 checked by the monitor.');
    await shot('production-week');
  });

  it('7. the drifting weeks raise an alert, their columns flagged', async () => {
    await next(7, 'Drift raises an alert');
    // One click: the weeks go to the endpoint and the monitor checks them, so the alert comes
    // without a second button.
    await act('Send the other weeks');
    // The check's alerts come up as one toast (a count, a line each for the first few, the retraining
    // run), beside the tour, not over its buttons.
    const toast = page.locator('.toast', { hasText: 'Monitor loan-weekly:' });
    await expect.poll(() => toast.count(), SLOW).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.tour-card[aria-busy="true"]').count(), SLOW).toBe(0);
    const recorded = runCli(['monitor', 'alerts', 'loan-weekly', '--json'], { cwd: dir });
    expect(recorded.code, recorded.stderr).toBe(0);
    const raised = (JSON.parse(recorded.stdout) as { alerts: unknown[] }).alerts.length;
    expect(raised).toBeGreaterThan(4);
    await expect.poll(() => toast.locator('strong').textContent(), WAIT).toBe(`Monitor loan-weekly: ${raised} alerts`);
    expect(await toast.count()).toBe(1);
    expect(await toast.getByRole('listitem').count()).toBe(3);
    expect(await toast.textContent()).toContain(`and ${raised - 3} more`);
    expect(await toast.textContent()).toMatch(/Retraining started: run run-/);
    expect(await toastsClearOfTour()).toBeGreaterThan(0);
    await shot('drift-alert-toasts', true);
    // Moving to another section takes the alert toast away (the monitor keeps the alerts).
    expect(await toast.count()).toBe(1);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('button', { name: 'Pipelines' }).click();
    await expect.poll(title, WAIT).toBe('Pipelines');
    expect(await toast.count()).toBe(0);
    await nav.getByRole('button', { name: 'Monitoring' }).click();
    await expect.poll(title, WAIT).toBe('Monitoring');
    const batches = page.getByRole('table', { name: 'Batches' });
    await expect.poll(() => batches.locator('tbody tr').count(), SLOW).toBe(8);
    expect(await batches.locator('tbody tr', { hasText: 'week-06.csv' }).textContent()).toContain('Drift');
    expect(await batches.locator('tbody tr', { hasText: 'week-02.csv' }).textContent()).not.toContain('Drift');
    await done(7, 'Drift raises an alert');
    // The step is done at the first alert; the panel settles on the drift alert once the check has
    // recorded every week (a refresh in the middle of the check may see week 5's accuracy alert first).
    await expect.poll(() => outcome().textContent(), SLOW).toMatch(/Alert on week-06\.csv/);
    expect(await outcome().textContent()).toMatch(/Drifted: .*income/);
    expect(await page.locator('.monitor-cards').textContent()).toContain('drift_share');
    await shot('drift-alert');

    // The week's own report: the drifted columns flagged.
    await batches
      .locator('tbody tr', { hasText: 'week-06.csv' })
      .getByRole('button', { name: 'View the report of week-06.csv here' })
      .click();
    await expect.poll(() => page.getByText('Dataset drift detected').count(), SLOW).toBe(1);
    const income = page.getByRole('table', { name: 'Columns' }).locator('tbody tr', { hasText: 'income' }).first();
    await expect.poll(() => income.textContent()).toContain('Drifted');
    await shot('drift-report');
  });

  it('8. the alert retrained: the run says why it ran', async () => {
    await next(8, 'Retraining');
    expect(await done(8, 'Retraining')).toMatch(/succeeded \(triggered: /);
    await act('Open the retraining run');
    await expect.poll(title, WAIT).toBe('Experiments');
    await expect.poll(() => page.locator('.content').textContent()).toContain('triggered: ');
    await shot('retrain');
  });

  it('9. the retrained model is the new champion, and the endpoint serves it', async () => {
    await next(9, 'A new champion');
    const said = await done(9, 'A new champion');
    const version = Number(/is now version (\d+), from the retraining run/.exec(said)?.[1]);
    expect(version).toBeGreaterThan(championAfterSweep);
    await act('Open the new champion');
    await expect.poll(() => page.getByRole('heading', { name: `loan-default v${version}`, level: 2 }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Aliases of this version' }).textContent()).toContain('champion');
    // The endpoint follows the alias: it now answers with the new version.
    await expect
      .poll(() => page.getByLabel('Deployment status').locator('.deploy-state').textContent(), SLOW)
      .toBe(`serving v${version}`);
    expect(await tour().getByLabel('Progress').textContent()).toBe('9 of 9 done');
    await shot('new-champion');
  });

  it('is left and resumed where it was, across a reload', async () => {
    await tour().getByRole('button', { name: 'Close the tour' }).click();
    await expect.poll(() => tour().count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: /Benchtop demo/ }).count()).toBe(1);
    // Closed it stays closed; the Tour button brings it back at the step it was on.
    expect(await tour().count()).toBe(0);
    await page.getByRole('button', { name: /Tour/ }).click();
    await expect.poll(() => card().getByRole('heading', { level: 3 }).textContent()).toBe('9. A new champion');
    await expect.poll(() => tour().getByLabel('Progress').textContent()).toBe('9 of 9 done');
    await stepList().getByRole('button', { name: '3. Compare experiments (done)' }).click();
    expect(await card().getByRole('heading', { level: 3 }).textContent()).toBe('3. Compare experiments');
    await shot('resumed');
  });

  it('resets the demo after saying what will happen: the old folder kept beside a fresh one', async () => {
    await tour().getByRole('button', { name: 'Reset the demo…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the demo?' });
    expect(await dialog.textContent()).toContain('moved aside to a dated backup');
    expect(await dialog.textContent()).toContain(dir);
    await shot('reset-confirm');
    await dialog.getByRole('button', { name: 'Reset the demo' }).click();
    const toast = page.locator('.toast', { hasText: 'The demo was reset' });
    await expect.poll(() => toast.count(), SLOW).toBe(1);
    const backups = readdirSync(parent).filter((f) => f.startsWith('loan-demo-backup-'));
    expect(backups).toHaveLength(1);
    expect(await toast.textContent()).toContain(path.join(parent, backups[0]!));
    expect(existsSync(path.join(parent, backups[0]!, 'data', 'batches', 'week-08.csv'))).toBe(true);
    expect(existsSync(path.join(dir, 'data', 'batches', 'week-01.csv'))).toBe(false);
    // The fresh demo opens with the tour at its first step; only the data step is done.
    await expect.poll(() => card().getByRole('heading', { level: 3 }).textContent()).toBe('1. Version the data');
    await expect.poll(() => tour().getByLabel('Progress').textContent()).toBe('1 of 9 done');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Experiments' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'No experiments yet' }).count(), WAIT).toBe(1);
    await shot('reset', true);
    expect(session.errors.join('\n')).toBe('');
  });
});
