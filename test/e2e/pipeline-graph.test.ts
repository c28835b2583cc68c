// End to end: the pipeline graph on the demo project with the guided tour open beside it, at
// 1024×768 and 1440×900, light and dark: every stage lies inside the graph's panel, the zoom buttons
// change the scale and Fit brings every stage back in; and a long trigger text stays inside its card
// in the past runs and on the run's page, whole in its title.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { openApp } from './browser';
import { browserSession, shot } from './session';

const SLOW = { timeout: 120_000 };

const session = browserSession();
let ui: UiProcess;

type Box = { x: number; y: number; width: number; height: number };
/** Half a pixel of slack for sub-pixel rounding of transformed SVG boxes. */
const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

const graph = (page: Page): Locator => page.getByRole('group', { name: /^Pipeline graph/ });
const nodes = (page: Page): Locator => graph(page).getByRole('button', { name: /^Stage / });

async function open(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await session.launch({ colorScheme });
  const page = await openApp(context, ui.url, session.errors, viewport);
  // The demo opens the tour by itself: the graph shares the width with it.
  await expect.poll(() => page.getByRole('complementary', { name: 'Guided tour' }).count()).toBe(1);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Pipelines' }).click();
  await expect.poll(() => nodes(page).count()).toBe(3);
  // The stages' states have come (the graph shows its colours, the tabs say each state).
  const tabs = page.getByRole('tablist', { name: 'Stages' }).getByRole('tab');
  await expect.poll(async () => (await tabs.allTextContents()).every((t) => /· \S/.test(t))).toBe(true);
  return page;
}

/** The boxes of the stages that do not lie inside the graph's panel. */
async function outside(page: Page): Promise<string[]> {
  const panel = (await graph(page).boundingBox())!;
  const out: string[] = [];
  for (const node of await nodes(page).all()) {
    const box = (await node.boundingBox())!;
    if (!inside(box, panel)) out.push(`${await node.getAttribute('aria-label')} ${JSON.stringify(box)}`);
  }
  if (out.length) out.push(`panel ${JSON.stringify(panel)}`);
  return out;
}

const nodeWidth = async (page: Page): Promise<number> => (await nodes(page).first().boundingBox())!.width;

beforeAll(async () => {
  const dir = path.join(tmpDir(), 'loan-demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  ui = await session.serve(dir);
});

describe('the pipeline graph (browser)', () => {
  for (const [width, height] of [
    [1024, 768],
    [1440, 900],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`fits every stage inside its panel at ${width}×${height} beside the tour (${scheme})`, async () => {
        const page = await open({ width, height }, scheme);
        await expect.poll(() => outside(page)).toEqual([]);
        await shot(page, `pipeline-graph-${width}x${height}-${scheme}`);
        await page.context().close();
      });
    }
  }

  it('zooms in and out with its buttons, and Fit brings every stage back in', async () => {
    const page = await open({ width: 1024, height: 768 }, 'light');
    await expect.poll(() => outside(page)).toEqual([]);
    const fitted = await nodeWidth(page);
    const zoomIn = graph(page).getByRole('button', { name: 'Zoom in' });
    await zoomIn.click();
    await expect.poll(() => nodeWidth(page)).toBeGreaterThan(fitted);
    // From the keyboard too: the buttons are focusable and answer Enter.
    await zoomIn.focus();
    await page.keyboard.press('Enter');
    await zoomIn.click();
    await expect.poll(async () => (await outside(page)).length).toBeGreaterThan(0);
    const zoomed = await nodeWidth(page);
    await graph(page).getByRole('button', { name: 'Zoom out' }).click();
    await expect.poll(() => nodeWidth(page)).toBeLessThan(zoomed);
    await graph(page).getByRole('button', { name: 'Fit the graph' }).click();
    await expect.poll(() => outside(page)).toEqual([]);
    expect(Math.abs((await nodeWidth(page)) - fitted)).toBeLessThan(1);
    // A click on a stage still selects it, and so does Enter on a focused one.
    const selectedTab = () =>
      page.getByRole('tablist', { name: 'Stages' }).getByRole('tab', { selected: true }).textContent();
    await nodes(page).filter({ hasText: 'evaluate' }).click();
    await expect.poll(selectedTab).toMatch(/^evaluate/);
    await nodes(page).filter({ hasText: 'train' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(selectedTab).toMatch(/^train/);
    await page.context().close();
  });

  it('zooms with the wheel about the cursor and pans with a drag that selects nothing', async () => {
    const page = await open({ width: 1440, height: 900 }, 'light');
    await expect.poll(() => outside(page)).toEqual([]);
    const before = await nodeWidth(page);
    const panel = (await graph(page).boundingBox())!;
    await page.mouse.move(panel.x + panel.width / 2, panel.y + panel.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => nodeWidth(page)).toBeGreaterThan(before);
    // A drag from a stage moves the whole graph by the drag, and does not select that stage.
    const evaluate = nodes(page).filter({ hasText: 'evaluate' });
    const from = (await evaluate.boundingBox())!;
    await page.mouse.move(from.x + 10, from.y + 10);
    await page.mouse.down();
    await page.mouse.move(from.x - 60, from.y + 30, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await evaluate.boundingBox())!.x - from.x)).toBe(-70);
    expect(Math.round((await evaluate.boundingBox())!.y - from.y)).toBe(20);
    expect(
      await page.getByRole('tablist', { name: 'Stages' }).getByRole('tab', { selected: true }).textContent(),
    ).toMatch(/^prepare/);
    // The page did not scroll under the wheel: the graph took it.
    expect(await page.locator('.content').evaluate((el) => el.scrollTop)).toBe(0);
    await page.context().close();
  });

  it('keeps a 300-character trigger inside its card, the whole text in its title', async () => {
    const page = await open({ width: 1024, height: 768 }, 'light');
    const reason =
      `loan-weekly: ${'drift share above 0.3 on data/batches/week-06.csv; '.repeat(5)}${'x'.repeat(40)}`.slice(0, 300);
    expect(reason).toHaveLength(300);
    const started = await page.evaluate(async (reason) => {
      const token = sessionStorage.getItem('benchtop.token');
      const r = await fetch('/api/pipelines.run', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ reason }),
      });
      return r.status;
    }, reason);
    expect(started).toBe(200);
    const runs = page.getByRole('table', { name: 'Pipeline runs' });
    const row = runs.locator('tbody tr').first();
    await expect.poll(() => row.locator('.status').textContent(), SLOW).toBe('succeeded');
    const trigger = row.locator('td').nth(2);
    const text = trigger.locator('[title]');
    expect(await trigger.textContent()).toBe(`triggered: ${reason}`);
    expect(await text.getAttribute('title')).toBe(`triggered: ${reason}`);
    const history = page.locator('.run-history');
    const within = async () => {
      // The text stays inside its cell, and the table inside the past runs (beside the tour at
      // 1024 px the table scrolls within them).
      expect(await text.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(inside((await text.boundingBox())!, (await trigger.boundingBox())!)).toBe(true);
      expect(inside((await runs.locator('xpath=..').boundingBox())!, (await history.boundingBox())!)).toBe(true);
    };
    await within();
    await runs.scrollIntoViewIfNeeded();
    await shot(page, 'pipeline-long-trigger-1024x768');
    // Wide enough for the whole table: the trigger's cell lies inside the past runs.
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(async () => inside((await trigger.boundingBox())!, (await history.boundingBox())!)).toBe(true);
    await within();
    await runs.scrollIntoViewIfNeeded();
    await shot(page, 'pipeline-long-trigger-1440x900');
    await page.setViewportSize({ width: 1024, height: 768 });

    // The run's page: the trigger stays inside the Lineage card.
    const tour = page.getByRole('complementary', { name: 'Guided tour' });
    await tour
      .getByRole('list', { name: 'Tour steps' })
      .getByRole('button', { name: /^8\. Retraining/ })
      .click();
    const openRun = tour.getByRole('button', { name: 'Open the retraining run', exact: true });
    await expect.poll(() => openRun.isEnabled(), SLOW).toBe(true);
    await openRun.click();
    const card = page.getByRole('region', { name: 'Lineage' });
    const cell = card.locator('tr', { hasText: 'Trigger' }).locator('td');
    await expect.poll(() => cell.textContent(), SLOW).toBe(`triggered: ${reason}`);
    // The page settles as its parts load (the stages' table, the metrics).
    await expect
      .poll(async () => {
        const [c, k] = [(await cell.boundingBox())!, (await card.boundingBox())!];
        return inside(c, k) ? 'inside' : `cell ${JSON.stringify(c)} card ${JSON.stringify(k)}`;
      })
      .toBe('inside');
    expect(await cell.locator('[title]').getAttribute('title')).toBe(`triggered: ${reason}`);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'run-long-trigger');
    await page.context().close();
    expect(session.errors.join('\n')).toBe('');
  });
});
