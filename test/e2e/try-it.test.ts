// End to end: on a fresh demo project, deploy the champion (the bank's scorecard, version 1) from its
// version page and check that "Try it" starts from a real row the model has seen (the first row of
// the loan-weekly monitor's reference, data/reference.csv), which the endpoint answers; screenshots
// at both window sizes, light and dark.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const session = browserSession();
let page: Page;

/** Every visible text field, text box and select in `box` is the shared field (checkboxes and radios are not fields). */
async function expectSharedFields(box: Locator, atLeast: number): Promise<void> {
  const classes = await box
    .locator('input:not([type=checkbox]):not([type=radio]):visible, textarea:visible, select:visible')
    .evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
  expect(classes.length).toBeGreaterThanOrEqual(atLeast);
  for (const c of classes) expect(c).toMatch(/\.(.* )?field-input( |$)/);
}

const panel = (): ReturnType<Page['getByRole']> => page.getByRole('region', { name: 'Deployment', exact: true });

beforeAll(async () => {
  const dir = path.join(tmpDir(), 'try-demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  ({ page } = await session.open(dir, { width: 1024, height: 768 }));
});

describe('Try it', () => {
  it("starts from the first row of the model's reference data, which the endpoint answers", async () => {
    // The tour opens the first time the demo opens; closed, each section has the width.
    const tour = page.getByRole('complementary', { name: 'Guided tour' });
    await expect.poll(() => tour.count()).toBe(1);
    await tour.getByRole('button', { name: 'Close the tour' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'loan-default version 1' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-default v1', level: 2 }).count()).toBe(1);
    await expectSharedFields(panel(), 4);
    await panel().scrollIntoViewIfNeeded();
    await shot(page, 'deploy-form-1024-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'deploy-form-1024-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await panel().getByRole('button', { name: 'Deploy' }).click();
    await expect
      .poll(() => panel().getByLabel('Deployment status').locator('.deploy-state').textContent(), { timeout: 30_000 })
      .toBe('serving v1');

    const tryIt = panel().getByRole('form', { name: 'Try it' });
    const box = tryIt.getByLabel('Request body (JSON)');
    await expect.poll(async () => JSON.parse(await box.inputValue()).employment).toBe('salaried');
    // data/reference.csv's first row (L00001), typed per the signature.
    expect(JSON.parse(await box.inputValue())).toEqual({
      age: 27,
      income: 1980,
      amount: 5250,
      term: 24,
      employment: 'salaried',
      region: 'south',
      credit_history_years: 2,
      previous_defaults: 0,
    });
    expect(await tryIt.textContent()).toContain('the reference of monitor loan-weekly');
    expect(await box.getAttribute('class')).toContain('field-input');
    await expectSharedFields(panel(), 2);

    await tryIt.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => tryIt.getByLabel('Answer').textContent()).toContain('HTTP 200');
    expect(await tryIt.getByLabel('Answer').textContent()).toContain('probability');

    await tryIt.scrollIntoViewIfNeeded();
    await shot(page, 'try-it-1024-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'try-it-1024-dark');
    await page.setViewportSize({ width: 1440, height: 900 });
    await tryIt.scrollIntoViewIfNeeded();
    await shot(page, 'try-it-1440-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'try-it-1440-light');
    await page.setViewportSize({ width: 1024, height: 768 });

    await panel().getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => panel().getByRole('button', { name: 'Deploy' }).count()).toBe(1);
    expect(session.errors).toEqual([]);
  });

  it('the alias dialog and the project switcher use the shared field', async () => {
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name: 'loan-default' }).click();
    await page.getByRole('button', { name: 'Set alias…' }).click();
    const alias = page.getByRole('dialog', { name: 'Set an alias of loan-default' });
    await expect.poll(() => alias.count()).toBe(1);
    await expectSharedFields(alias, 3);
    await alias.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => alias.count()).toBe(0);

    await page.getByRole('button', { name: /Benchtop demo/ }).click();
    const switcher = page.getByRole('dialog', { name: 'Switch project' });
    await expect.poll(() => switcher.count()).toBe(1);
    await expectSharedFields(switcher, 1);
    await page.keyboard.press('Escape');
    await expect.poll(() => switcher.count()).toBe(0);
    expect(session.errors).toEqual([]);
  });
});
