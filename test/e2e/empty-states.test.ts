// End to end: a fresh, empty project. Each section's empty state has a button that does the first
// step: the ones the app can do open their dialog (Track a file, Register a model, Add a monitor),
// the one only a terminal can do copies its command. Every text field, text box and select in those
// dialogs is the shared field (class `field-input`). Screenshots of a dialog at both window sizes,
// light and dark.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const session = browserSession();
let page: Page;

async function openSection(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: label }).click();
  await expect.poll(() => page.locator('#section-title').textContent()).toBe(label);
}

const dialog = (name: string): Locator => page.getByRole('dialog', { name });

/** The classes of every visible text field, text box and select in `box` (checkboxes and radios are not fields). */
async function fieldClasses(box: Locator): Promise<string[]> {
  return box
    .locator('input:not([type=checkbox]):not([type=radio]):visible, textarea:visible, select:visible')
    .evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
}

async function expectSharedFields(box: Locator, atLeast: number): Promise<void> {
  const classes = await fieldClasses(box);
  expect(classes.length).toBeGreaterThanOrEqual(atLeast);
  for (const c of classes) expect(c).toMatch(/\.(.* )?field-input( |$)/);
}

beforeAll(async () => {
  const dir = path.join(tmpDir(), 'empty');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  // Outside data/, so the Data view still shows its empty state, and trackable from its dialog.
  writeFileSync(path.join(dir, 'raw.csv'), 'a,b\n1,2\n');
  let context: Awaited<ReturnType<typeof session.open>>['context'];
  ({ page, context } = await session.open(dir, { width: 1024, height: 768 }));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

describe('empty states on a new project', () => {
  it('Experiments: copies the command that records a first run', async () => {
    await openSection('Experiments');
    const empty = page.getByRole('status').filter({ hasText: 'No experiments yet' });
    await expect.poll(() => empty.count()).toBe(1);
    await empty.getByRole('button', { name: 'Copy command' }).click();
    await expect.poll(() => page.locator('.toast').filter({ hasText: 'Copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('benchtop exec -- python3 train.py');
    expect(await empty.getByRole('button', { name: 'Open Pipelines' }).count()).toBe(1);
  });

  it('Data: Track a file opens its dialog, which tracks the file', async () => {
    await openSection('Data');
    const empty = page.getByRole('status').filter({ hasText: 'No data files yet' });
    await empty.getByRole('button', { name: 'Track a file' }).click();
    const box = dialog('Track a file');
    await expect.poll(() => box.count()).toBe(1);
    await expectSharedFields(box, 1);
    // A refusal is shown under the field, which names it.
    await box.getByLabel('File or folder').fill('missing.csv');
    await box.getByRole('button', { name: 'Track', exact: true }).click();
    await expect.poll(() => box.getByRole('alert').count()).toBe(1);
    const field = box.getByLabel('File or folder');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain(await box.getByRole('alert').getAttribute('id'));
    await shot(page, 'empty-track-dialog-1024-light');
    await field.fill('raw.csv');
    await box.getByRole('button', { name: 'Track', exact: true }).click();
    await expect.poll(() => box.count()).toBe(0);
    await expect.poll(() => page.getByRole('region', { name: 'Tracked datasets' }).textContent()).toContain('raw.csv');
  });

  it('Models: Register a model opens the register dialog', async () => {
    await openSection('Models');
    const empty = page.getByRole('status').filter({ hasText: 'No registered models yet' });
    await empty.getByRole('button', { name: 'Register a model' }).click();
    const box = dialog('Register a model');
    await expect.poll(() => box.count()).toBe(1);
    await expectSharedFields(box, 5);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'dialog-register-1024-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await box.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => box.count()).toBe(0);
    expect(await empty.getByRole('button', { name: 'Copy command' }).count()).toBe(1);
  });

  it('Monitoring: Add a monitor opens the monitor dialog', async () => {
    await openSection('Monitoring');
    const empty = page.getByRole('status').filter({ hasText: 'No monitors yet' });
    await empty.getByRole('button', { name: 'Add a monitor' }).click();
    const box = dialog('Add a monitor');
    await expect.poll(() => box.count()).toBe(1);
    await expectSharedFields(box, 6);
    await shot(page, 'dialog-add-monitor-1024-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'dialog-add-monitor-1024-dark');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'dialog-add-monitor-1440-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'dialog-add-monitor-1440-light');
    await page.setViewportSize({ width: 1024, height: 768 });
    await box.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => box.count()).toBe(0);
  });

  it('Reports: New drift report opens the drift report page', async () => {
    await openSection('Reports');
    const empty = page.getByRole('status').filter({ hasText: 'No reports yet' });
    await empty.getByRole('button', { name: 'New drift report' }).click();
    await expect.poll(() => page.locator('#section-title').textContent()).toBe('Monitoring');
    // The one failed request is the refused missing.csv above.
    expect(session.errors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });
});
