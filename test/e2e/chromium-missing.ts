// Runs in: tests (Node, the e2e project). Stands in for the browser suites when Chromium is not
// installed (vitest.config.mts includes it instead of them): each suite is reported skipped, with
// the reason and the command that installs what it needs, rather than failing at launch.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from '../support/helpers';
import { CHROMIUM } from './browser';

const suites = readdirSync(path.join(ROOT, 'test', 'e2e')).filter(
  (f) => f.endsWith('.test.ts') && f !== 'electron.test.ts',
);

describe('the app in Chromium (browser mode)', () => {
  for (const suite of suites)
    it(suite, (ctx) => {
      ctx.skip(`Chromium was not found at ${CHROMIUM}; install it with \`npm run setup:test\` (or set CHROMIUM_PATH)`);
    });
});
