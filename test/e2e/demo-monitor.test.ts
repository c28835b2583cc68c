// End to end: the demo project's monitor in Chromium, as issue 7 asks: open loan-weekly, check it,
// open the drifted week's report in the app, see the drifted columns flagged, export the HTML report,
// then open that file in a new browser context with the network off and every non-file request
// aborted, and read it there. Then the report's per-column type and test overrides, a run artifact
// as a source, and adding (with the core's refusals shown inline) and deleting a monitor.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliverDemoWeeks } from '../support/demo-weeks';
import { runCli, tmpDir } from '../support/helpers';
import { launchChromium, openApp } from './browser';
import { browserSession, shot } from './session';

/** What the demo's generator shifts from week 5 on (see resources/demo/src/loans.js). */
const DRIFTING = ['age', 'amount', 'credit_history_years', 'default', 'income', 'region', 'term'];
const WEEKS = [
  'week-01.csv',
  'week-02.csv',
  'week-03.csv',
  'week-04.csv',
  'week-05.csv',
  'week-06.csv',
  'week-07.csv',
  'week-08.csv',
];

const session = browserSession();
let page: Page;
let dir: string;
let runId: string;

/** The height of the window a long page is captured in. */
const TALL = { tallHeight: 2200 };

async function openMonitoring(): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Monitoring' }).click();
  await expect.poll(() => page.locator('#section-title').textContent()).toBe('Monitoring');
}

/** The toast of a monitor's alerts (role alert, like every error toast). */
const alertToast = (monitor: string): Locator =>
  page
    .locator('.toasts')
    .getByRole('alert')
    .filter({ hasText: `Monitor ${monitor}:` });

const columnRow = (columns: Locator, name: string): Locator =>
  columns.locator('tbody tr', {
    has: page.getByRole('button', { name: `Show the distributions of ${name}`, exact: true }),
  });

beforeAll(async () => {
  dir = path.join(tmpDir(), 'demo-monitor');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  // A champion, then eight weeks of production answered by it.
  expect(runCli(['run'], { cwd: dir }).code).toBe(0);
  expect((await deliverDemoWeeks(dir)).map((w) => w.file)).toEqual(WEEKS.map((w) => `data/batches/${w}`));
  // A run that logged a table as an artifact, for the run-artifact source.
  const exec = runCli(
    [
      'exec',
      '--name',
      'score week 5',
      '--',
      process.execPath,
      '-e',
      "require('./src/benchtop.cjs').logArtifact('data/batches/week-05.csv')",
    ],
    { cwd: dir },
  );
  expect(exec.code, exec.stderr).toBe(0);
  const runs = runCli(['runs', '--json', '--filter', "name = 'score week 5'"], { cwd: dir });
  runId = runs.code === 0 ? ((JSON.parse(runs.stdout) as { id: string }[])[0]?.id ?? '') : '';
  ({ page } = await session.open(dir));
});

describe('the demo monitor (browser)', () => {
  it('opens loan-weekly, checks it, shows the drifted week with its columns flagged, and exports a report that reads offline', async () => {
    await openMonitoring();
    const monitors = page.getByRole('table', { name: 'Monitors' });
    await expect.poll(() => monitors.textContent()).toContain('loan-weekly');
    await monitors.getByRole('button', { name: 'loan-weekly' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-weekly', level: 2 }).count()).toBe(1);
    const batches = page.getByRole('table', { name: 'Batches' });
    const unchecked = page.getByText('No batch checked yet');
    // Wait for the monitor to load: a fresh demo has not been checked; the check reads all eight weeks.
    await expect.poll(async () => (await batches.count()) + (await unchecked.count())).toBe(1);
    if ((await unchecked.count()) === 1) {
      await page.getByRole('button', { name: 'Check now' }).click();
      const outcome = page.getByRole('status', { name: 'Check result' });
      await expect.poll(() => outcome.count(), { timeout: 60_000 }).toBe(1);
      const said = await outcome.textContent();
      expect(said).toContain('8 new batches');
      expect(said).toContain('dataset drift in week-05.csv, week-06.csv, week-07.csv, week-08.csv');
      expect(said).toMatch(/Retraining started: run run-/);
      const raised = Number(/(\d+) new alerts/.exec(said ?? '')?.[1]);
      expect(raised).toBeGreaterThan(4);
      // The check's alerts share one toast: their count, the first three by batch and rule, the
      // retraining run and one button, rather than a toast each stacked over the view.
      const toast = alertToast('loan-weekly');
      await expect.poll(() => toast.locator('strong').textContent()).toBe(`Monitor loan-weekly: ${raised} alerts`);
      expect(await toast.count()).toBe(1);
      const recorded = runCli(['monitor', 'alerts', 'loan-weekly', '--json'], { cwd: dir });
      const inOrder = (
        JSON.parse(recorded.stdout) as { alerts: { id: number; batch: string; rule: string }[] }
      ).alerts.sort((a, b) => a.id - b.id);
      expect(inOrder).toHaveLength(raised);
      expect(await toast.getByRole('listitem').allTextContents()).toEqual(
        inOrder.slice(0, 3).map((a) => `${a.batch}: ${a.rule}`),
      );
      expect(await toast.textContent()).toContain(`and ${raised - 3} more`);
      expect(await toast.textContent()).toMatch(/Retraining started: run run-\S+\./);
      expect(await toast.getByRole('button', { name: 'Open monitor loan-weekly' }).count()).toBe(1);
      await shot(page, 'demo-monitor-alert-toast');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'demo-monitor-alert-toast-dark');
      await page.emulateMedia({ colorScheme: 'light' });
    }
    await expect.poll(() => batches.locator('tbody tr').count()).toBe(8);
    const week5 = batches.locator('tbody tr', { hasText: 'week-05.csv' });
    expect(await week5.textContent()).toContain('Drift');
    await shot(page, 'demo-monitor-page', TALL);

    await week5.getByRole('button', { name: 'View the report of week-05.csv here' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Drift report', level: 2 }).count()).toBe(1);
    await expect.poll(() => page.getByText('Dataset drift detected').count(), { timeout: 60_000 }).toBe(1);
    // The monitor's settings came along: its reference, this batch, target and prediction.
    expect(await page.getByRole('group', { name: 'Current' }).getByLabel('Current file').inputValue()).toBe(
      'data/batches/week-05.csv',
    );
    expect(await page.getByLabel('Target column (optional)').inputValue()).toBe('default');
    const columns = page.getByRole('table', { name: 'Columns' });
    for (const name of DRIFTING) expect(await columnRow(columns, name).textContent(), name).toContain('Drifted');
    expect(await columnRow(columns, 'previous_defaults').textContent()).not.toContain('Drifted');
    expect(await page.getByRole('table', { name: 'Model performance' }).count()).toBe(1);
    await shot(page, 'demo-monitor-week5-report', TALL);

    await page.getByRole('button', { name: 'Export HTML' }).click();
    const exported = page.getByRole('status', { name: 'Exported files' });
    await expect.poll(() => exported.textContent(), { timeout: 60_000 }).toMatch(/Written to reports\/.+\.html/);
    const file = path.join(dir, (await exported.locator('code').first().textContent())!);

    // A new browser context, offline, that aborts (and records) anything but the file itself.
    const offline = await launchChromium();
    try {
      await offline.setOffline(true);
      const fetched: string[] = [];
      await offline.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        fetched.push(url);
        return route.abort();
      });
      const errors: string[] = [];
      const report = await openApp(offline, pathToFileURL(file).href, errors);
      await report.waitForLoadState('load');
      expect(await report.title()).toContain('Drift report: data/batches/week-05.csv against data/reference.csv');
      const text = (await report.locator('body').textContent())!;
      for (const name of DRIFTING) expect(text).toContain(name);
      expect(await report.locator('svg').count()).toBeGreaterThan(0);
      expect(await report.locator('script').count()).toBe(0);
      expect(readFileSync(file, 'utf8')).not.toMatch(/<script/i);
      await shot(report, 'demo-monitor-exported-offline', TALL);
      expect(fetched).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await offline.close();
    }
  });

  it("changes a column's test and another's type, and runs the report again with them", async () => {
    const columns = page.getByRole('table', { name: 'Columns' });
    const settings = page.getByRole('table', { name: 'Column settings' });
    const again = page.getByRole('button', { name: 'Run again with these settings' });
    expect(await again.isDisabled()).toBe(true);
    await settings.getByLabel('Test of amount', { exact: true }).selectOption('psi');
    const widthType = settings.getByLabel('Type of credit_history_years', { exact: true });
    await widthType.selectOption('categorical');
    // Tests that need numbers are not offered for a categorical column.
    const offered = await settings
      .getByLabel('Test of credit_history_years', { exact: true })
      .locator('option')
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(offered).toEqual(['', 'chisquare', 'z', 'jensenshannon', 'psi', 'kl_div', 'hellinger']);
    await settings.getByLabel('Threshold of amount', { exact: true }).fill('0.1');
    await again.click();
    await expect
      .poll(async () => (await columnRow(columns, 'amount').textContent()) ?? '', { timeout: 60_000 })
      .toContain('psi');
    expect(await columnRow(columns, 'amount').textContent()).toMatch(/psi0\.\d+distance0\.1.*Drifted/);
    await expect
      .poll(async () => (await columnRow(columns, 'credit_history_years').textContent()) ?? '')
      .toContain('categorical (set)');
    expect(await columnRow(columns, 'credit_history_years').textContent()).toMatch(/chisquare|jensenshannon/);
    expect(await again.isDisabled()).toBe(true);
    await shot(page, 'demo-monitor-column-settings', TALL);
  });

  it('reads a run artifact as the current data', async () => {
    expect(runId).toMatch(/^run-/);
    await page.getByRole('button', { name: '← All monitors' }).click();
    await page.getByRole('button', { name: 'New drift report' }).click();
    await page.getByRole('group', { name: 'Reference' }).getByLabel('Reference file').fill('data/reference.csv');
    const current = page.getByRole('group', { name: 'Current' });
    await current.getByRole('radio', { name: 'Run artifact' }).check();
    const run = current.getByLabel('Run', { exact: true });
    await expect.poll(() => run.locator('option').count()).toBeGreaterThan(1);
    await run.selectOption(runId);
    const artifact = current.getByLabel('Table artifact', { exact: true });
    await expect
      .poll(() => artifact.locator('option').allTextContents())
      .toEqual(['Choose an artifact', 'data/batches/week-05.csv']);
    await artifact.selectOption({ index: 1 });
    expect(await artifact.inputValue()).toBe(`run:${runId}/data/batches/week-05.csv`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByText('Dataset drift detected').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByRole('table', { name: 'Report summary' }).textContent()).toContain(
      `run:${runId}/data/batches/week-05.csv`,
    );
    await shot(page, 'demo-monitor-run-artifact', TALL);
  });

  it('adds a monitor from the app, showing the refusals beside their field, then deletes it after saying what goes', async () => {
    await page.getByRole('button', { name: '← All monitors' }).click();
    await page.getByRole('button', { name: 'Add monitor' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a monitor' });
    await dialog.getByLabel('Monitor name', { exact: true }).fill('loan-copy');
    await dialog.getByRole('group', { name: 'Reference' }).getByLabel('Reference file').fill('data/reference.csv');
    await dialog.getByLabel('Batch folder', { exact: true }).fill('data/no-such-folder');
    const rules = dialog.getByRole('textbox', { name: 'Alert rules, one per line' });
    await rules.fill('drift_share >= 0.5\naccuracy < 0.7');
    await dialog.getByRole('button', { name: 'Add monitor' }).click();

    // The core names the field it refuses; the refusal shows beside that field.
    const refusal = dialog.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('The batch folder data/no-such-folder does not exist');
    const folder = dialog.getByLabel('Batch folder', { exact: true });
    expect(await folder.getAttribute('aria-invalid')).toBe('true');
    await folder.fill('data/batches');
    await dialog.getByRole('button', { name: 'Add monitor' }).click();
    // The rule on accuracy needs the target and prediction: refused, beside the rules.
    await expect
      .poll(() => refusal.textContent())
      .toContain("watches the model's performance, which needs the target and prediction columns");
    expect(await rules.getAttribute('aria-invalid')).toBe('true');
    expect(await folder.getAttribute('aria-invalid')).toBeNull();
    await shot(page, 'demo-monitor-add-refused');
    await dialog.getByLabel('Target column (optional)', { exact: true }).fill('default');
    await dialog.getByLabel('Prediction column (optional)', { exact: true }).fill('prediction');
    await dialog.getByRole('button', { name: 'Add monitor' }).click();

    await expect.poll(() => page.getByRole('heading', { name: 'loan-copy', level: 2 }).count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Monitor settings' }).textContent()).toContain(
      'drift_share >= 0.5; accuracy < 0.7',
    );
    await page.getByRole('button', { name: 'Check now' }).click();
    const outcome = page.getByRole('status', { name: 'Check result' });
    await expect.poll(() => outcome.count(), { timeout: 60_000 }).toBe(1);
    // Weeks 5–8 drift, and the accuracy of the model trained on the history is under 0.7 in each of them.
    const alerts = /8 new batches.*?(\d+) new alerts/.exec((await outcome.textContent()) ?? '')?.[1];
    expect(Number(alerts)).toBeGreaterThanOrEqual(5);
    // One toast for the check, not one per alert; these rules do not retrain.
    const toast = alertToast('loan-copy');
    await expect.poll(() => toast.locator('strong').textContent()).toBe(`Monitor loan-copy: ${alerts} alerts`);
    expect(await toast.count()).toBe(1);
    expect(await toast.getByRole('listitem').count()).toBe(3);
    expect(await toast.textContent()).not.toContain('Retraining');

    await page.getByRole('button', { name: 'Delete monitor' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the monitor loan-copy?' });
    const said = await confirm.textContent();
    expect(said).toContain(`its 8 checked batches and its ${alerts} alerts`);
    expect(said).toContain('reports it wrote under reports/ stay');
    await shot(page, 'demo-monitor-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete monitor' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Monitors' }).count()).toBe(1);
    const names = await page
      .getByRole('table', { name: 'Monitors' })
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(names).toEqual(['loan-weekly']);
    // The two refusals asked for above (the missing folder, the rule without target) are the only failed requests.
    expect(session.errors).toEqual([
      'Failed to load resource: the server responded with a status of 404 (Not Found)',
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });
});
