import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tmpDir } from '../support/helpers';

const electronInstalled = (() => {
  const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  return existsSync(pathFile) && existsSync(path.join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()));
})();

describe("install without Electron's binary", () => {
  it('postinstall carries on, in one plain line, when the download fails', (ctx) => {
    if (electronInstalled) ctx.skip("Electron's binary is installed here, so the download cannot fail");
    // An unreachable loopback mirror makes the download fail at once, as on an offline machine.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'postinstall.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '', ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: tmpDir() },
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      "benchtop: Electron's binary could not be downloaded, so the desktop window is unavailable; `npm start` will use browser mode instead.",
    ]);
  });

  it('npm start says so and starts browser mode instead', async (ctx) => {
    if (electronInstalled) ctx.skip("Electron's binary is installed here, so npm start opens the desktop app");
    const dir = path.join(tmpDir(), 'p');
    runCli(['init', '--dir', dir]);
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--no-open', '--port', '0', '--dir', dir], {
      cwd: ROOT,
      env: { ...process.env, BENCHTOP_DATA_DIR: tmpDir() },
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL:\n${out}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(out.split('\n')[0]).toBe("benchtop: Electron's binary is not installed, so the desktop window is unavailable; starting browser mode instead.");
    expect(url).toMatch(/token=/);
  });
});
