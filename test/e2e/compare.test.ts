// End to end: the runs table, Compare and the run page in Chromium, on a project whose runs were
// logged through the tracking API (metric series of 300 steps each).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/names';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { launchChromium } from './browser';
import { browserSession, shot, SHOTS } from './session';

const RUNS = [
  { name: 'mlp-small', model: 'mlp', lr: '0.01', depth: '2' },
  { name: 'mlp-large', model: 'mlp', lr: '0.1', depth: '8' },
  { name: 'mlp-fast', model: 'mlp', lr: '0.5', depth: '4' },
  { name: 'forest', model: 'rf', lr: '0', depth: '12' },
];

const session = browserSession();
let ui: UiProcess;
let context: BrowserContext;
let page: Page;
let dir: string;

async function call(core: Core, name: MethodName, input: unknown): Promise<any> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

/** The height of the window a long page is captured in. */
const TALL = { tallHeight: 2200 };

beforeAll(async () => {
  dir = path.join(tmpDir(), 'compare-project');
  // The demo project, run once through its pipeline, plus four runs logged through the API.
  (await initProject(dir, { demo: true })).workspace.close();
  expect(runCli(['run'], { cwd: dir }).code).toBe(0);
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(dir);
  for (const [i, r] of RUNS.entries()) {
    const { runId } = await call(core, 'runs.create', {
      experiment: 'tuning',
      name: r.name,
      params: { model: r.model, lr: r.lr, depth: r.depth, seed: '7' },
    });
    const lr = Number(r.lr) || 0.05;
    // A point every (i + 1) seconds, so wall and relative time differ between runs.
    const at = (step: number) => new Date(Date.UTC(2026, 0, 1, 10 + i) + step * 1000 * (i + 1)).toISOString();
    const metrics = Array.from({ length: 300 }, (_, step) => [
      {
        key: 'loss',
        value: Math.exp(-lr * step * 0.1) + 0.05 * (i + 1) + 0.02 * Math.sin(step / 5),
        step,
        at: at(step),
      },
      { key: 'accuracy', value: 0.6 + 0.35 * (1 - Math.exp(-lr * step * 0.1)) - 0.02 * i, step, at: at(step) },
    ]).flat();
    await call(core, 'runs.log', { runId, metrics });
    if (r.name === 'mlp-large') {
      writeFileSync(
        path.join(dir, 'confusion.csv'),
        'actual,predicted,count\nsetosa,setosa,15\nversicolor,virginica,2\n',
      );
      await call(core, 'runs.logArtifact', { runId, path: 'confusion.csv', name: 'eval/confusion.csv' });
    }
    await call(core, 'runs.end', { runId });
  }
  core.close();
  ({ ui, context, page } = await session.open(dir));
});

describe('Compare and the run page in the browser', () => {
  it('filters the runs table, selects three runs and compares them', async () => {
    // The app lands on the Overview: the runs are in Experiments.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Experiments' }).click();
    const count = page.locator('.runs-count');
    await expect.poll(() => count.textContent()).toBe('5 runs');
    const filter = page.getByLabel('Filter runs');
    await filter.fill("params.model = 'mlp' and metrics.accuracy > 0.5");
    await filter.press('Enter');
    await expect.poll(() => count.textContent()).toBe('3 runs match the filter');
    const compare = page.getByRole('button', { name: /^Compare/ });
    expect(await compare.isDisabled()).toBe(true);
    for (const r of RUNS.slice(0, 3)) await page.getByRole('checkbox', { name: `Select run ${r.name}` }).check();
    expect(await compare.textContent()).toBe('Compare (3)');
    await shot(page, 'compare-select');
    await compare.click();

    await expect.poll(() => page.getByRole('heading', { name: 'Compare 3 runs' }).count()).toBe(1);
    const curves = page.getByRole('region', { name: 'Metric curves' });
    await expect
      .poll(() => curves.getByRole('list', { name: 'Legend' }).locator('li').allTextContents())
      .toEqual(['mlp-fast', 'mlp-large', 'mlp-small']); // the table's order: newest first
    await expect.poll(() => curves.locator('figure canvas').count()).toBe(2);
    expect(await curves.locator('figcaption').allTextContents()).toEqual([
      expect.stringMatching(/^accuracy 900 points/),
      expect.stringMatching(/^loss 900 points/),
    ]);
    // Parallel coordinates and scatter on canvas, bars in SVG (their run names stay text).
    const relations = page.getByRole('region', { name: 'Params and results' });
    await expect.poll(() => relations.locator('canvas').count()).toBe(2);
    await expect
      .poll(() => page.getByRole('img', { name: 'Latest accuracy per run' }).locator('svg text').allTextContents())
      .toEqual(expect.arrayContaining(['mlp-fast', 'mlp-large', 'mlp-small']));
    expect(await relations.getByRole('img').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(
      ['Parallel coordinates from params to accuracy', 'Scatter of accuracy by depth', 'Latest accuracy per run'],
    );
    // Charts really drew something: the canvases are not blank.
    const inked = await curves
      .locator('figure canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
    expect(inked).toBeGreaterThan(500);
    await shot(page, 'compare', TALL);
  });

  it('shows params side by side and hides the ones that are equal on request', async () => {
    const params = page.getByRole('table', { name: 'Params side by side' });
    expect(await params.locator('tbody th').allTextContents()).toEqual(['depth', 'lr', 'model', 'seed']);
    expect(await params.locator('tbody tr.differs th').allTextContents()).toEqual(['depth', 'lr']);
    await page.getByRole('checkbox', { name: /Only differences/ }).check();
    await expect.poll(() => params.locator('tbody th').allTextContents()).toEqual(['depth', 'lr']);
  });

  it('smooths, switches the x axis and the log scale without errors', async () => {
    const curves = page.getByRole('region', { name: 'Metric curves' });
    await curves.getByLabel('Smoothing').fill('0.9');
    await expect.poll(() => curves.locator('output').textContent()).toBe('0.90');
    await curves.getByLabel('X axis').selectOption('relative');
    await curves.getByRole('checkbox', { name: 'Log scale' }).check();
    await expect.poll(() => curves.locator('figure canvas').count()).toBe(2);
    await shot(page, 'compare-smoothed-log');
  });

  it('exports the comparison as a self-contained HTML report into reports/, params against the chosen metric', async () => {
    await page.getByRole('region', { name: 'Params and results' }).getByLabel('Metric').selectOption('loss');
    await expect.poll(() => page.getByRole('img', { name: 'Latest loss per run' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Export HTML report' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Written to' });
    await expect.poll(() => status.count()).toBe(1);
    const rel = (await status.locator('code').textContent())!;
    expect(rel).toMatch(/^reports\/compare-3-runs-\d{4}-\d\d-\d\d\.html$/);
    const file = path.join(dir, rel);
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('mlp-fast');
    expect(html).toContain('Params → loss');
    // Opened offline in the browser: nothing is fetched, the CSS-only switch hides equal params.
    const report = await context.newPage();
    const requests: string[] = [];
    report.on('request', (r) => requests.push(r.url()));
    await report.goto(`file://${file}`);
    const paramsTable = report.locator('table', { has: report.locator('caption', { hasText: /params, 2 differ/ }) });
    expect(await paramsTable.locator('tbody tr:visible').count()).toBe(4);
    await report.getByLabel('Only differences (highlighted rows)').first().check();
    expect(await paramsTable.locator('tbody tr:visible th').allTextContents()).toEqual(['depth', 'lr']);
    expect(await report.locator('svg.chart').count()).toBeGreaterThanOrEqual(5);
    await report.screenshot({ path: path.join(SHOTS, 'compare-report.png'), fullPage: true });
    await report.close();
    expect(requests).toEqual([`file://${file}`]);
    expect(html).not.toMatch(/<script|https?:\/\//i);
  });

  it('opens a run page with its metric charts, and saves notes as text', async () => {
    await page.getByRole('list', { name: 'Compared runs' }).getByRole('button', { name: 'mlp-large' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'mlp-large', level: 2 }).count()).toBe(1);
    const charts = page.getByRole('region', { name: 'Metric charts' });
    await expect.poll(() => charts.locator('canvas').count()).toBe(2);
    expect(await page.getByRole('table', { name: 'Params' }).textContent()).toContain('depth8');
    expect(await page.getByRole('table', { name: 'Metrics' }).locator('tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'Edit notes' }).click();
    await page
      .getByRole('textbox', { name: 'Notes' })
      .fill('# Why\nBigger net, higher `lr`.\n\n- <img src=x onerror=alert(1)>');
    await page.getByRole('button', { name: 'Save notes' }).click();
    const notes = page.getByRole('region', { name: 'Notes' });
    await expect.poll(() => notes.getByRole('heading', { name: 'Why' }).count()).toBe(1);
    expect(await notes.locator('li').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await notes.locator('img').count()).toBe(0);
    await page.getByRole('button', { name: 'eval/confusion.csv' }).click();
    const rows = page.getByRole('table', { name: 'Rows of eval/confusion.csv' });
    await expect.poll(() => rows.locator('tbody tr').count()).toBe(2);
    expect(await rows.locator('thead th').allTextContents()).toEqual(['actual', 'predicted', 'count']);
    await page.getByRole('button', { name: '☆ Star' }).click();
    await expect.poll(() => page.getByRole('button', { name: '★ Starred' }).count()).toBe(1);
    await shot(page, 'run-page', TALL);
    await page.getByRole('button', { name: '← All runs' }).click();
    await expect.poll(() => page.getByRole('grid', { name: 'Runs' }).count()).toBe(1);
  });

  it("a pipeline run's page shows its stage logs and lineage, and previews an output", async () => {
    const grid = page.getByRole('grid', { name: 'Runs' });
    const filter = page.getByLabel('Filter runs');
    await filter.fill("experiment = 'pipeline'");
    await filter.press('Enter');
    await expect.poll(() => page.locator('.runs-count').textContent()).toBe('1 run matches the filter');
    await grid.locator('button.run-name').first().click();
    const logs = page.getByRole('region', { name: 'Logs' });
    await expect.poll(() => logs.getByRole('tab').allTextContents()).toEqual(['prepare', 'train', 'evaluate']);
    await logs.getByRole('tab', { name: 'train' }).click();
    await expect.poll(() => logs.getByRole('log').textContent()).toMatch(/logistic-regression on \d+ applications/);
    const lineage = page.getByRole('region', { name: 'Lineage' });
    expect(await lineage.getByRole('table', { name: 'Pipeline dependencies' }).textContent()).toContain(
      'data/loans.csv',
    );
    expect(await lineage.getByRole('table', { name: 'Stages' }).locator('tbody tr').count()).toBe(3);
    expect(await lineage.textContent()).toMatch(/Commit[0-9a-f]{12}/);
    await page
      .getByRole('region', { name: 'Artifacts' })
      .getByRole('button', { name: /metrics\.json$/ })
      .first()
      .click();
    await expect.poll(() => page.locator('.artifact-preview pre').textContent()).toContain('"accuracy"');
    await shot(page, 'run-page-pipeline', TALL);
  });

  it('Compare follows the dark theme', async () => {
    const dark = await launchChromium({ colorScheme: 'dark' });
    try {
      const p = await dark.newPage();
      p.on('pageerror', (e) => session.errors.push(e.message));
      await p.goto(ui.url.replace(/#token=.*/, `#token=${ui.token}`));
      await p.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Experiments' }).click();
      for (const name of ['mlp-small', 'forest']) await p.getByRole('checkbox', { name: `Select run ${name}` }).check();
      await p.getByRole('button', { name: 'Compare (2)' }).click();
      await expect
        .poll(() => p.getByRole('region', { name: 'Metric curves' }).locator('figure canvas').count())
        .toBe(2);
      expect(await p.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 23, 28)');
      await p.setViewportSize({ width: 1280, height: 2000 });
      await p.screenshot({ path: path.join(SHOTS, 'compare-dark.png') });
    } finally {
      await dark.close();
    }
  });

  it('ran without page errors or CSP violations', () => {
    expect(session.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
});
