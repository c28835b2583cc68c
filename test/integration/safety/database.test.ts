// Issue 17, case 15: a damaged project database is never silently replaced or half-migrated.
import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../electron/core/store/database';
import { runCli, tmpDir, type CliResult } from '../../support/helpers';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function cli(dir: string, ...args: string[]): CliResult {
  const home = tmpDir('benchtop-home-');
  return runCli(args, {
    cwd: dir,
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), BENCHTOP_DATA_DIR: path.join(home, 'data') },
  });
}

function project(): { dir: string; db: string } {
  const dir = path.join(tmpDir(), 'p');
  expect(cli(tmpDir(), 'init', '--dir', dir).code).toBe(0);
  return { dir, db: path.join(dir, '.benchtop', 'benchtop.db') };
}

describe('safety: the project database', () => {
  it('case 15: a zero-byte benchtop.db is refused with what to do, not re-created empty', () => {
    const { dir, db } = project();
    writeFileSync(db, '');
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(db, hourAgo, hourAgo);
    const r = cli(dir, 'data', 'status');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(db);
    expect(r.stderr).toMatch(/empty/);
    expect(r.stderr).toMatch(/benchtop doctor/);
    expect(readFileSync(db).length).toBe(0);
  });

  it('case 15: a benchtop.db that is not SQLite is refused and left as it was', () => {
    const { dir, db } = project();
    writeFileSync(
      db,
      'not a database at all, but more than a hundred bytes long so the header can be read: '.repeat(3),
    );
    const before = sha(db);
    const r = cli(dir, 'data', 'status');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(db);
    expect(r.stderr).toMatch(/backup|move it aside/i);
    expect(sha(db)).toBe(before);
  });

  it('case 15: a user_version set back names the file and both versions, and changes nothing', () => {
    const { dir, db } = project();
    const conn = new BetterSqlite3(db);
    conn.pragma('user_version = 10');
    conn.close();
    const before = sha(db);
    const r = cli(dir, 'data', 'status');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/UNIQUE constraint/);
    expect(r.stderr).toContain(db);
    expect(r.stderr).toMatch(new RegExp(`version 10\\b[\\s\\S]*\\b${SCHEMA_VERSION}\\b`));
    expect(sha(db)).toBe(before);
  });
});
