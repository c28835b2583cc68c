import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tmpDir } from '../support/helpers';

const electronInstalled = (() => {
  const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  return (
    existsSync(pathFile) &&
    existsSync(path.join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()))
  );
})();

describe("install without Electron's binary", () => {
  it('postinstall carries on, in one plain line, when the download fails', (ctx) => {
    if (electronInstalled) ctx.skip("Electron's binary is installed here, so the download cannot fail");
    // An unreachable loopback mirror makes the download fail at once, as on an offline machine.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'postinstall.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '',
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: tmpDir(),
      },
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
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts', 'start.mjs'), '--no-open', '--port', '0', '--dir', dir],
      {
        cwd: ROOT,
        env: { ...process.env, BENCHTOP_DATA_DIR: tmpDir() },
      },
    );
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
    expect(out.split('\n')[0]).toBe(
      "benchtop: Electron's binary is not installed, so the desktop window is unavailable; starting browser mode instead.",
    );
    expect(url).toMatch(/token=/);
  });
});

describe('benchtop on the PATH', () => {
  it('`npm link` from the checkout gives a `benchtop` that works in an unrelated folder', () => {
    // A private npm prefix, cache and home: the test must not touch the real global bin or ~/.npm.
    const prefix = tmpDir();
    const home = tmpDir();
    const env = {
      ...process.env,
      HOME: home,
      npm_config_prefix: prefix,
      npm_config_cache: path.join(home, '.npm'),
      npm_config_update_notifier: 'false',
    };
    // --ignore-scripts: the checkout is already built (npm test builds first); linking must not rebuild it.
    const link = spawnSync('npm', ['link', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(link.status, link.stderr).toBe(0);
    const bin = path.join(prefix, 'bin');
    const elsewhere = tmpDir();
    const run = (...args: string[]) =>
      spawnSync('benchtop', args, {
        cwd: elsewhere,
        env: { ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, BENCHTOP_DATA_DIR: path.join(home, 'data') },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const version = run('--version');
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(run('init', '--dir', 'mine').status).toBe(0);
    const status = spawnSync('benchtop', ['status'], {
      cwd: path.join(elsewhere, 'mine'),
      env: { ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain(`(${path.join(elsewhere, 'mine')})`);
  });
});
