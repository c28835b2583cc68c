// End to end: runs known by readable names. Unnamed runs get one; the runs table shows name,
// status and the metrics first (visible in a 1024×768 window without scrolling), with the name
// column stuck to the left; Compare shows names in the legend, under the bars and over the
// side-by-side columns, and scrolls a wide comparison with the row labels stuck; a run renamed on
// its page is renamed in the table; a moved column stays moved after a reload.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/names';
import { tmpDir } from '../support/helpers';
import { browserSession, SHOTS, shot } from './session';

const READABLE = /^[a-z]+-[a-z]+-\d{1,3}$/;
const RUNS = 6;

const session = browserSession();
let page: Page;
let dir: string;
/** Run ids and the names the core gave them, oldest first. */
const runs: { id: string; name: string }[] = [];

async function call(core: Core, name: MethodName, input: unknown): Promise<any> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

beforeAll(async () => {
  dir = path.join(tmpDir(), 'names-project');
  (await initProject(dir, {})).workspace.close();
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(dir);
  for (let i = 0; i < RUNS; i++) {
    // No name given: the core names them. A long differing param makes the comparison wide.
    const { runId } = await call(core, 'runs.create', {
      experiment: 'tuning',
      startedAt: new Date(Date.UTC(2026, 11, 7, 13, i)).toISOString(),
      params: {
        lr: String(0.01 * (i + 1)),
        model: i % 2 ? 'mlp' : 'forest',
        seed: '7',
        data: `data/splits/2026-12-07/train-fold-${i + 1}-of-${RUNS}-balanced.parquet`,
      },
    });
    const metrics = Array.from({ length: 20 }, (_, step) => [
      { key: 'accuracy', value: 0.7 + 0.01 * i + 0.005 * step, step },
      { key: 'loss', value: 1 / (step + 1 + i), step },
    ]).flat();
    await call(core, 'runs.log', { runId, metrics });
    await call(core, 'runs.end', { runId });
    runs.push({ id: runId, name: (await call(core, 'runs.get', { id: runId })).name });
  }
  core.close();
  ({ page } = await session.open(dir, { width: 1024, height: 768 }));
  // The app lands on the Overview; the runs table is in Experiments.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Experiments' }).click();
});

const grid = (): Locator => page.getByRole('grid', { name: 'Runs' });

/** Whether `inner` lies wholly inside `outer`'s box, within a pixel. */
async function inside(inner: Locator, outer: Locator): Promise<boolean> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  if (!a || !b) return false;
  return a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
}

const sortLabels = (): Promise<(string | null)[]> =>
  grid()
    .locator('.vgrid-head .col-sort')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

describe('readable run names', () => {
  it('names unnamed runs readably', () => {
    for (const r of runs) {
      expect(r.name).toMatch(READABLE);
      expect(r.name).not.toBe(r.id);
    }
    expect(new Set(runs.map((r) => r.name)).size).toBe(RUNS);
  });

  it('the runs table shows name, status, metrics, then the params that differ; metrics fit a 1024×768 window', async () => {
    await expect.poll(() => page.locator('.runs-count').textContent()).toBe(`${RUNS} runs`);
    expect((await sortLabels()).slice(0, 7)).toEqual([
      'Sort by Name',
      'Sort by Status',
      'Sort by metrics.accuracy',
      'Sort by metrics.loss',
      'Sort by params.data',
      'Sort by params.lr',
      'Sort by params.model',
    ]);
    // A metric's header and its value are in view without scrolling.
    const header = grid().getByRole('button', { name: 'Sort by metrics.accuracy', exact: true });
    expect(await inside(header, grid())).toBe(true);
    const colindex = await grid()
      .getByRole('columnheader')
      .filter({ has: page.getByRole('button', { name: 'Sort by metrics.accuracy', exact: true }) })
      .getAttribute('aria-colindex');
    const firstRow = grid().locator('.vgrid-body > [role="row"]').first();
    const value = firstRow.locator(`[aria-colindex="${colindex}"]`);
    expect(await value.textContent()).toMatch(/^0\.\d+$/);
    expect(await inside(value, grid())).toBe(true);
    expect(await firstRow.locator('.run-name').textContent()).toBe(runs.at(-1)!.name);
    await shot(page, 'run-names-table-1024');

    // A styled scrollbar is a classic one, shown even where the system would overlay and hide it
    // (the test browser hides all scrollbars, so their style is what can be checked).
    expect(await grid().evaluate((el) => getComputedStyle(el, '::-webkit-scrollbar').height)).toBe('12px');
    // Scrolled to its right end, the name column stays in view.
    await grid().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect.poll(() => grid().evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(await inside(firstRow.locator('.run-name'), grid())).toBe(true);
    await shot(page, 'run-names-table-1024-scrolled');
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'run-names-table-1440');
    await page.setViewportSize({ width: 1024, height: 768 });
  });

  it('a moved or hidden column stays so after a reload', async () => {
    await grid().getByRole('button', { name: 'Options for column params.model', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Move left' }).click();
    const moved = [
      'Sort by Name',
      'Sort by Status',
      'Sort by metrics.accuracy',
      'Sort by metrics.loss',
      'Sort by params.data',
      'Sort by params.model',
      'Sort by params.lr',
    ];
    // Clicking the menu scrolled the grid to show it; the grid renders only the columns in view.
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
    await expect.poll(async () => (await sortLabels()).slice(0, 7)).toEqual(moved);
    await page.reload();
    await expect.poll(() => page.locator('.runs-count').textContent()).toBe(`${RUNS} runs`);
    await expect.poll(async () => (await sortLabels()).slice(0, 7)).toEqual(moved);
  });

  it('Compare shows the names in the legend, under the bars and over the columns, and scrolls a wide comparison', async () => {
    await page.getByRole('checkbox', { name: 'Select all runs' }).check();
    await page.getByRole('button', { name: `Compare (${RUNS})` }).click();
    await expect.poll(() => page.getByRole('heading', { name: `Compare ${RUNS} runs` }).count()).toBe(1);
    const newestFirst = [...runs].reverse().map((r) => r.name);
    const curves = page.getByRole('region', { name: 'Metric curves' });
    await expect
      .poll(() => curves.getByRole('list', { name: 'Legend' }).locator('li').allTextContents())
      .toEqual(newestFirst);
    const bars = page.getByRole('img', { name: 'Latest accuracy per run' });
    await expect.poll(() => bars.locator('svg text').allTextContents()).toEqual(expect.arrayContaining(newestFirst));
    await bars.scrollIntoViewIfNeeded();
    await bars.screenshot({ path: path.join(SHOTS, 'run-names-compare-bars.png') });

    const params = page.getByRole('table', { name: 'Params side by side' });
    expect(await params.locator('thead th').allTextContents()).toEqual(['Param', ...newestFirst]);
    const scroller = params.locator('xpath=..');
    const last = params.locator('thead th').last();
    const firstLabel = params.locator('tbody th').first();
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await scroller.evaluate((el) => getComputedStyle(el, '::-webkit-scrollbar').height)).toBe('12px');
    await shot(page, 'run-names-compare-1024', { tallHeight: 1800 });
    await scroller.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(await inside(last, scroller)).toBe(true);
    expect(await inside(firstLabel, scroller)).toBe(true);
    await scroller.scrollIntoViewIfNeeded();
    await shot(page, 'run-names-compare-1024-scrolled');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'run-names-compare-1440', { tallHeight: 1800 });
    await page.setViewportSize({ width: 1024, height: 768 });
  });

  it('renames a run on its page (Enter saves, Escape cancels, errors shown), and the table follows', async () => {
    const target = runs[0]!;
    await page.getByRole('list', { name: 'Compared runs' }).getByRole('button', { name: target.name }).click();
    await expect.poll(() => page.getByRole('heading', { name: target.name, level: 2 }).count()).toBe(1);
    expect(await page.locator('.run-meta code').textContent()).toBe(target.id);
    expect(await page.getByRole('button', { name: 'Copy run id' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Rename run' }).click();
    const input = page.getByRole('textbox', { name: 'Run name' });
    await input.fill('not kept');
    await input.press('Escape');
    await expect.poll(() => page.getByRole('heading', { name: target.name, level: 2 }).count()).toBe(1);

    await page.getByRole('button', { name: 'Rename run' }).click();
    await input.fill('x'.repeat(300));
    await input.press('Enter');
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /run name/i })
          .count(),
      )
      .toBe(1);
    await input.fill('wide forest');
    await input.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'wide forest', level: 2 }).count()).toBe(1);
    await shot(page, 'run-names-run-page');

    await page.getByRole('button', { name: '← All runs' }).click();
    await expect
      .poll(() => grid().locator('.run-name').allTextContents())
      .toEqual([
        ...runs
          .slice(1)
          .reverse()
          .map((r) => r.name),
        'wide forest',
      ]);
  });

  it('ran without page errors', () => {
    expect(session.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
});
