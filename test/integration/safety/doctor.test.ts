// `benchtop doctor`: finds what is damaged in a project, fixes only what loses nothing, and exits 1
// while problems remain. Real projects, the built CLI.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, openCore } from '../../support/core';
import { git, runCli, tmpDir, type CliResult } from '../../support/helpers';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function cli(dir: string, ...args: string[]): CliResult {
  const home = tmpDir('benchtop-home-');
  return runCli(args, {
    cwd: dir,
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), BENCHTOP_DATA_DIR: path.join(home, 'data') },
  });
}

function ok(r: CliResult): CliResult {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

interface Report {
  ok: boolean;
  problems: { area: string; path: string; problem: string; fixable: boolean; fixed: boolean }[];
}

const doctor = (dir: string, ...args: string[]): { code: number | null; report: Report } => {
  const r = cli(dir, '--json', 'doctor', ...args);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};

function project(): string {
  const dir = path.join(tmpDir(), 'p');
  ok(cli(tmpDir(), 'init', '--dir', dir));
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  return dir;
}

describe('safety: benchtop doctor', () => {
  it('doctor: a healthy project is clean, exit 0', () => {
    const dir = project();
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data/a.csv'), 'x\n1\n');
    writeFileSync(path.join(dir, 'data/b.csv'), 'y\n2\n');
    ok(cli(dir, 'data', 'add', 'data'));
    ok(cli(dir, 'data', 'commit', '-m', 'v1'));
    const { code, report } = doctor(dir);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(code).toBe(0);
    expect(ok(cli(dir, 'doctor')).stdout).toMatch(/No problems found/);
  });

  it('doctor: finds a corrupt object and orphan temp files, --fix quarantines and removes them, a pull restores', () => {
    const dir = project();
    const remote = path.join(tmpDir(), 'remote');
    const bytes = Buffer.from('id,v\n1,2\n');
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data/t.csv'), bytes);
    ok(cli(dir, 'data', 'add', 'data/t.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'v1'));
    ok(cli(dir, 'data', 'remote', 'add', 'r', remote, '--default'));
    ok(cli(dir, 'data', 'push'));
    const obj = path.join(dir, '.benchtop/cache', sha(bytes).slice(0, 2), sha(bytes).slice(2));
    writeFileSync(obj, 'id,v\n1,3\n');
    const tmp = path.join(dir, '.benchtop/cache/tmp');
    mkdirSync(tmp, { recursive: true });
    writeFileSync(path.join(tmp, 'killed-add'), Buffer.alloc(4096));
    const old = Date.now() / 1000 - 3 * 24 * 3600;
    utimesSync(path.join(tmp, 'killed-add'), old, old);

    const found = doctor(dir);
    expect(found.code).toBe(1);
    expect(found.report.problems.map((p) => [p.area, p.fixable, p.fixed])).toEqual(
      expect.arrayContaining([
        ['cache', true, false],
        ['temp', true, false],
      ]),
    );
    expect(existsSync(obj)).toBe(true);
    expect(existsSync(path.join(tmp, 'killed-add'))).toBe(true);
    // The human output says what it would do.
    const text = cli(dir, 'doctor');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/would \(with --fix\): move it to \.benchtop\/cache\/quarantine/);

    const fixed = doctor(dir, '--fix');
    expect(fixed.report.problems.filter((p) => p.fixable).every((p) => p.fixed)).toBe(true);
    expect(existsSync(obj)).toBe(false);
    expect(readdirSync(path.join(dir, '.benchtop/cache/quarantine'))).toHaveLength(1);
    expect(existsSync(path.join(tmp, 'killed-add'))).toBe(false);
    // The object is now missing: a problem doctor cannot fix, but a pull can.
    const after = doctor(dir);
    expect(after.code).toBe(1);
    expect(after.report.problems).toEqual([
      expect.objectContaining({ area: 'pointers', path: 'data/t.csv.bt', fixable: false }),
    ]);
    ok(cli(dir, 'data', 'pull'));
    expect(readFileSync(obj).equals(bytes)).toBe(true);
    expect(doctor(dir)).toMatchObject({ code: 0, report: { ok: true } });
  });

  it('doctor: a pointer whose size is wrong is reported (case 16), --quick included', () => {
    const dir = project();
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data/t.csv'), 'a\n1\n');
    ok(cli(dir, 'data', 'add', 'data/t.csv'));
    const pointer = path.join(dir, 'data/t.csv.bt');
    writeFileSync(pointer, readFileSync(pointer, 'utf8').replace(/^size: \d+$/m, 'size: 77'));
    for (const args of [[], ['--quick']]) {
      const { code, report } = doctor(dir, ...args);
      expect(code).toBe(1);
      expect(report.problems).toEqual([
        expect.objectContaining({ area: 'pointers', path: 'data/t.csv.bt', fixable: false }),
      ]);
      expect(report.problems[0]!.problem).toMatch(/size 77/);
    }
  });

  it('doctor: overlapping tracked data left by an older Benchtop is reported (case 6)', () => {
    const dir = project();
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data/customers.csv'), 'id\n1\n');
    ok(cli(dir, 'data', 'add', 'data/customers.csv'));
    const inner = readFileSync(path.join(dir, 'data/customers.csv.bt'));
    ok(cli(dir, 'data', 'untrack', 'data/customers.csv'));
    ok(cli(dir, 'data', 'add', 'data'));
    writeFileSync(path.join(dir, 'data/customers.csv.bt'), inner);
    const { code, report } = doctor(dir);
    expect(code).toBe(1);
    expect(report.problems).toEqual([
      expect.objectContaining({ area: 'pointers', path: 'data/customers.csv.bt', fixable: false }),
    ]);
    expect(report.problems[0]!.problem).toMatch(/inside data/);
  });

  it('doctor: a zero-byte database is reported and left alone (case 15)', () => {
    const dir = project();
    const db = path.join(dir, '.benchtop/benchtop.db');
    writeFileSync(db, '');
    const old = Date.now() / 1000 - 3600;
    utimesSync(db, old, old);
    const { code, report } = doctor(dir, '--fix');
    expect(code).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ area: 'database', fixable: false, fixed: false })]);
    expect(report.problems[0]!.problem).toMatch(/empty/);
    expect(readFileSync(db).length).toBe(0);
  });

  it('doctor: the project.doctor contract method reports and fixes like the CLI', async () => {
    const { core, dir } = await openCore();
    try {
      expect(await call(core, 'project.doctor', {})).toMatchObject({ ok: true, problems: [] });
      const tmp = path.join(dir, '.benchtop/cache/tmp');
      mkdirSync(tmp, { recursive: true });
      writeFileSync(path.join(tmp, 'left-behind'), 'x');
      const old = Date.now() / 1000 - 2 * 24 * 3600;
      utimesSync(path.join(tmp, 'left-behind'), old, old);
      expect(await call(core, 'project.doctor', { quick: true })).toMatchObject({
        ok: false,
        problems: [{ area: 'temp', path: '.benchtop/cache/tmp/left-behind', fixable: true, fixed: false }],
      });
      expect(await call(core, 'project.doctor', { fix: true })).toMatchObject({
        ok: true,
        problems: [{ area: 'temp', fixed: true }],
      });
      expect(existsSync(path.join(tmp, 'left-behind'))).toBe(false);
    } finally {
      core.close();
    }
  });
});
