// End to end: the Data view on a project whose table was tracked, committed, edited and committed
// again: badges, the version timeline, the diff (by content and by key), and a confirmed restore.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { browserSession, SHOTS } from './session';

const V1 = 'id,name,score\n1,ann,0.5\n2,bob,0.7\n3,cy,0.9\n4,dee,0.4\n5,eve,0.6\n6,fay,0.8\n7,gus,0.3\n8,hal,0.2\n';
// Row 2's score and row 3's name change, row 5 goes, row 9 arrives, and a column is added.
const V2 =
  'id,name,score,grade\n1,ann,0.5,B\n2,bob,0.75,A\n3,cyd,0.9,A\n4,dee,0.4,C\n6,fay,0.8,A\n7,gus,0.3,C\n8,hal,0.2,C\n9,ivy,0.95,A\n';

const session = browserSession();
let ui: UiProcess;
let dir: string;

function cli(...args: string[]): string {
  const r = runCli(args, { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function open(colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await session.launch({ colorScheme });
  const page = await context.newPage();
  page.on('pageerror', (e) => session.errors.push(e.message));
  await page.goto(ui.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Data' }).click();
  await expect.poll(() => page.locator('#section-title').textContent()).toBe('Data');
  return page;
}

beforeAll(async () => {
  dir = path.join(tmpDir(), 'versioned');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'data', 'people.csv'), V1);
  cli('data', 'add', 'data/people.csv');
  cli('data', 'commit', '-m', 'First people');
  // A pipeline run reads the first version: the Data view names it as a user of that version.
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    "stages:\n  count:\n    cmd: node -e \"require('fs').writeFileSync('count.txt', '8')\"\n    deps: [data/people.csv]\n    outs: [count.txt]\n",
  );
  cli('run');
  writeFileSync(path.join(dir, 'data', 'people.csv'), V2);
  cli('data', 'add', 'data/people.csv');
  cli('data', 'commit', '-m', 'Grades and fixes');
  writeFileSync(path.join(dir, 'data', 'extra.csv'), 'a,b\n1,2\n');
  remote = path.join(tmpDir(), 'usb');
  cli('data', 'remote', 'add', 'usb', remote);
  // An S3 remote is only listed here: nothing reaches the endpoint until a push or pull.
  cli(
    'data',
    'remote',
    'add',
    'cloud',
    's3://team-data/people',
    '--endpoint',
    'http://127.0.0.1:9',
    '--region',
    'auto',
  );
  ui = await session.serve(dir);
});

let remote = '';

describe('Data view (browser)', () => {
  it('shows the tracked dataset, its versions and the diff, and restores a version after confirmation', async () => {
    const page = await open('light');
    const tracked = page.getByRole('table', { name: 'Tracked datasets' });
    const row = tracked.locator('tr', { hasText: 'data/people.csv' });
    await expect.poll(() => row.locator('.badge-label').allTextContents()).toEqual(['unchanged']);
    expect(await row.textContent()).toContain('8 rows');
    // The content hash the pointer names (the second version's), shortened, in full on hover.
    const pointerHash = () =>
      /^hash: ([0-9a-f]{64})$/m.exec(readFileSync(path.join(dir, 'data', 'people.csv.bt'), 'utf8'))![1]!;
    const v2Hash = pointerHash();
    expect(await row.locator('.content-hash').textContent()).toBe(v2Hash.slice(0, 7));
    expect(await row.locator('.content-hash').getAttribute('title')).toBe(`sha256 ${v2Hash}`);
    // The untracked file can be picked; the tracked one has no checkbox.
    expect(await page.getByRole('checkbox', { name: 'Pick data/extra.csv to track' }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Pick data/people.csv to track' }).count()).toBe(0);

    await row.getByRole('button', { name: 'data/people.csv' }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(3);
    expect(await versions.locator('tbody tr').nth(1).textContent()).toContain('Grades and fixes');
    expect(await versions.locator('tbody tr').nth(2).textContent()).toContain('First people');
    // Lineage: the pipeline run read the first version only.
    await expect.poll(() => versions.locator('tbody tr').nth(2).locator('.data-used-by button').count()).toBe(1);
    expect(await versions.locator('tbody tr').nth(1).locator('.data-used-by button').count()).toBe(0);

    const boxes = versions.getByRole('checkbox');
    await boxes.nth(2).check();
    await boxes.nth(1).check();
    const count = (label: string) =>
      page
        .locator('.diff-counts div')
        .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd')
        .textContent();
    await expect.poll(() => count('Rows')).toBe('8 → 8');
    // By whole-row content an edited row is one removed and one added.
    expect(await count('Added')).toBe('3');
    expect(await count('Removed')).toBe('3');
    expect(await page.getByRole('list', { name: 'Schema changes' }).textContent()).toContain('grade');

    await page.getByRole('combobox').selectOption('id');
    await expect.poll(() => count('Changed')).toBe('2');
    expect(await count('Added')).toBe('1');
    expect(await count('Removed')).toBe('1');
    const changed = page.getByRole('table', { name: 'Changed rows' }).locator('td.cell-changed');
    await expect.poll(() => changed.allTextContents()).toEqual(['0.7 0.75', 'cy cyd']);
    const stats = page.getByRole('table', { name: 'Column statistics' });
    expect(await stats.locator('tr', { hasText: 'score' }).locator('td.shifted').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'data-diff.png') });
    await page.locator('.diff-view').screenshot({ path: path.join(SHOTS, 'data-diff-panel.png') });
    // grade exists only in the second version, so it cannot match rows: the core's reason shows in place.
    await page.getByRole('combobox').selectOption('grade');
    await expect
      .poll(() => page.locator('.diff-view [role=alert]').textContent())
      .toContain('Could not compare these versions');
    expect(await page.getByRole('combobox').count()).toBe(1);

    await versions
      .getByRole('button', { name: /Restore version/ })
      .nth(1)
      .click();
    const dialog = page.getByRole('dialog');
    await expect
      .poll(() => dialog.getByRole('list', { name: 'What will change' }).textContent())
      .toContain('data/people.csv: 8 rows → 8 rows; 1 column changed');
    expect(await dialog.textContent()).toContain('Discard my changes');
    await page.screenshot({ path: path.join(SHOTS, 'data-restore.png') });
    // Restored as a hardlink to the cache object, chosen in the dialog.
    await dialog.getByRole('combobox', { name: 'Files come out of the cache as' }).selectOption('hardlink');
    expect(await dialog.locator('#restore-link-help').textContent()).toContain('read-only');
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => readFileSync(path.join(dir, 'data', 'people.csv'), 'utf8')).toBe(V1);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'linked read-only' }).count())
      .toBeGreaterThan(0);
    const v1Hash = pointerHash();
    const object = statSync(path.join(dir, '.benchtop', 'cache', v1Hash.slice(0, 2), v1Hash.slice(2)));
    const file = statSync(path.join(dir, 'data', 'people.csv'));
    expect([file.ino, file.mode & 0o777]).toEqual([object.ino, 0o444]);
    // The pointer now names the first version again, and is not committed yet.
    await expect.poll(() => row.locator('.badge-label').allTextContents()).toEqual(['unchanged', 'not committed']);
    await expect.poll(() => row.locator('.content-hash').textContent()).toBe(v1Hash.slice(0, 7));
    await expect.poll(() => page.getByRole('textbox', { name: /describe this version/ }).count()).toBe(1);
    // Back to a writable copy before the next test edits the file in place.
    cli('data', 'unlink', 'data/people.csv');
    expect(statSync(path.join(dir, 'data', 'people.csv')).ino).not.toBe(object.ino);
    expect(session.errors).toEqual([]);
  });

  it('refuses to overwrite unsaved changes unless they are discarded, with the hint in a toast', async () => {
    writeFileSync(path.join(dir, 'data', 'people.csv'), `${V1}9,zed,0.1\n`);
    const page = await open('dark');
    const row = page.getByRole('table', { name: 'Tracked datasets' }).locator('tr', { hasText: 'data/people.csv' });
    await expect.poll(() => row.locator('.badge-label').allTextContents()).toEqual(['modified', 'not committed']);
    await row.getByRole('button', { name: 'data/people.csv' }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions
      .getByRole('button', { name: /Restore version/ })
      .first()
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('changes that are not saved in any version');
    expect(readFileSync(path.join(dir, 'data', 'people.csv'), 'utf8')).toBe(`${V1}9,zed,0.1\n`);
    await page.screenshot({ path: path.join(SHOTS, 'data-dark.png'), fullPage: true });

    await versions
      .getByRole('button', { name: /Restore version/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('checkbox', { name: 'Discard my changes' }).check();
    // The object's record would let it be copied unread; asked to, the restore hashes it anyway.
    await dialog.getByRole('checkbox', { name: 'Re-read every byte' }).check();
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => readFileSync(path.join(dir, 'data', 'people.csv'), 'utf8')).toBe(V2);
    await expect.poll(() => page.getByRole('status').filter({ hasText: '1 object hashed' }).count()).toBeGreaterThan(0);
    // The workspace against the first version, in the dark theme.
    await versions.getByRole('checkbox').nth(0).check();
    await versions.getByRole('checkbox').nth(2).check();
    await expect.poll(() => page.locator('.diff-counts').textContent()).toContain('8 → 8');
    await page.locator('.diff-view').screenshot({ path: path.join(SHOTS, 'data-diff-dark.png') });
    expect(session.errors).toEqual([]);
  });

  it('tracks a picked file and commits it as a version', async () => {
    const page = await open('light');
    await page.getByRole('checkbox', { name: 'Pick data/extra.csv to track' }).check();
    await page.getByRole('button', { name: 'Track 1 item' }).click();
    const tracked = page.getByRole('table', { name: 'Tracked datasets' });
    const extra = tracked.locator('tr', { hasText: 'data/extra.csv' });
    await expect.poll(() => extra.locator('.badge-label').allTextContents()).toEqual(['unchanged', 'not committed']);
    expect(readFileSync(path.join(dir, 'data', 'extra.csv.bt'), 'utf8')).toContain('rows: 1');
    await page.screenshot({ path: path.join(SHOTS, 'data-light.png') });
    await page.getByRole('textbox', { name: /describe this version/ }).fill('Add extra');
    await page.getByRole('button', { name: 'Commit' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Committed as' }).textContent())
      .toMatch(/Committed as [0-9a-f]{7}/);
    await expect.poll(() => extra.locator('.badge-label').allTextContents()).toEqual(['unchanged']);
    expect(JSON.parse(runCli(['--json', 'data', 'log', 'data/extra.csv'], { cwd: dir }).stdout)[0].message).toBe(
      'Add extra',
    );
    expect(session.errors).toEqual([]);
  });

  it('lists an S3 remote beside a folder, and pushes the tracked data to the folder, with what was sent', async () => {
    const page = await open('light');
    const remotes = page.getByRole('table', { name: 'Remotes' });
    await expect.poll(() => remotes.locator('tbody tr').count()).toBe(2);
    const cloud = await remotes.locator('tr', { hasText: 'cloud' }).textContent();
    expect(cloud).toContain('S3');
    expect(cloud).toContain('s3://team-data/people');
    expect(cloud).toContain('endpoint http://127.0.0.1:9');
    expect(cloud).toContain('region auto');
    expect(cloud).toContain('checked on use');
    await page.getByRole('button', { name: 'Push to usb' }).click();
    await expect
      .poll(() => page.getByRole('status').or(page.locator('.toast')).filter({ hasText: 'sent' }).count())
      .toBeGreaterThan(0);
    // The object of the current version is on the remote, named by its hash.
    const pointer = readFileSync(path.join(dir, 'data', 'people.csv.bt'), 'utf8');
    const hash = /hash: ([0-9a-f]{64})/.exec(pointer)![1]!;
    expect(readFileSync(path.join(remote, hash.slice(0, 2), hash.slice(2)), 'utf8')).toBe(
      readFileSync(path.join(dir, 'data', 'people.csv'), 'utf8'),
    );
  });
});
