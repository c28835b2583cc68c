// End to end: the Reports view lists a drift report with its kind and reopens it in a tab of its
// own, served read-only with a sandboxing CSP, with the network off for everything else.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDriftReport } from '../../electron/core/reports/drift';
import { initProject } from '../../electron/core/project/init';
import { driftReportFixture } from '../support/drift-report';
import { tmpDir, type UiProcess } from '../support/helpers';
import { browserSession, SHOTS } from './session';

const session = browserSession();
let ui: UiProcess;
let context: BrowserContext;
let page: Page;
const report = driftReportFixture({ columns: 4, performance: 'classification' });
report.columns[1]!.name = '<img src=x onerror=alert(1)>';

beforeAll(async () => {
  const dir = path.join(tmpDir(), 'reports-project');
  (await initProject(dir, {})).workspace.close();
  await writeDriftReport(dir, report, { format: 'html', now: new Date('2026-11-30T10:00:00Z') });
  ({ ui, context, page } = await session.open(dir));
});

describe('Reports view', () => {
  it('lists the drift report and opens it in a new tab that runs no script and fetches nothing', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Reports' }).click();
    const row = page
      .getByRole('table', { name: 'Reports' })
      .getByRole('row')
      .filter({ hasText: 'drift-week-07-csv-2026-11-30' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Drift');

    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      row.getByRole('button', { name: /^Open / }).click(),
    ]);
    const dialogs: string[] = [];
    tab.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await tab.waitForLoadState('load');
    expect(new URL(tab.url()).pathname).toBe('/reports/drift-week-07-csv-2026-11-30.html');
    expect(tab.url()).not.toContain(ui.token);
    await expect.poll(() => tab.getByRole('heading', { level: 1 }).textContent()).toContain('Drift report');
    expect(await tab.locator('.callout strong').textContent()).toBe('Dataset drift detected');
    expect(await tab.locator('svg.echart').count()).toBeGreaterThanOrEqual(4);
    // The column named like an image tag is text, and nothing ran.
    expect(await tab.getByRole('rowheader', { name: '<img src=x onerror=alert(1)>' }).count()).toBeGreaterThan(0);
    expect(await tab.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // Scripts cannot run in the sandboxed page even when injected after load.
    const ran = await tab.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'document.body.dataset.ran = "yes"';
      document.body.append(s);
      return document.body.dataset.ran ?? 'no';
    });
    expect(ran).toBe('no');
    await tab.setViewportSize({ width: 1280, height: 2000 });
    await tab.screenshot({ path: path.join(SHOTS, 'drift-report.png') });
    const reportRequests = requests.filter((u) => !u.includes('/api/'));
    expect(reportRequests.every((u) => u.startsWith(`http://127.0.0.1:${ui.port}/reports/`))).toBe(true);
    await tab.close();
    expect(session.errors).toEqual([]);
  });

  it('gives each report a URL that points it out in the list, after a reload too', async () => {
    const file = 'reports/drift-week-07-csv-2026-11-30.html';
    const link = page
      .getByRole('table', { name: 'Reports' })
      .getByRole('link', { name: /drift-week-07-csv-2026-11-30/ });
    expect(await link.getAttribute('href')).toBe(`#/reports/${file}`);
    await link.click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/reports/${file}`);
    await page.reload();
    const row = page.getByRole('table', { name: 'Reports' }).locator('tr.selected');
    await expect.poll(() => row.textContent()).toContain('drift-week-07-csv-2026-11-30');
    // A report that is not there is said so, not a blank list.
    await page.goto(`${ui.origin}/#/reports/reports/gone.html`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'There is no report' }).count()).toBe(1);
    expect(session.errors).toEqual([]);
  });
});
