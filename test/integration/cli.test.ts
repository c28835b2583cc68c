import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/database';
import { git, runCli, startUi, tmpDir } from '../support/helpers';

const env = () => ({ BENCHTOP_DATA_DIR: tmpDir() });

describe('benchtop CLI', () => {
  it('has --help on every command and --version', () => {
    for (const args of [['--help'], ['init', '--help'], ['ui', '--help'], ['status', '--help']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: benchtop/);
      expect(r.stdout).toContain('--dir');
      expect(r.stdout).toContain('--json');
    }
    const v = runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on usage errors, with the problem on stderr', () => {
    for (const args of [
      ['--bogus'],
      ['frobnicate'],
      ['ui', '--port', 'eighty'],
      ['ui', '--port', '70000'],
      ['init', '--dir'],
    ]) {
      const r = runCli(args, { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^benchtop: /);
      expect(r.stdout).toBe('');
    }
  });

  it('exits 1 on failure with one clear sentence on stderr', () => {
    const r = runCli(['status', '--dir', path.join(tmpDir(), 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^benchtop: The folder .* does not exist\. .*benchtop init.*\n$/);
    const notProject = runCli(['status'], { cwd: tmpDir() });
    expect(notProject.code).toBe(1);
    expect(notProject.stderr).toContain('is not a Benchtop project');
  });

  it('init --demo makes a project the git CLI reads, at the current schema; --json is machine-readable', () => {
    const dir = path.join(tmpDir(), 'p');
    const r = runCli(['init', '--demo', '--dir', dir, '--json'], { env: env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { path: string; schemaVersion: number; created: boolean; commit: string };
    expect(out).toMatchObject({ path: dir, schemaVersion: SCHEMA_VERSION, created: true, isDemo: true });
    expect(git(dir, 'log', '--format=%H').trim()).toBe(out.commit);
    expect(existsSync(path.join(dir, '.benchtop', 'benchtop.db'))).toBe(true);
    const status = runCli(['status', '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      counts: { experiments: 0, runs: 0 },
    });
    const again = runCli(['init', '--dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already a Benchtop project');
  });

  it('status finds the project from a subfolder, like every other command', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir], { env: env() }).code).toBe(0);
    const sub = path.join(dir, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const r = runCli(['status', '--json'], { cwd: sub });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: dir, schemaVersion: SCHEMA_VERSION });
  });

  it('refuses to open a database written by a newer Benchtop', async () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    const { default: Db } = await import('better-sqlite3');
    const db = new Db(path.join(dir, '.benchtop', 'benchtop.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const r = runCli(['status', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /written by a newer Benchtop .* left untouched\. Open this project with the newer Benchtop/,
    );
  });

  it('ui --port 0 --no-open prints the URL on a line of its own and stops on SIGTERM', async () => {
    const dir = path.join(tmpDir(), 'p');
    runCli(['init', '--demo', '--dir', dir]);
    const ui = await startUi(['--dir', dir], { env: env() });
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+$/);
    const r = await fetch(`${ui.origin}/api/project.current`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await r.json()).toMatchObject({ ok: true, value: { path: dir } });
    await ui.stop();
    expect(ui.child.exitCode).toBe(0);
  });

  it('ui outside a project opens the default demo project from the user data folder', async () => {
    const dataDir = tmpDir();
    const cwd = tmpDir();
    writeFileSync(path.join(cwd, 'unrelated.txt'), 'x');
    const ui = await startUi([], { cwd, env: { BENCHTOP_DATA_DIR: dataDir } });
    const r = await fetch(`${ui.origin}/api/project.current`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await r.json()).toMatchObject({
      ok: true,
      value: { path: path.join(dataDir, 'projects', 'demo'), isDemo: true },
    });
    await ui.stop();
  });
});
