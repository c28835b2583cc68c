// End to end: the Monitoring view in Chromium on a project with a reference table and three weekly
// batches of which the third drifts (age and income shift, a new city appears): open the monitor,
// Check now, see the drifted batch and its alert (also as a toast), acknowledge it, export the
// timeline; then an ad-hoc drift report between a tracked dataset version and a batch file, with
// the drifted column flagged in the sortable table, and its HTML export written under reports/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { openApp } from './browser';
import { browserSession, shot } from './session';

const session = browserSession();
let context: BrowserContext;
let page: Page;
let ui: UiProcess;
let dir: string;

/** A seeded generator (an LCG with Box-Muller), so the batches and thus the verdicts never change. */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

function table(seed: number, rows: number, shift: boolean): string {
  const r = rng(seed);
  const cities = shift ? ['Lyon', 'Lyon', 'Nantes', 'Brest'] : ['Paris', 'Lyon', 'Nantes'];
  const lines = ['age,income,city,label,pred'];
  for (let i = 0; i < rows; i++) {
    const age = (shift ? 52 : 38) + 9 * r.normal();
    const income = (shift ? 61_000 : 42_000) + 8_000 * r.normal();
    const label = age > 45 ? 'high' : 'low';
    // The model errs more on the drifted batch: its accuracy falls with the shift.
    const pred = r.uniform() < (shift ? 0.3 : 0.08) ? (label === 'high' ? 'low' : 'high') : label;
    lines.push(
      `${age.toFixed(1)},${income.toFixed(0)},${cities[Math.floor(r.uniform() * cities.length)]},${label},${pred}`,
    );
  }
  return lines.join('\n') + '\n';
}

function cli(...args: string[]): string {
  const out = runCli(args, { cwd: dir });
  expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
  return out.stdout;
}

/** The height of the window a long page is captured in. */
const TALL = { tallHeight: 2000 };

beforeAll(async () => {
  dir = path.join(tmpDir(), 'monitored');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  mkdirSync(path.join(dir, 'data', 'batches'), { recursive: true });
  writeFileSync(path.join(dir, 'data', 'reference.csv'), table(1, 600, false));
  writeFileSync(path.join(dir, 'data', 'batches', 'week-1.csv'), table(2, 300, false));
  writeFileSync(path.join(dir, 'data', 'batches', 'week-2.csv'), table(3, 300, false));
  writeFileSync(path.join(dir, 'data', 'batches', 'week-3.csv'), table(4, 300, true));
  // The reference is a tracked dataset version, so the report page can pick it as one.
  cli('data', 'add', 'data/reference.csv');
  cli('data', 'commit', '-m', 'Reference customers');
  cli(
    'monitor',
    'add',
    'customers',
    '--reference',
    'data/reference.csv',
    '--batches',
    'data/batches',
    '--target',
    'label',
    '--prediction',
    'pred',
    '--rule',
    'drift_share >= 0.5',
  );
  ({ context, page, ui } = await session.open(dir));
});

/** Opens the monitor customers from the Monitoring section. */
async function openCustomers(p: Page): Promise<void> {
  await p.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Monitoring' }).click();
  await p.getByRole('table', { name: 'Monitors' }).getByRole('button', { name: 'customers' }).click();
  await expect.poll(() => p.getByRole('heading', { name: 'customers', level: 2 }).count()).toBe(1);
}

describe('Monitoring view (browser)', () => {
  it('checks a monitor, shows the drifted batch and its alert, acknowledges it and exports the timeline', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Monitoring' }).click();
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Monitoring');
    const monitors = page.getByRole('table', { name: 'Monitors' });
    await expect.poll(() => monitors.textContent()).toContain('customers');
    expect(await monitors.textContent()).toContain('never-run');
    await shot(page, 'monitoring-list');
    await monitors.getByRole('button', { name: 'customers' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'customers', level: 2 }).count()).toBe(1);
    await expect.poll(() => page.getByText('No batch checked yet').count()).toBe(1);

    await page.getByRole('button', { name: 'Check now' }).click();
    const outcome = page.getByRole('status', { name: 'Check result' });
    await expect.poll(() => outcome.count(), { timeout: 30_000 }).toBe(1);
    const said = await outcome.textContent();
    expect(said).toContain('3 new batches');
    expect(said).toContain('dataset drift in week-3');
    expect(said).toContain('1 new alert');
    // The alert event reaches the app shell, whose toast opens the monitor.
    await expect.poll(() => page.getByRole('button', { name: 'Open monitor customers' }).count()).toBe(1);
    // A single alert's toast reads as one alert: its message and rule, no list.
    const toast = page.locator('.toasts').getByRole('alert').filter({ hasText: 'Monitor customers' });
    expect(await toast.locator('strong').textContent()).toBe('Monitor customers: alert');
    expect(await toast.textContent()).toContain('week-3');
    expect(await toast.textContent()).toContain('Rule: drift_share >= 0.5');
    expect(await toast.getByRole('listitem').count()).toBe(0);
    // The toast's button opens the monitor; an alert toast is news about the view it came from, so
    // moving to another section takes it away.
    await page.getByRole('button', { name: 'Open monitor customers' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'customers', level: 2 }).count()).toBe(1);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Data' }).click();
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Data');
    await expect.poll(() => page.getByRole('button', { name: 'Open monitor customers' }).count()).toBe(0);
    // Back to Monitoring: it shows the monitor it showed when left.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Monitoring' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'customers', level: 2 }).count()).toBe(1);

    const batches = page.getByRole('table', { name: 'Batches' });
    await expect.poll(() => batches.locator('tbody tr').count()).toBe(3);
    const rows = await batches.locator('tbody tr').allTextContents();
    // Newest first: week-3 drifted, the two before it did not.
    expect(rows[0]).toContain('week-3');
    expect(rows[0]).toContain('Drift');
    expect(rows[0]).toMatch(/age/);
    expect(rows[1]).toContain('No drift');
    expect(rows[2]).toContain('No drift');
    // A batch's report opens in a tab of its own through a signed link.
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      batches.getByRole('button', { name: 'Open the report of week-3.csv' }).click(),
    ]);
    await tab.waitForLoadState();
    expect(await tab.content()).toContain('week-3.csv');
    await tab.close();
    expect(await page.getByRole('img', { name: /Drift share per batch.*week-3\.csv \d+% drift/ }).count()).toBe(1);

    expect(await page.getByRole('img', { name: /Model metrics per batch: .*accuracy/ }).count()).toBe(1);

    const alerts = page.getByRole('table', { name: 'Alerts' });
    expect(await alerts.textContent()).toContain('week-3');
    await shot(page, 'monitoring-monitor', TALL);
    await alerts.getByRole('button', { name: /^Acknowledge alert/ }).click();
    await expect.poll(() => alerts.textContent()).toContain('Acknowledged');
    expect(await page.getByRole('region', { name: 'Alerts (0 open)' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Export report' }).click();
    const note = page.getByText(/Report written to/);
    await expect.poll(() => note.count(), { timeout: 30_000 }).toBe(1);
    const written = (await note.locator('code').textContent())!;
    expect(written).toMatch(/^reports\/.+\.html$/);
    expect(readFileSync(path.join(dir, written), 'utf8')).toContain('week-3');
  });

  it('shows drift per column and batch as a heatmap, and the chosen column as a line', async () => {
    // Five tested columns by three batches; in week-3 age, income and city drift at least (the label
    // and prediction follow age, and a large sample makes small differences count too).
    const heatmap = page.getByRole('img', { name: /^Drift heatmap: 5 columns by 3 batches, \d+ drifted cells$/ });
    await expect.poll(() => heatmap.count()).toBe(1);
    const drifted = Number(/(\d+) drifted cells/.exec((await heatmap.getAttribute('aria-label'))!)![1]);
    expect(drifted).toBeGreaterThanOrEqual(3);
    // The line starts on a column that drifted, and follows the select.
    const select = page.getByLabel('Column', { exact: true });
    const first = await select.inputValue();
    expect(['age', 'income', 'city', 'label', 'pred']).toContain(first);
    const line = page.getByRole('img', { name: /^Score of .+ per batch against its threshold/ });
    expect(await line.getAttribute('aria-label')).toMatch(
      new RegExp(`^Score of ${first} per batch.*week-3\\.csv [^,]+ drift$`),
    );
    const other = first === 'city' ? 'age' : 'city';
    await select.selectOption(other);
    await expect.poll(() => line.getAttribute('aria-label')).toMatch(new RegExp(`^Score of ${other} per batch`));
    expect(await page.locator('.run-card canvas').count()).toBeGreaterThanOrEqual(3);

    for (const scheme of ['light', 'dark'] as const)
      for (const size of [
        { width: 1024, height: 768 },
        { width: 1440, height: 900 },
      ]) {
        const ctx = scheme === 'light' ? context : await session.launch({ colorScheme: 'dark' });
        const p = await openApp(ctx, ui.url, session.errors, size);
        await openCustomers(p);
        await expect.poll(() => p.getByRole('img', { name: /^Drift heatmap:/ }).count()).toBe(1);
        await p.getByRole('region', { name: 'Drift per column and batch' }).scrollIntoViewIfNeeded();
        await shot(p, `monitoring-heatmap-${scheme}-${size.width}`);
        await p.close();
      }
  });

  it('runs an ad-hoc drift report, flags the drifted column in a sortable table and exports it as HTML', async () => {
    await page.getByRole('button', { name: '← All monitors' }).click();
    // The list now tells the checked batches and that the one alert is acknowledged.
    const row = page.getByRole('table', { name: 'Monitors' }).locator('tbody tr');
    await expect.poll(() => row.textContent()).toMatch(/customers.*none3alert.*0$/);
    await page.getByRole('button', { name: 'New drift report' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Drift report', level: 2 }).count()).toBe(1);

    const reference = page.getByRole('group', { name: 'Reference' });
    await reference.getByRole('radio', { name: 'Dataset version' }).check();
    await reference.getByLabel('Dataset', { exact: true }).selectOption('data/reference.csv');
    const version = reference.getByLabel('Version', { exact: true });
    await expect.poll(() => version.locator('option').count()).toBe(2);
    await version.selectOption({ index: 1 });
    expect(await version.inputValue()).toMatch(/^data\/reference\.csv@[0-9a-f]{40}$/);
    await page.getByRole('group', { name: 'Current' }).getByLabel('Current file').fill('data/batches/week-3.csv');
    await page.getByLabel('Target column (optional)').fill('label');
    await page.getByLabel('Prediction column (optional)').fill('pred');
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    await expect.poll(() => page.getByText('Dataset drift detected').count(), { timeout: 30_000 }).toBe(1);
    const columns = page.getByRole('table', { name: 'Columns' });
    const ageRow = columns.locator('tbody tr', {
      has: page.getByRole('button', { name: 'Show the distributions of age' }),
    });
    expect(await ageRow.textContent()).toContain('Drifted');
    expect(await ageRow.textContent()).toContain('ks');

    // Sorting by score, then flipping it, reverses the rows; the header says its order.
    const scoreHeader = columns.getByRole('columnheader', { name: /Score/ });
    await scoreHeader.getByRole('button').click();
    expect(await scoreHeader.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await columns.locator('tbody tr td:first-child').allTextContents();
    await scoreHeader.getByRole('button').click();
    expect(await scoreHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await columns.locator('tbody tr td:first-child').allTextContents()).toEqual([...ascending].reverse());

    const performance = page.getByRole('table', { name: 'Model performance' });
    expect(await performance.getByRole('row', { name: /Accuracy/ }).textContent()).toMatch(/Accuracy0\.9\d*0\.[67]\d*/);
    expect(await page.getByRole('table', { name: 'Confusion matrix, Current' }).textContent()).toContain('high');

    await columns.getByRole('button', { name: 'Show the distributions of city' }).click();
    expect(await page.getByRole('img', { name: /Shares of city per category/ }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'city: quality' }).textContent()).toContain('Brest');
    await shot(page, 'monitoring-drift-report', TALL);

    // Leaving a column out runs the report without it, and the report says so.
    await page.getByLabel('Leave out city', { exact: true }).check();
    await page.getByRole('button', { name: 'Run again with these settings' }).click();
    const leftOut = page.getByRole('list', { name: 'Left out of the drift test:' });
    await expect.poll(() => leftOut.textContent(), { timeout: 30_000 }).toContain('city: excluded by request');
    expect(await columns.getByRole('button', { name: 'Show the distributions of city' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Export HTML' }).click();
    const exported = page.getByRole('status', { name: 'Exported files' });
    await expect.poll(() => exported.textContent(), { timeout: 30_000 }).toMatch(/Written to reports\/.+\.html/);
    const file = (await exported.locator('code').first().textContent())!;
    expect(existsSync(path.join(dir, file))).toBe(true);
    expect(readFileSync(path.join(dir, file), 'utf8')).toContain('age');
    expect(session.errors).toEqual([]);
  });
});
