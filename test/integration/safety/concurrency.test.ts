// Issue 17 acceptance: four processes making 25 mixed writes each on one project. Every write
// lands whole or is refused with a clear message, and the project is sound afterwards.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, git, runCli, tmpDir } from '../../support/helpers';

const HOME = tmpDir('benchtop-concurrency-home-');
const ENV: NodeJS.ProcessEnv = {
  BENCHTOP_DATA_DIR: path.join(HOME, 'data'),
  HOME,
  XDG_CONFIG_HOME: path.join(HOME, 'config'),
  BENCHTOP_LOCK_HELD: '',
};

function cli(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, ...ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const WAITING = /^benchtop: waiting for the project lock held by `[^`]+` \(pid \d+, since [\d:]+\)…\n/;
const REFUSED =
  /^benchtop: The project lock is held by `[^`]+` \(pid \d+, since [\d:]+\)\. It is released when that command ends; run again without --no-wait to wait for it\.\n$/;

interface Landed {
  added: string[];
  registered: number;
  refused: number;
}

/** One writer process's 25 writes, in turn: data add, run, models register, data commit. */
async function writer(dir: string, w: number, noWait: boolean): Promise<Landed> {
  const landed: Landed = { added: [], registered: 0, refused: 0 };
  const flags = noWait ? ['--no-wait'] : [];
  for (let i = 0; i < 25; i++) {
    let args: string[];
    const kind = i % 4;
    const name = `w${w}-${i}`;
    if (kind === 0) {
      writeFileSync(path.join(dir, 'data', `${name}.csv`), `id,v\n${w},${i}\n`);
      args = ['data', 'add', `data/${name}.csv`];
    } else if (kind === 1) args = ['run', '--force'];
    else if (kind === 2) {
      writeFileSync(path.join(dir, 'models', `${name}.txt`), `weights ${name}`);
      args = ['models', 'register', 'm', '--path', `models/${name}.txt`];
    } else args = ['data', 'commit', '-m', `writer ${w} step ${i}`];
    const r = await cli([...flags, ...args], dir);
    const err = r.err.replace(WAITING, '');
    if (r.code === 1 && noWait) {
      // Refused: clearly, and nothing of it landed.
      expect(r.err).toMatch(REFUSED);
      landed.refused++;
      if (kind === 0) expect(existsSync(path.join(dir, 'data', `${name}.csv.bt`))).toBe(false);
      continue;
    }
    expect(`${args.join(' ')}: ${r.code} ${err}`).toBe(`${args.join(' ')}: 0 `);
    if (kind === 0) landed.added.push(`data/${name}.csv`);
    if (kind === 2) landed.registered++;
  }
  return landed;
}

describe('concurrency', () => {
  it('concurrency: 4 processes × 25 mixed writes on one project: each lands whole or is refused; git, the database and the pointers stay sound', async () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir], { env: ENV }).code).toBe(0);
    mkdirSync(path.join(dir, 'data'));
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'stages:\n  make:\n    cmd: echo "$BENCHTOP_RUN_ID" > out.txt\n    outs: [out.txt]\n',
    );

    // One writer refuses to wait, so refusals are exercised too.
    const results = await Promise.all([0, 1, 2, 3].map((w) => writer(dir, w, w === 3)));

    const added = results.flatMap((r) => r.added);
    expect(added.length).toBeGreaterThan(0);
    const final = await cli(['data', 'commit', '-m', 'the rest'], dir);
    expect(final.code).toBe(0);
    expect(existsSync(path.join(dir, '.benchtop', 'writer.lock'))).toBe(false);

    git(dir, 'fsck', '--full', '--strict');
    const db = new BetterSqlite3(path.join(dir, '.benchtop', 'benchtop.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const versions = db.prepare("SELECT COUNT(*) AS n FROM model_versions WHERE model_name = 'm'").get() as {
        n: number;
      };
      expect(versions.n).toBe(results.reduce((n, r) => n + r.registered, 0));
    } finally {
      db.close();
    }
    // Benchtop's own check of database, cache, pointers and temp files finds nothing.
    const doctor = await cli(['--json', 'doctor'], dir);
    expect(doctor.code, doctor.out + doctor.err).toBe(0);
    expect(JSON.parse(doctor.out).problems).toEqual([]);

    const ignored = readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n');
    const tracked = git(dir, 'ls-files').split('\n');
    for (const f of added) {
      expect(ignored).toContain(`/${f}`);
      expect(tracked).toContain(`${f}.bt`);
      expect(tracked).not.toContain(f);
    }
    // Every pointer committed: nothing about data left to commit.
    // (Files whose `data add` was refused are still plain untracked files, as the user left them.)
    expect(
      git(dir, 'status', '--porcelain', '--', 'data', '.gitignore')
        .split('\n')
        .filter((l) => l.endsWith('.bt') || l.endsWith('.gitignore')),
    ).toEqual([]);
    // The last run's output and benchtop.lock agree.
    const out = readFileSync(path.join(dir, 'out.txt'));
    expect(readFileSync(path.join(dir, 'benchtop.lock'), 'utf8')).toContain(
      createHash('sha256').update(out).digest('hex'),
    );
  }, 240_000);
});
