// End to end: the Models view in Chromium on the demo project run once through its pipeline:
// register its model from the run page, make it champion with a reason (the chip and the audit log
// show it), refuse a reserved alias and deleting an aliased version, compare two versions, edit the
// card, and open the lineage graph whose run node leads back to the run.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { launchChromium, openApp } from './browser';
import { browserSession, shot, SHOTS } from './session';

const session = browserSession();
let ui: UiProcess;
let page: Page;
let dir: string;

/** The height of the window a long page is captured in. */
const TALL = { tallHeight: 1800 };

async function openSection(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: label }).click();
  await expect.poll(() => page.locator('#section-title').textContent()).toBe(label);
}

async function openTheRun(): Promise<void> {
  await openSection('Experiments');
  // The section remembers the run page it last showed.
  if ((await page.getByRole('button', { name: 'Register model' }).count()) === 0)
    await page.locator('button.run-name').first().click();
  await expect.poll(() => page.getByRole('button', { name: 'Register model' }).count()).toBe(1);
}

async function register(name: string, alias = '', reason = ''): Promise<void> {
  await openTheRun();
  await page.getByRole('button', { name: 'Register model' }).click();
  const dialog = page.getByRole('dialog', { name: /Register a model from/ });
  await dialog.getByLabel('Model name', { exact: true }).fill(name);
  // The pipeline's output is offered first among the run's artifacts.
  expect(await dialog.getByLabel('Artifact', { exact: true }).inputValue()).toBe('build/model.json');
  await dialog.getByRole('textbox', { name: 'Description' }).fill('Logistic regression on the loan applications.');
  if (alias) {
    await dialog.getByLabel('Alias (optional)', { exact: true }).fill(alias);
    await dialog.getByRole('textbox', { name: 'Reason for the alias' }).fill(reason);
  }
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
}

beforeAll(async () => {
  dir = path.join(tmpDir(), 'models-demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  const run = runCli(['run'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  ({ ui, page } = await session.open(dir));
});

describe('Models view (browser)', () => {
  it('registers the model of a demo run from its run page and opens the new version', async () => {
    await expect.poll(() => page.getByRole('button', { name: /Benchtop demo/ }).count()).toBe(1);
    await register('loan-classifier');
    await expect.poll(() => page.getByRole('heading', { name: 'loan-classifier v1', level: 2 }).count()).toBe(1);
    expect(await page.locator('#section-title').textContent()).toBe('Models');
    expect(await page.getByRole('table', { name: 'Artifact' }).textContent()).toContain('build/model.json');
    expect(await page.getByRole('region', { name: 'Description' }).textContent()).toContain('Logistic regression');
    // The run's snapshot: params from params.yaml and metrics from evaluate.
    expect(await page.getByRole('table', { name: 'Params' }).textContent()).toContain('train.lr');
    expect(await page.getByRole('table', { name: 'Metrics' }).locator('tbody tr').count()).toBeGreaterThan(0);
  });

  it('makes a version champion with a reason: the chip, the alias list and the audit log show it', async () => {
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('button', { name: 'loan-classifier' })
      .click();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-classifier', level: 2 }).count()).toBe(1);
    await page.getByRole('button', { name: 'Set alias…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set an alias of loan-classifier' });
    // A reserved name is refused by the core, with its message shown in the dialog.
    await dialog.getByLabel('Alias', { exact: true }).fill('latest');
    await dialog.getByRole('button', { name: 'Set alias' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/latest/);
    await shot(page, 'models-alias-refused');
    await dialog.getByLabel('Alias', { exact: true }).fill('champion');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Best accuracy on the held-out split');
    await dialog.getByRole('button', { name: 'Set alias' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    const versions = page.getByRole('table', { name: 'Versions' });
    await expect.poll(() => versions.getByRole('list', { name: 'Aliases of v1' }).textContent()).toBe('champion');
    expect(await page.getByRole('list', { name: 'Model aliases' }).textContent()).toContain('loan-classifier@champion');
    const log = page.getByRole('table', { name: 'Alias audit log' });
    await expect.poll(() => log.locator('tbody tr').count()).toBe(1);
    const entry = await log.locator('tbody tr').first().textContent();
    expect(entry).toContain('champion');
    expect(entry).toContain('set to v1');
    expect(entry).toContain('Best accuracy on the held-out split');
    await shot(page, 'models-model-page');

    // The list shows the model with its alias.
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name: '← All models' }).click();
    const list = page.getByRole('table', { name: 'Registered models' });
    await expect
      .poll(() => list.getByRole('list', { name: 'Aliases of loan-classifier' }).textContent())
      .toBe('champion → v1');
    await shot(page, 'models-list');
  });

  it('refuses to delete the champion with the core message as a toast, and compares two versions', async () => {
    // A second run with another learning rate gives a second version, registered as challenger.
    const params = path.join(dir, 'params.yaml');
    writeFileSync(params, readFileSync(params, 'utf8').replace('lr: 0.5', 'lr: 0.1'));
    const rerun = runCli(['run'], { cwd: dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    await openSection('Experiments');
    await page.getByRole('button', { name: '← All runs' }).click();
    // The runs table lists the newest run first.
    await expect.poll(() => page.locator('button.run-name').count()).toBe(2);
    await page.locator('button.run-name').first().click();
    await register('loan-classifier', 'challenger', 'Lower learning rate');
    await expect.poll(() => page.getByRole('heading', { name: 'loan-classifier v2', level: 2 }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Aliases of this version' }).textContent()).toBe('challenger');
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('button', { name: 'loan-classifier' })
      .click();
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(2);

    await page.getByRole('button', { name: 'Actions for v1' }).click();
    await page.getByRole('menu', { name: 'Actions for v1' }).getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete v1?' }).getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Could not delete v1' });
    await expect.poll(() => toast.count()).toBe(1);
    expect(await toast.textContent()).toMatch(/alias/);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    expect(await versions.locator('tbody tr').count()).toBe(2);

    await page.getByRole('checkbox', { name: 'Pick v1 to compare' }).check();
    await page.getByRole('checkbox', { name: 'Pick v2 to compare' }).check();
    await shot(page, 'models-versions');
    await page.getByRole('button', { name: 'Compare 2 versions' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Compare 2 versions of loan-classifier' }).count())
      .toBe(1);
    await expect
      .poll(() => page.getByRole('table', { name: 'Metrics side by side' }).locator('tbody tr').count())
      .toBeGreaterThan(0);
    await page.getByRole('checkbox', { name: /Only differences/ }).check();
    expect(
      await page.getByRole('table', { name: 'Params side by side' }).locator('tbody tr').allTextContents(),
    ).toEqual(['train.lr0.50.1']);
    expect(await page.getByRole('img', { name: /across versions: v1 .*, v2 / }).count()).toBe(1);
    await shot(page, 'models-compare', TALL);
  });

  it('edits the card as markdown and opens the lineage: the run node leads to the run page', async () => {
    await page.getByRole('list', { name: 'Compared versions' }).getByRole('button', { name: 'v1' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-classifier v1', level: 2 }).count()).toBe(1);
    await page.getByRole('button', { name: 'Edit intended use' }).click();
    await page
      .getByRole('textbox', { name: 'Intended use' })
      .fill('# Who\n- Loan officers screening `applications`\n\n<img src=x onerror=alert(1)>');
    await page.getByRole('button', { name: 'Save intended use' }).click();
    const card = page.getByRole('region', { name: 'Intended use' });
    await expect.poll(() => card.getByRole('heading', { name: 'Who' }).count()).toBe(1);
    // Markup in the text stays text.
    expect(await card.locator('img').count()).toBe(0);
    expect(await card.textContent()).toContain('<img src=x onerror=alert(1)>');

    const graph = page.getByRole('group', { name: 'Lineage graph' });
    await expect.poll(() => graph.locator('[data-kind]').count()).toBeGreaterThanOrEqual(4);
    const kinds = await graph.locator('[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['model', 'run', 'params', 'metrics', 'commit']));
    // Laid out left to right: the run is right of the model.
    const model = await graph.locator('[data-kind="model"]').boundingBox();
    const runNode = graph.getByRole('button', { name: /^Open run / });
    const run = await runNode.boundingBox();
    expect(run!.x).toBeGreaterThan(model!.x + model!.width);
    await shot(page, 'models-version', TALL);
    // The card exports as a self-contained file under reports/.
    await page.getByRole('button', { name: 'Export card as HTML' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /Written to reports\/.*\.html/ })
          .count(),
      )
      .toBe(1);
    await runNode.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Experiments');
    await expect.poll(() => page.getByRole('button', { name: 'Register model' }).count()).toBe(1);
  });

  it('removes an alias with a reason, then archives the version, shows it on demand and restores it', async () => {
    await openSection('Models');
    await page.getByRole('button', { name: 'loan-classifier', exact: true }).click();
    await page.getByRole('button', { name: 'Remove alias challenger' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove alias challenger?' });
    await confirm.getByRole('textbox', { name: /Reason/ }).fill('Lost the offline evaluation');
    await confirm.getByRole('button', { name: 'Remove alias' }).click();
    const log = page.getByRole('table', { name: 'Alias audit log' });
    await expect.poll(() => log.locator('tbody tr').first().textContent()).toContain('removed from v2');
    expect(await log.locator('tbody tr').first().textContent()).toContain('Lost the offline evaluation');

    const versions = page.getByRole('table', { name: 'Versions' });
    await page.getByRole('button', { name: 'Actions for v2' }).click();
    await page.getByRole('menuitem', { name: 'Archive…' }).click();
    await page.getByRole('dialog', { name: 'Archive v2?' }).getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'Show archived (1)' }).check();
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(2);
    expect(await versions.locator('tbody tr', { hasText: 'v2' }).textContent()).toContain('archived');
    await page.getByRole('button', { name: 'Actions for v2' }).click();
    await page.getByRole('menuitem', { name: 'Restore…' }).click();
    await page.getByRole('dialog', { name: 'Restore v2?' }).getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => versions.locator('tbody tr', { hasText: 'v2' }).textContent()).not.toContain('archived');
    expect(await page.getByRole('checkbox', { name: 'Show archived (0)' }).count()).toBe(1);

    // A change made elsewhere (a script calling the HTTP contract) shows up without a reload.
    const r = await fetch(`${ui.origin}/api/models.setAlias`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'loan-classifier',
        alias: 'production',
        version: 2,
        reason: 'Shipped by the release script',
      }),
    });
    expect(r.status).toBe(200);
    await expect
      .poll(() => page.getByRole('list', { name: 'Model aliases' }).textContent())
      .toContain('loan-classifier@production');
    await expect.poll(() => log.locator('tbody tr').first().textContent()).toContain('Shipped by the release script');
    expect(await versions.getByRole('list', { name: 'Aliases of v2' }).textContent()).toBe('production');
    // The two refusals asked for above (the reserved alias, deleting the champion) are the only failed requests.
    expect(session.errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });

  it('reads well in the dark theme', async () => {
    const dark = await launchChromium({ colorScheme: 'dark' });
    try {
      const darkErrors: string[] = [];
      const p = await openApp(dark, ui.url, darkErrors);
      await p.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Models' }).click();
      await p.getByRole('button', { name: 'loan-classifier version 2' }).click();
      await expect
        .poll(() => p.getByRole('group', { name: 'Lineage graph' }).locator('[data-kind]').count())
        .toBeGreaterThanOrEqual(4);
      await p.setViewportSize({ width: 1280, height: 1800 });
      await p.screenshot({ path: path.join(SHOTS, 'models-version-dark.png') });
      expect(darkErrors).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
