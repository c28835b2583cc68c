import { spawn } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/database';
import { ROOT, tmpDir } from '../support/helpers';

let worker = '';

beforeAll(async () => {
  // Inside the checkout, so the bundle finds node_modules and Benchtop's package.json as the app does.
  worker = path.join(ROOT, 'node_modules', '.cache', 'benchtop-tests', 'writer.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'fixtures', 'writer.ts')],
    outfile: worker,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
});

function runWriter(
  file: string,
  label: string,
  count: number,
  startAt: number,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, file, label, String(count), String(startAt)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('two Benchtop processes on one workspace', () => {
  it('both migrate and write a fresh database at once without "database is locked" or lost rows', async () => {
    const file = path.join(tmpDir(), 'benchtop.db');
    const startAt = Date.now() + 1500;
    const results = await Promise.all(['a', 'b', 'c'].map((label) => runWriter(file, label, 300, startAt)));
    for (const r of results) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 900 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_metrics').get()).toEqual({ n: 4500 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM experiments').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_history').get()).toEqual({ n: SCHEMA_VERSION });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
