// End to end: the runs table on 10,000 runs × 100 columns (50 params, 50 metrics), in Chromium.
// Only a window of rows and columns is in the DOM; filter, sort, pin, hide, group, star, rename,
// delete with undo, completion, the filter's error, layout kept across reloads, and live updates.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, writeTransaction } from '../../electron/core/store/database';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { launchChromium } from './browser';
import { browserSession, SHOTS } from './session';

const RUNS = 10_000;
const PARAMS = 50;
const METRICS = 50;
const MODELS = ['rf', 'svm', 'mlp', 'knn'];

/** Every search returns 10,000 runs × 100 values: on a busy machine that takes seconds, not the default 1 s. */
const POLL = { timeout: 30_000, interval: 100 };
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const runName = (i: number) => `run-${pad(i, 5)}`;
/** Deterministic metric values in [0, 1), so expected counts can be computed here. */
const metricValue = (i: number, k: number) => ((i * 7919 + k * 104_729) % 10_007) / 10_007;
const paramValue = (i: number, k: number) => (k === 0 ? MODELS[i % MODELS.length]! : String((i * (k + 3)) % 97));

const session = browserSession();
let ui: UiProcess;
let page: Page;
let projectDir: string;

function seed(dbFile: string): void {
  const db = openDatabase(dbFile);
  // A throwaway test database: durability is not needed while seeding a million rows.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  try {
    writeTransaction(db, () => {
      const exp = db
        .prepare(
          "INSERT INTO experiments (name, description) VALUES ('sweep', 'Seeded for the runs table') RETURNING id",
        )
        .get() as { id: number };
      const insertRun = db.prepare(
        "INSERT INTO runs (id, experiment_id, name, status, started_at, ended_at, kind, trigger, source) VALUES (?, ?, ?, ?, ?, ?, 'script', 'api', 'api')",
      );
      const insertParam = db.prepare('INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)');
      const insertMetric = db.prepare('INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, 0, ?, ?)');
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < RUNS; i++) {
        const id = `r${pad(i, 5)}`;
        const start = new Date(t0 + i * 60_000).toISOString();
        const end = new Date(t0 + i * 60_000 + 5_000 + (i % 300) * 1000).toISOString();
        insertRun.run(id, exp.id, runName(i), i % 50 === 7 ? 'failed' : 'succeeded', start, end);
        for (let k = 0; k < PARAMS; k++) insertParam.run(id, `p${pad(k, 2)}`, paramValue(i, k));
        for (let k = 0; k < METRICS; k++) insertMetric.run(id, `m${pad(k, 2)}`, metricValue(i, k), end);
      }
      // Non-finite values display as such (NULL is how the store keeps NaN).
      insertMetric.run('r09999', 'diverged', null, new Date().toISOString());
      db.prepare(
        "INSERT INTO run_metrics (run_id, key, step, value, at) VALUES ('r09998', 'diverged', 0, 9e999, ?), ('r09997', 'diverged', 0, -9e999, ?)",
      ).run(new Date().toISOString(), new Date().toISOString());
    });
  } finally {
    db.close();
  }
}

async function shot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

const grid = (): Locator => page.getByRole('grid', { name: 'Runs' });
const count = (): Promise<string | null> => page.locator('.runs-count').textContent();
const renderedRows = (): Promise<number> => grid().locator('.vgrid-body > [role="row"]').count();
const firstRunName = (): Promise<string | null> =>
  grid().locator('.vgrid-body > [role="row"].run-row').first().locator('.run-name').textContent();

function dbRead<T>(sql: string, ...args: unknown[]): T {
  const db = openDatabase(path.join(projectDir, '.benchtop', 'benchtop.db'));
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}

/** Scrolls the grid right until a column's header is rendered (columns are windowed too). */
async function revealColumn(title: string): Promise<void> {
  const button = grid().getByRole('button', { name: `Sort by ${title}`, exact: true });
  const width = await grid().evaluate((el) => el.scrollWidth);
  for (let x = 0; x < width; x += 600) {
    await grid().evaluate((el, left) => {
      el.scrollLeft = left;
    }, x);
    await page.waitForFunction(() => new Promise((done) => requestAnimationFrame(() => done(true))));
    if ((await button.count()) > 0) return;
  }
  throw new Error(`column ${title} never rendered`);
}

/**
 * Opens a column's header menu. The grid renders only the columns in view, and a refresh landing
 * between the scroll and the click can re-lay them out, so a missed column is scrolled to again.
 */
async function openColumnMenu(title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await revealColumn(title);
    try {
      await grid()
        .getByRole('button', { name: `Options for column ${title}`, exact: true })
        .click({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt === 5) throw err;
    }
  }
}

async function sortBy(title: string, direction: 'descending' | 'ascending'): Promise<void> {
  await openColumnMenu(title);
  await page
    .getByRole('menu', { name: `Column ${title}` })
    .getByRole('menuitem', { name: `Sort ${direction}` })
    .click();
  await expect.poll(() => grid().locator(`[role="columnheader"][aria-sort="${direction}"]`).count(), POLL).toBe(1);
}

async function openExperiments(p: Page): Promise<void> {
  await p.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Experiments' }).click();
  await expect.poll(() => p.locator('.runs-count').textContent(), { timeout: 60_000 }).toMatch(/runs?/);
}

beforeAll(async () => {
  projectDir = path.join(tmpDir(), 'many-runs');
  mkdirSync(projectDir);
  expect(runCli(['init', '--dir', projectDir]).code).toBe(0);
  const t = Date.now();
  seed(path.join(projectDir, '.benchtop', 'benchtop.db'));
  console.log(`seeded ${RUNS} runs in ${Date.now() - t} ms`);
  ({ ui, page } = await session.open(projectDir, { width: 1440, height: 900 }));
});

describe('the runs table on 10,000 runs', () => {
  it('renders only a window of rows and columns', async () => {
    await openExperiments(page);
    await expect.poll(count, { timeout: 60_000 }).toBe('10,000 runs');
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(RUNS + 1));
    expect(Number(await grid().getAttribute('aria-colcount'))).toBe(1 + 8 + PARAMS + METRICS + 1);
    expect(await firstRunName()).toBe(runName(RUNS - 1));
    const rows = await renderedRows();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(200);
    const headers = await grid().locator('[role="columnheader"]').count();
    expect(headers).toBeLessThan(40);
    expect(await page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 1)}` }).count()).toBe(1);
    await page.locator('.runs-view').scrollIntoViewIfNeeded();
    await shot('runs-table');
  });

  it('scrolls to the bottom and shows the last run, still windowed', async () => {
    await grid().evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(() => page.getByRole('checkbox', { name: `Select run ${runName(0)}` }).count(), POLL).toBe(1);
    expect(await renderedRows()).toBeLessThan(200);
    await grid().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    // The run fields every run shares come after the metrics and params, at the right end.
    await expect.poll(() => grid().getByRole('button', { name: 'Sort by Duration' }).count(), POLL).toBe(1);
    expect(await grid().getByRole('button', { name: 'Sort by metrics.m00' }).count()).toBe(0);
    // The pinned name column stays at the left while the rest scrolls.
    const nameBox = await page.getByRole('checkbox', { name: `Select run ${runName(0)}` }).boundingBox();
    const gridBox = await grid().boundingBox();
    expect(nameBox!.x - gridBox!.x).toBeLessThan(40);
    expect(
      await grid()
        .getByRole('button', { name: runName(0), exact: true })
        .isVisible(),
    ).toBe(true);
    await shot('runs-table-bottom-right');
    await grid().evaluate((el) => {
      el.scrollTop = 0;
      el.scrollLeft = 0;
    });
  });

  it('suggests keys while typing a filter, and applies it with Enter', async () => {
    const filter = page.getByLabel('Filter runs');
    await filter.click();
    await filter.pressSequentially('metrics.m0');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await expect.poll(() => list.getByRole('option').count(), POLL).toBe(10);
    expect(await filter.getAttribute('aria-expanded')).toBe('true');
    await filter.press('ArrowDown');
    expect(await list.getByRole('option', { selected: true }).textContent()).toContain('metrics.m01');
    await shot('runs-filter-completion');
    await filter.press('Tab');
    expect(await filter.inputValue()).toBe('metrics.m01 ');
    await filter.pressSequentially('> 0.9');
    await filter.press('Escape');
    await filter.press('Enter');
    const expected = Array.from({ length: RUNS }, (_, i) => metricValue(i, 1)).filter((v) => v > 0.9).length;
    await expect.poll(count, POLL).toBe(`${expected.toLocaleString('en-US')} runs match the filter`);
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(expected + 1));
  });

  it("shows the core's error under the box for a bad query, pointing at the token", async () => {
    const filter = page.getByLabel('Filter runs');
    await filter.fill('metrics.m01 > 0.9 and');
    await filter.press('Escape');
    await filter.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'The filter has a mistake' });
    await expect.poll(() => alert.count(), POLL).toBe(1);
    expect(await alert.textContent()).toContain('at column 22');
    expect(await alert.locator('.runs-filter-caret').textContent()).toBe(`metrics.m01 > 0.9 and\n${' '.repeat(21)}^`);
    expect(await filter.getAttribute('aria-invalid')).toBe('true');
    await shot('runs-filter-error');
    await filter.fill('metrics.m01 > 0.9');
    await filter.press('Escape');
    await filter.press('Enter');
    await expect.poll(() => alert.count(), POLL).toBe(0);
  });

  it('sorts by a metric through the core (descending, then ascending)', async () => {
    await revealColumn('metrics.m02');
    await grid().getByRole('button', { name: 'Sort by metrics.m02' }).click();
    const header = grid().locator('[role="columnheader"][aria-sort="descending"]');
    await expect.poll(() => header.count(), POLL).toBe(1);
    const matching = Array.from({ length: RUNS }, (_, i) => i).filter((i) => metricValue(i, 1) > 0.9);
    const best = matching.reduce((a, b) => (metricValue(b, 2) > metricValue(a, 2) ? b : a));
    const worst = matching.reduce((a, b) => (metricValue(b, 2) < metricValue(a, 2) ? b : a));
    await expect.poll(firstRunName, POLL).toBe(runName(best));
    await grid().getByRole('button', { name: 'Sort by metrics.m02' }).click();
    await expect.poll(() => grid().locator('[role="columnheader"][aria-sort="ascending"]').count(), POLL).toBe(1);
    await expect.poll(firstRunName, POLL).toBe(runName(worst));
  });

  it('pins a column from its header menu', async () => {
    await openColumnMenu('metrics.m02');
    await expect
      .poll(() => page.getByRole('menu', { name: 'Column metrics.m02' }).getByRole('menuitem').count(), POLL)
      .toBe(6);
    await shot('runs-column-menu');
    await page
      .getByRole('menu', { name: 'Column metrics.m02' })
      .getByRole('menuitem', { name: 'Pin column to the left' })
      .click();
    await expect
      .poll(() => grid().locator('.vgrid-header-row .vgrid-pinned').filter({ hasText: 'm02' }).count(), POLL)
      .toBe(1);
    await grid().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect.poll(() => grid().getByRole('button', { name: 'Sort by params.p49' }).count(), POLL).toBe(1);
    const pinnedHeader = await grid().getByRole('button', { name: 'Sort by metrics.m02' }).boundingBox();
    const gridBox = await grid().boundingBox();
    expect(pinnedHeader!.x).toBeGreaterThan(gridBox!.x);
    expect(pinnedHeader!.x).toBeLessThan(gridBox!.x + 400);
    await shot('runs-pinned');
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
  });

  it('hides a column with the column chooser', async () => {
    await page.getByRole('button', { name: 'Columns' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await chooser.getByLabel('Search columns').fill('experiment');
    await expect.poll(() => chooser.getByRole('checkbox').count(), POLL).toBe(1);
    await chooser.getByRole('checkbox').uncheck();
    await chooser.getByLabel('Search columns').fill('p0');
    await shot('runs-column-chooser');
    await page.keyboard.press('Escape');
    await expect.poll(() => chooser.count(), POLL).toBe(0);
    await expect.poll(() => grid().getByRole('button', { name: 'Sort by Experiment' }).count(), POLL).toBe(0);
    expect(Number(await grid().getAttribute('aria-colcount'))).toBe(1 + 8 + PARAMS + METRICS + 1 - 1);
  });

  it('groups the runs by a param under collapsible headers with counts', async () => {
    await page.getByLabel('Group by').selectOption('p00');
    const groups = grid().locator('.group-toggle');
    const matching = Array.from({ length: RUNS }, (_, i) => i).filter((i) => metricValue(i, 1) > 0.9);
    const knn = matching.filter((i) => paramValue(i, 0) === 'knn').length;
    await expect
      .poll(() => grid().getAttribute('aria-rowcount'), POLL)
      .toBe(String(matching.length + MODELS.length + 1));
    const first = groups.first();
    expect(await first.textContent()).toBe(`p00=knn${knn.toLocaleString('en-US')} runs`);
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    await first.click();
    await expect.poll(() => groups.first().getAttribute('aria-expanded'), POLL).toBe('false');
    await expect
      .poll(() => grid().getAttribute('aria-rowcount'), POLL)
      .toBe(String(matching.length - knn + MODELS.length + 1));
    // The next group's header follows the collapsed one.
    expect(await groups.nth(1).textContent()).toMatch(/^p00=mlp[\d,]+ runs$/);
    await shot('runs-grouped');
    await groups.first().click();
    await page.getByLabel('Group by').selectOption('');
    await expect.poll(() => groups.count(), POLL).toBe(0);
  });

  it('stars and renames a run, saved in the project', async () => {
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await expect.poll(count, POLL).toBe('10,000 runs');
    await sortBy('Started', 'descending');
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
    await expect.poll(firstRunName, POLL).toBe(runName(RUNS - 1));
    // The star column comes after the metrics and params: at the right end.
    await grid().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    const star = grid().getByRole('button', { name: `Star run ${runName(RUNS - 1)}` });
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed'), POLL).toBe('true');
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
    await expect
      .poll(() => dbRead<{ starred: number }>('SELECT starred FROM runs WHERE id = ?', 'r09999').starred, POLL)
      .toBe(1);

    await grid()
      .getByRole('button', { name: `Rename run ${runName(RUNS - 2)}` })
      .click();
    const input = grid().getByLabel(`New name for run ${runName(RUNS - 2)}`);
    await input.fill('baseline (renamed)');
    await input.press('Enter');
    await expect
      .poll(() => grid().getByRole('button', { name: 'baseline (renamed)', exact: true }).count(), POLL)
      .toBe(1);
    await expect
      .poll(() => dbRead<{ name: string }>('SELECT name FROM runs WHERE id = ?', 'r09998').name, POLL)
      .toBe('baseline (renamed)');
    // NaN and ±Infinity show as such.
    await revealColumn('metrics.diverged');
    const divergedHeader = grid().locator('[role="columnheader"]', {
      has: page.getByRole('button', { name: 'Sort by metrics.diverged' }),
    });
    await expect.poll(() => divergedHeader.count(), POLL).toBe(1);
    const colindex = await divergedHeader.getAttribute('aria-colindex');
    const cell = (i: number) =>
      grid()
        .locator(`.vgrid-body > [role="row"]:nth-child(${i + 1}) [aria-colindex="${colindex}"]`)
        .textContent();
    expect([await cell(0), await cell(1), await cell(2), await cell(3)]).toEqual(['NaN', '∞', '−∞', '—']);
    await shot('runs-star-rename');
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
  });

  it('selects runs (with a shift-click range), tags them, deletes them and undoes it', async () => {
    const compare = page.getByRole('button', { name: /^Compare/ });
    expect(await compare.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 3)}` }).click();
    await page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 6)}` }).click({ modifiers: ['Shift'] });
    await expect.poll(() => compare.textContent(), POLL).toBe('Compare (4)');
    expect(await compare.isDisabled()).toBe(false);
    await page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 5)}` }).click();
    await page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 4)}` }).click();
    await expect.poll(() => compare.textContent(), POLL).toBe('Compare (2)');

    await page.getByRole('button', { name: 'Tag…' }).click();
    const tagDialog = page.getByRole('dialog', { name: 'Tag runs' });
    await tagDialog.getByRole('textbox').fill('team=vision');
    await tagDialog.getByRole('button', { name: 'Add tag' }).click();
    // The tags column comes after the metrics and params: at the right end.
    await grid().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect.poll(() => grid().locator('.tag-chip', { hasText: 'team=vision' }).count(), POLL).toBe(2);
    expect(dbRead<{ n: number }>("SELECT count(*) AS n FROM run_tags WHERE key = 'team' AND value = 'vision'").n).toBe(
      2,
    );
    await shot('runs-selected');

    await page.getByRole('button', { name: 'Delete' }).click();
    const undo = page.getByRole('status').filter({ hasText: '2 runs deleted' });
    await expect.poll(() => undo.count(), POLL).toBe(1);
    await expect.poll(count, POLL).toBe('9,998 runs');
    expect(await page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 3)}` }).count()).toBe(0);
    await shot('runs-deleted-undo');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(count, POLL).toBe('10,000 runs');
    await expect
      .poll(() => page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 3)}` }).count(), POLL)
      .toBe(1);
    expect(dbRead<{ n: number }>('SELECT count(*) AS n FROM runs WHERE deleted_at IS NOT NULL').n).toBe(0);
  });

  it('moves through the rows from the keyboard', async () => {
    await grid().focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const active = await grid().getAttribute('aria-activedescendant');
    expect(active).toBe('run-row-1');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Select run baseline (renamed)' }).isChecked()).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => grid().getAttribute('aria-activedescendant'), POLL).toBe(`run-row-${RUNS - 1}`);
    await expect.poll(() => page.getByRole('checkbox', { name: `Select run ${runName(0)}` }).count(), POLL).toBe(1);
  });

  it('resizes a column by dragging the edge of its header', async () => {
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
    const header = grid().locator('[role="columnheader"]', {
      has: page.getByRole('button', { name: 'Sort by Status', exact: true }),
    });
    const before = (await header.boundingBox())!;
    const handle = (await header.locator('.vgrid-resize').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 40, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.move(handle.x + handle.width / 2 + 80, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect
      .poll(async () => Math.round((await header.boundingBox())!.width), POLL)
      .toBe(Math.round(before.width) + 80);
  });

  it('keeps the column layout for the project across a reload', async () => {
    await page.reload();
    await openExperiments(page);
    await expect.poll(count, { timeout: 60_000 }).toBe('10,000 runs');
    expect(await grid().locator('.vgrid-header-row .vgrid-pinned').filter({ hasText: 'm02' }).count()).toBe(1);
    // Started (sorted by) sits with the other run fields, at the right end.
    await grid().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect
      .poll(() => grid().locator('[role="columnheader"][aria-sort="descending"]').textContent(), POLL)
      .toContain('Started');
    expect(await grid().getByRole('button', { name: 'Sort by Experiment' }).count()).toBe(0);
    await grid().evaluate((el) => {
      el.scrollLeft = 0;
    });
    const status = grid().locator('[role="columnheader"]', {
      has: page.getByRole('button', { name: 'Sort by Status', exact: true }),
    });
    expect(Math.round((await status.boundingBox())!.width)).toBe(112 + 80);
  });

  it('refreshes while a run reports, keeping the scroll position', async () => {
    await grid().evaluate((el) => {
      el.scrollTop = 3400;
    });
    await expect
      .poll(() => page.getByRole('checkbox', { name: `Select run ${runName(RUNS - 1 - 100)}` }).count(), POLL)
      .toBe(1);
    const result = await page.evaluate(async () => {
      const token = sessionStorage.getItem('benchtop.token');
      const post = async (method: string, input: unknown) => {
        const r = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input),
        });
        return (await r.json()) as { ok: boolean; value: { runId: string } };
      };
      const created = await post('runs.create', { experiment: 'live', name: 'live-run' });
      await post('runs.log', { runId: created.value.runId, metrics: [{ key: 'm00', value: 0.5 }] });
      return created.value.runId;
    });
    expect(result).toMatch(/^run-/);
    await expect.poll(count, POLL).toBe('10,001 runs');
    expect(await grid().evaluate((el) => el.scrollTop)).toBe(3400);
    // Newest first: the new run is at the top.
    await grid().evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(() => grid().getByRole('button', { name: 'live-run', exact: true }).count(), POLL).toBe(1);
    expect(await firstRunName()).toBe('live-run');
    expect(
      await grid().locator('.vgrid-body [role="row"]', { hasText: 'live-run' }).locator('.status').textContent(),
    ).toBe('running');
  });

  it('looks right in the dark theme', async () => {
    const dark = await launchChromium({ colorScheme: 'dark' });
    try {
      const p = await dark.newPage();
      await p.setViewportSize({ width: 1440, height: 900 });
      await p.goto(ui.url.replace(/#token=.*/, `#token=${ui.token}`));
      await openExperiments(p);
      await expect.poll(() => p.locator('.runs-count').textContent(), { timeout: 60_000 }).toBe('10,001 runs');
      await p.getByRole('checkbox', { name: `Select run ${runName(RUNS - 1)}` }).click();
      await p.getByRole('checkbox', { name: `Select run ${runName(RUNS - 3)}` }).click();
      await p.locator('.runs-view').scrollIntoViewIfNeeded();
      await shot('runs-table-dark', p);
    } finally {
      await dark.close();
    }
  });

  it('raised no page errors', () => {
    // The one expected failure: the bad query's runs.search answered 400 with the message shown.
    const unexpected = session.errors.filter(
      (e) => !/^Failed to load resource: the server responded with a status of 400/.test(e),
    );
    expect(unexpected).toEqual([]);
    expect(session.errors.length).toBeLessThanOrEqual(1);
  });
});
