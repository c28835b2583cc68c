// End to end in the real desktop window, where Electron's binary exists. Elsewhere (machines that
// cannot download it) this is reported as skipped with the reason; browser mode covers the UI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract/names';
import { ROOT, tmpDir } from '../support/helpers';

function electronBinary(): string | null {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function whyNot(): string | null {
  if (!electronBinary())
    return "Electron's binary is not installed here (its download is not reachable from this machine)";
  if (process.platform === 'linux' && !process.env.DISPLAY)
    return 'no display: run the tests under xvfb-run to include the desktop window';
  return null;
}

describe('the desktop app (Electron)', () => {
  it('opens a sandboxed, isolated window on the demo project and walks every section', async (ctx) => {
    const reason = whyNot();
    if (reason) ctx.skip(reason);
    const native = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'native-electron.mjs')], {
      stdio: 'inherit',
    });
    expect(native.status, 'better-sqlite3 built for Electron').toBe(0);

    const app = await electron.launch({
      executablePath: electronBinary()!,
      args: [path.join(ROOT, 'dist', 'main.cjs')],
      env: { ...process.env, BENCHTOP_DATA_DIR: tmpDir() },
    });
    try {
      const win = await app.firstWindow();
      // The page writes its landing view's route into the fragment once it starts.
      expect(win.url()).toMatch(/^app:\/\/benchtop\/index\.html(#\/overview)?$/);
      // No Node in the page, only the contract bridge.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(
        await win.evaluate(() => Object.keys((window as unknown as { benchtop: object }).benchtop).sort()),
      ).toEqual(['methods', 'onEvent']);
      // One function per contract method, nothing else.
      expect(
        await win.evaluate(() =>
          Object.keys((window as unknown as { benchtop: { methods: object } }).benchtop.methods).sort(),
        ),
      ).toEqual([...METHOD_NAMES].sort());
      // New windows are denied.
      expect(await win.evaluate(() => window.open('https://example.org/') === null)).toBe(true);
      expect(app.windows()).toHaveLength(1);
      await expect.poll(() => win.getByRole('button', { name: /Benchtop demo/ }).count()).toBe(1);
      for (const label of ['Overview', 'Experiments', 'Data', 'Pipelines', 'Models', 'Monitoring', 'Reports']) {
        await win.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: label }).click();
        await expect.poll(() => win.locator('#section-title').textContent()).toBe(label);
        // Hash routes work on the app:// page: each section has its URL.
        expect(new URL(win.url()).hash).toBe(`#/${label.toLowerCase()}`);
        await win.screenshot({
          path: path.join(ROOT, 'test-results', 'screenshots', `electron-${label.toLowerCase()}.png`),
        });
      }
      // Navigation away from the app is refused.
      await win.evaluate(() => {
        window.location.href = 'https://example.org/';
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(win.url().startsWith('app://benchtop/')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
