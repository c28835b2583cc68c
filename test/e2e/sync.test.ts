// End to end: the top bar's sync control on a project whose git repository has a bare `origin`.
// Before the first push it shows records to push; Push sends them (progress, then a toast, ↑0); a
// second clone made with the CLI pushes a run of its own; Check shows ↓1; Pull brings the run into
// Experiments. Looked at in 1024×768 and 1440×900. Then a project without a git remote says so
// quietly, with the hint in its panel and no error toast.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const session = browserSession();
let page: Page;
let dir: string;
let origin: string;
let clone: string;
/** The run made here before the first push (renamed on both sides later, for a conflict). */
let firstHere: string;

/** git with the suite's own identity (the test home's .gitconfig has one too; this does not rely on it). */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Sync Test',
      GIT_AUTHOR_EMAIL: 'sync@benchtop.invalid',
      GIT_COMMITTER_NAME: 'Sync Test',
      GIT_COMMITTER_EMAIL: 'sync@benchtop.invalid',
    },
  });
}

function cli(cwd: string, ...args: string[]): string {
  const r = runCli(args, { cwd });
  expect(r.code, `benchtop ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A tracked run made with the line protocol (docs/tracking.md); returns its id. */
function exec(cwd: string, name: string, loss: number): string {
  const line = `::benchtop:: ${JSON.stringify({ type: 'metric', key: 'loss', value: loss })}`;
  const out = cli(cwd, 'exec', '--name', name, '--', process.execPath, '-e', `console.log(${JSON.stringify(line)})`);
  return /Run (\S+) succeeded/.exec(out)![1]!;
}

const control = (): Locator => page.getByRole('group', { name: 'Sync with the git remote' });
const standing = (): Locator =>
  control()
    .getByRole('button', { name: /^⇅|origin|No git remote/ })
    .first();
const counts = (): Promise<string | null> => control().locator('.sync-counts').textContent();
const toast = (title: string): Locator => page.locator('.toast').filter({ hasText: title });

/**
 * A push or pull on a local bare repository is over in a moment: whether the buttons were disabled
 * with a progress line while it ran is noted by an observer on the control, read after.
 */
async function watchBusy(): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { sawBusy: boolean };
    w.sawBusy = false;
    const group = document.querySelector('[aria-label="Sync with the git remote"]')!;
    new MutationObserver(() => {
      const buttons = [...group.querySelectorAll('button')].filter((b) => ['Pull', 'Push'].includes(b.textContent!));
      if (buttons.length === 2 && buttons.every((b) => b.disabled) && group.querySelector('.sync-progress'))
        w.sawBusy = true;
    }).observe(group, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

const sawBusy = (): Promise<boolean> => page.evaluate(() => (window as unknown as { sawBusy: boolean }).sawBusy);

async function dismissToasts(): Promise<void> {
  const buttons = page.locator('.toast').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

async function openSection(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: label }).click();
  await expect.poll(() => page.locator('#section-title').textContent()).toBe(label);
}

beforeAll(async () => {
  const root = tmpDir();
  dir = path.join(root, 'here');
  origin = path.join(root, 'origin.git');
  clone = path.join(root, 'there');
  cli(root, 'init', '--dir', dir);
  firstHere = exec(dir, 'first-here', 0.9);
  git(root, 'init', '--quiet', '--bare', origin);
  const branch = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
  git(origin, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
  git(dir, 'remote', 'add', 'origin', origin);
  // The project's commits go the usual way, so a clone has the project; its records go with Push.
  git(dir, 'push', '--quiet', 'origin', branch);
  ({ page } = await session.open(dir, { width: 1024, height: 768 }));
});

describe('sync control (browser)', () => {
  it('shows the records to push before the first push, with words for screen readers', async () => {
    await expect.poll(() => control().count()).toBe(1);
    await expect.poll(counts).toMatch(/^↑[1-9]\d* ?↓0/);
    const name = await standing().textContent();
    expect(name).toContain('origin');
    expect(name).toMatch(/record commits? to push, 0 to pull from origin/);
    expect(await standing().getAttribute('title')).toMatch(/^\d+ record commits? to push, 0 to pull from origin/);
    for (const label of ['Pull', 'Push', 'Check origin for new records'])
      expect(await control().getByRole('button', { name: label, exact: true }).isEnabled()).toBe(true);
    await shot(page, 'sync-before-push-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'sync-before-push-1440');
    await page.setViewportSize({ width: 1024, height: 768 });
  });

  it('pushes: buttons disabled while it runs, a toast when done, then ↑0', async () => {
    await watchBusy();
    await control().getByRole('button', { name: 'Push', exact: true }).click();
    await expect.poll(() => toast('Pushed to origin').count()).toBe(1);
    expect(await toast('Pushed to origin').textContent()).toMatch(/\d+ records? on origin/);
    await expect.poll(counts).toMatch(/^↑0 ?↓0/);
    expect(await sawBusy()).toBe(true);
    expect(await control().getByRole('button', { name: 'Push', exact: true }).isEnabled()).toBe(true);
    expect(git(dir, 'ls-remote', origin, 'refs/benchtop/records')).toContain('refs/benchtop/records');
    await toast('Pushed to origin').getByRole('button', { name: 'Dismiss' }).click();
  });

  it('Check shows what another clone pushed; Pull brings its run into Experiments', async () => {
    git(path.dirname(clone), 'clone', '--quiet', origin, clone);
    cli(clone, 'pull');
    const there = exec(clone, 'made-there', 0.25);
    cli(clone, 'push');
    expect(there).toMatch(/^run-/);

    await control().getByRole('button', { name: 'Check origin for new records', exact: true }).click();
    await expect.poll(counts).toMatch(/↓1/);
    expect(await standing().getAttribute('title')).toMatch(/to push, 1 to pull from origin/);
    await shot(page, 'sync-behind-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'sync-behind-1440');
    await page.setViewportSize({ width: 1024, height: 768 });

    await openSection('Experiments');
    const runs = page.getByRole('grid', { name: 'Runs' });
    await expect.poll(() => runs.locator('.run-name').allTextContents()).toEqual(['first-here']);

    await watchBusy();
    await control().getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => toast('Pulled from origin').count()).toBe(1);
    expect(await toast('Pulled from origin').textContent()).toContain('1 run');
    expect(await sawBusy()).toBe(true);
    await expect.poll(counts).toMatch(/↓0/);
    await expect
      .poll(() => runs.locator('.run-name').allTextContents())
      .toEqual(expect.arrayContaining(['first-here', 'made-there']));
    await shot(page, 'sync-pulled-1024');

    // The panel tells the whole story: where it stands, the data remote, the last pull.
    await standing().click();
    const panel = page.getByRole('dialog', { name: 'Sync' });
    await expect.poll(() => panel.count()).toBe(1);
    expect(await panel.textContent()).toContain('Last pull');
    expect(await panel.textContent()).toContain('No conflicts.');
    expect(await panel.textContent()).toContain('No data remote');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'sync-panel-1440');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    await page.setViewportSize({ width: 1024, height: 768 });
    await dismissToasts();
  });

  it('a push refused for records it lacks says to pull first; the pull lists the conflict in full', async () => {
    // Both clones rename the same run: there first (pushed), then here (with the CLI, app open).
    cli(clone, 'runs', 'rename', firstHere, 'renamed-there');
    cli(clone, 'push');
    cli(dir, 'runs', 'rename', firstHere, 'renamed-here');

    await control().getByRole('button', { name: 'Push', exact: true }).click();
    const refused = toast('Push refused: pull first');
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.textContent()).toContain('origin has records this clone does not have yet');
    expect(await refused.textContent()).toContain('Pull first');
    // The refusal is a look at the remote: the control shows what is there to pull.
    await expect.poll(counts).toMatch(/^↑1 ?↓1/);
    await shot(page, 'sync-push-refused-1024');

    await refused.getByRole('button', { name: 'Pull now' }).click();
    const pulled = toast('Pulled from origin');
    await expect.poll(() => pulled.count()).toBe(1);
    expect(await pulled.textContent()).toContain('Merged');
    expect(await pulled.textContent()).toContain('1 conflict resolved');
    await pulled.getByRole('button', { name: 'Show details' }).click();
    const panel = page.getByRole('dialog', { name: 'Sync' });
    const conflicts = panel.getByRole('list', { name: 'Conflicts' });
    await expect
      .poll(() => conflicts.locator('li').allTextContents())
      .toEqual([`run ${firstHere}: both sides changed name; kept "renamed-there".`]);
    await shot(page, 'sync-conflicts-1024');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    const runs = page.getByRole('grid', { name: 'Runs' });
    await expect.poll(() => runs.locator('.run-name').allTextContents()).toContain('renamed-there');

    // The merge is pushed like any other record commit.
    await control().getByRole('button', { name: 'Push', exact: true }).click();
    await expect.poll(() => toast('Pushed to origin').count()).toBe(1);
    await expect.poll(counts).toMatch(/^↑0 ?↓0/);
    await dismissToasts();
  });

  it('a project without a git remote says so quietly, with the hint in its panel', async () => {
    const alone = path.join(tmpDir(), 'alone');
    cli(path.dirname(alone), 'init', '--dir', alone);
    // The session's server serves one project at a time: this one opens through the project switcher.
    await page.keyboard.press('Alt+o');
    const dialog = page.getByRole('dialog', { name: 'Switch project' });
    await dialog.getByLabel('Project folder').fill(alone);
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.statusbar').textContent()).toContain(alone);
    await expect.poll(() => control().textContent()).toBe('No git remote');
    expect(await control().getByRole('button', { name: 'Push' }).count()).toBe(0);
    expect(await control().getByRole('button', { name: 'Pull' }).count()).toBe(0);
    await control().getByRole('button', { name: 'No git remote' }).click();
    const panel = page.getByRole('dialog', { name: 'Sync' });
    await expect.poll(() => panel.textContent()).toContain('git remote add origin URL');
    expect(await panel.textContent()).toContain('has no remote');
    await shot(page, 'sync-no-remote-1024');
    await page.keyboard.press('Escape');
    expect(await page.locator('.toast-error').count()).toBe(0);
  });

  it('raised no page errors but the refused push', () => {
    // The browser logs the 409 answer to the push that was refused; nothing else went wrong.
    expect(session.errors).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
  });
});
