// End to end: a page opened without the token, or from another origin, gets nothing.
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir, type UiProcess } from '../support/helpers';
import { launchChromium } from './browser';
import { browserSession } from './session';

const session = browserSession();
let ui: UiProcess;
let evil: Server;
let evilPort = 0;

beforeAll(async () => {
  const dir = path.join(tmpDir(), 'p');
  runCli(['init', '--demo', '--dir', dir]);
  ui = await session.serve(dir);
  // Another local site the user might visit, trying to call Benchtop with a stolen-looking token.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilPort = (evil.address() as AddressInfo).port;
});

afterAll(() => {
  evil?.close();
});

describe('browser mode locks', () => {
  it('a page opened without the token shows that the token was rejected', async () => {
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(`${ui.origin}/`);
      await expect.poll(() => page.locator('.statusbar').textContent()).toContain('token rejected');
      await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });

  it('a script on another origin cannot call the contract, even holding the token', async () => {
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${evilPort}/`);
      const outcome = await page.evaluate(
        async ({ origin, token }) => {
          try {
            const r = await fetch(`${origin}/api/project.current`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
              body: '{}',
            });
            return `status ${r.status}`;
          } catch (e) {
            return `blocked: ${String(e)}`;
          }
        },
        { origin: ui.origin, token: ui.token },
      );
      expect(outcome).toMatch(/^blocked/);
    } finally {
      await context.close();
    }
  });
});
