// Test projects: unit (pure and core modules), integration (real SQLite, git, child processes and
// the HTTP server), e2e (the built app in Debian's Chromium; Electron where its binary exists).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Every test process gets a home of its own: HOME, the XDG folders, Benchtop's data folder and
// git's global config all point into one temporary root (BENCHTOP_TEST_HOME, removed by the global
// setup's teardown), so `npm test` never writes to the real user's ~/.config/Benchtop (recent
// projects, the demo project) or reads their git settings.
function testHomeEnv(): Record<string, string> {
  // The config may load more than once in one run (projects extend it): one root for all.
  const existing = process.env.BENCHTOP_TEST_HOME;
  const root = existing ?? mkdtempSync(path.join(os.tmpdir(), 'benchtop-test-home-'));
  const home = path.join(root, 'home');
  const gitconfig = path.join(home, '.gitconfig');
  if (!existing) {
    for (const d of ['.config', '.cache', '.local/share', 'benchtop-data'])
      mkdirSync(path.join(home, d), { recursive: true });
    // Tests commit with git: an identity of their own, not the developer's.
    writeFileSync(
      gitconfig,
      '[user]\n\tname = Benchtop Test\n\temail = test@benchtop.invalid\n[init]\n\tdefaultBranch = main\n',
    );
  }
  const env: Record<string, string> = {
    BENCHTOP_TEST_HOME: root,
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

// Without Chromium the browser suites cannot start: a stand-in reports each of them skipped, with
// the reason and `npm run setup:test`, instead of a launch error per suite.
const e2eSuites = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
  ? ['test/e2e/**/*.test.ts']
  : ['test/e2e/electron.test.ts', 'test/e2e/chromium-missing.ts'];

export default defineConfig({
  test: {
    // A temporary home for every test process: tests never touch the real user's files.
    env: testHomeEnv(),
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: e2eSuites,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // A page waits on real work (a project switch re-reads every file's summary): on a busy
          // 2-core machine that can take longer than expect.poll's default second.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
