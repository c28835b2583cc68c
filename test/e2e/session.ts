// Runs in: tests (Node, the e2e project). One suite's app in browser mode: `benchtop ui` on the
// suite's project, Chromium, and the app open in a page whose errors are collected, all closed after
// the suite, so that each test file says only how its project is made and what it checks.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { ROOT, startUi, tmpDir, type UiProcess } from '../support/helpers';
import { launchChromium, openApp } from './browser';

/** Where the e2e suites write their screenshots (the README shows some of them). */
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

/**
 * Writes the page as `name`.png under SHOTS. A section scrolls inside the window, so a long page is
 * captured in a window `tallHeight` pixels tall, then put back to the size it had.
 */
export async function shot(page: Page, name: string, options: { tallHeight?: number } = {}): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  if (options.tallHeight) await page.setViewportSize({ width: size.width, height: options.tallHeight });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  if (options.tallHeight) await page.setViewportSize(size);
}

export interface OpenedApp {
  ui: UiProcess;
  context: BrowserContext;
  page: Page;
}

export interface BrowserSession {
  /** Errors of the suite's pages: `open` collects page errors and console errors here. */
  readonly errors: string[];
  /** Starts `benchtop ui` on the project, with a user data folder of its own. */
  serve(projectDir: string): Promise<UiProcess>;
  /** A fresh Chromium context, closed after the suite. */
  launch(options?: { colorScheme?: 'light' | 'dark' }): Promise<BrowserContext>;
  /** `serve`, `launch`, then the app open in a page of that context (see openApp). */
  open(projectDir: string, viewport?: { width: number; height: number }): Promise<OpenedApp>;
}

/**
 * Called once at the top of a test file: it registers the afterAll that closes every context the
 * session launched and then stops the server, whether or not the suite's beforeAll got that far.
 */
export function browserSession(): BrowserSession {
  const contexts: BrowserContext[] = [];
  let server: UiProcess | undefined;
  afterAll(async () => {
    try {
      for (const context of contexts) await context.close();
    } finally {
      await server?.stop();
    }
  });
  const session: BrowserSession = {
    errors: [],
    async serve(projectDir) {
      if (server) throw new Error('a browser session serves one project; this one already serves one');
      mkdirSync(SHOTS, { recursive: true });
      // Its own data folder, so the user's recent projects and demo never show in a suite.
      server = await startUi(['--dir', projectDir], { env: { BENCHTOP_DATA_DIR: tmpDir() } });
      return server;
    },
    async launch(options = {}) {
      const context = await launchChromium(options);
      contexts.push(context);
      return context;
    },
    async open(projectDir, viewport) {
      const ui = await session.serve(projectDir);
      const context = await session.launch();
      const page = await openApp(context, ui.url, session.errors, viewport);
      return { ui, context, page };
    },
  };
  return session;
}
