// Test projects: unit (pure and core modules), integration (real SQLite, git, child processes and
// the HTTP server), e2e (the built app in Debian's Chromium; Electron where its binary exists).
import { defineConfig } from 'vitest/config';
import { testHomeEnv } from './test/support/test-home';

export default defineConfig({
  test: {
    // A temporary home for every test process: tests never touch the real user's files.
    env: testHomeEnv(),
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
