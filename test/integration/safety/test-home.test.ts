// Runs in: tests. Case 20: `npm test` must not write to the real user's Benchtop folder; every test
// process runs with a temporary home.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../electron/core/workspace/user-data';
import { runCli, startUi, tmpDir } from '../../support/helpers';

/** The real user's folder, found from the password database rather than from HOME. */
const realDataDir = path.join(os.userInfo().homedir, '.config', 'Benchtop');
const realRecent = path.join(realDataDir, 'recent-projects.json');

function recentText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function under(child: string, parent: string | undefined): boolean {
  if (!parent) return false;
  const rel = path.relative(parent, child);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

describe('safety: the tests use a home of their own', () => {
  it('case 20: HOME, the XDG folders, the user data folder and git config point into a temporary root', () => {
    const root = process.env.BENCHTOP_TEST_HOME;
    expect(root, 'BENCHTOP_TEST_HOME is set by the vitest config').toBeTruthy();
    expect(under(os.homedir(), root)).toBe(true);
    expect(under(defaultDataDir(), root)).toBe(true);
    expect(under(process.env.XDG_CONFIG_HOME ?? '', root)).toBe(true);
    expect(under(process.env.GIT_CONFIG_GLOBAL ?? '', root)).toBe(true);
    expect(under(realDataDir, root)).toBe(false);
  });

  it('case 20: opening a project with no data-folder override leaves the real ~/.config/Benchtop alone', async () => {
    const cwd = tmpDir();
    expect(runCli(['init'], { cwd }).code).toBe(0);
    // No BENCHTOP_DATA_DIR here: the test process's own environment decides where the list goes.
    const ui = await startUi([], { cwd });
    await ui.stop();
    // By content, not by time: other checkouts on this machine may run their own tests meanwhile.
    expect(recentText(realRecent)).not.toContain(cwd);
    expect(recentText(path.join(defaultDataDir(), 'recent-projects.json'))).toContain(cwd);
  });
});
