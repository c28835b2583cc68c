// Runs in: tests (vitest's main process, when the config loads). Every test process gets a home of
// its own: HOME, the XDG folders, Benchtop's data folder and git's global config all point into one
// temporary root, so `npm test` never writes to the real user's ~/.config/Benchtop (recent
// projects, the demo project) or reads their git settings.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Set on every test process; safety tests read it to check where writes go. */
export const TEST_HOME_VAR = 'BENCHTOP_TEST_HOME';

export function testHomeEnv(): Record<string, string> {
  // The config may load more than once in one run (projects extend it): one root for all.
  const existing = process.env[TEST_HOME_VAR];
  const root = existing ?? mkdtempSync(path.join(os.tmpdir(), 'benchtop-test-home-'));
  const home = path.join(root, 'home');
  const gitconfig = path.join(home, '.gitconfig');
  if (!existing) {
    for (const d of ['.config', '.cache', '.local/share', 'benchtop-data']) mkdirSync(path.join(home, d), { recursive: true });
    // Tests commit with git: an identity of their own, not the developer's.
    writeFileSync(gitconfig, '[user]\n\tname = Benchtop Test\n\temail = test@benchtop.invalid\n[init]\n\tdefaultBranch = main\n');
  }
  const env: Record<string, string> = {
    [TEST_HOME_VAR]: root,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    BENCHTOP_DATA_DIR: path.join(home, 'benchtop-data'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  // Tools found through the real home (pyenv's shims) keep working with the new HOME.
  const realPyenv = path.join(os.userInfo().homedir, '.pyenv');
  if (!process.env.PYENV_ROOT) env.PYENV_ROOT = realPyenv;
  // Set here as well as in test.env: global setup and the reporters run in this process.
  Object.assign(process.env, env);
  return env;
}
