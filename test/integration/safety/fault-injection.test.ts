// Fault injection: `kill -9` at seeded random moments of commands that write the cache. Afterwards
// the next open leaves no temp file behind (BENCHTOP_TMP_MAX_AGE_MS=0 makes every temp file an
// orphan), `benchtop doctor` finds nothing wrong, and every committed version restores byte-identical.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seeded as prng } from '../../support/drift-report';
import { CLI, git, tmpDir } from '../../support/helpers';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const home = tmpDir('benchtop-home-');
const env = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  BENCHTOP_DATA_DIR: path.join(home, 'data'),
  BENCHTOP_TMP_MAX_AGE_MS: '0',
};

function run(dir: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(dir: string, ...args: string[]): string {
  const r = run(dir, ...args);
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Starts the command and SIGKILLs it after `delayMs` (if it is still running): its duration, and whether it was killed. */
function killAfter(dir: string, args: string[], delayMs: number): Promise<{ ms: number; killed: boolean }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  return new Promise((resolve) =>
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, killed: signal === 'SIGKILL' });
    }),
  );
}

/** After a kill: the next open sweeps every temp file, and doctor (sizes only; every fourth kill, to keep the test short) finds nothing. */
function checkAfterKill(dir: string, label: string, i: number): void {
  ok(dir, 'data', 'status');
  for (const t of ['.benchtop/cache/tmp', '.benchtop/cache/objects/tmp']) {
    const p = path.join(dir, t);
    expect(existsSync(p) ? readdirSync(p) : [], `${label}: temp files after the next open`).toEqual([]);
  }
  if (i % 4 !== 0) return;
  const r = run(dir, '--json', 'doctor', '--quick');
  expect(r.code, `${label}: ${r.stdout}${r.stderr}`).toBe(0);
}

function project(): string {
  const dir = path.join(tmpDir(), 'p');
  ok(tmpDir(), 'init', '--dir', dir);
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  return dir;
}

let base: Buffer | null = null;

/** A deterministic 16 MiB file (many hashing chunks); `version` changes a few bytes spread over it. */
function bigFile(version: number): Buffer {
  if (!base) {
    const rnd = prng(1234);
    base = Buffer.allocUnsafe(16 * 1024 * 1024);
    for (let i = 0; i < base.length; i += 4) base.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
  }
  const b = Buffer.from(base);
  for (let k = 0; k < 16; k++) b[(k * 2_000_003 + version * 7919) % b.length] = version & 0xff;
  return b;
}

const KILLS = 20;

describe('safety: fault injection', () => {
  it('fault injection: kill -9 during data add and data push loses nothing', async () => {
    const dir = project();
    const remote = path.join(tmpDir(), 'remote');
    mkdirSync(path.join(dir, 'data'));
    const file = path.join(dir, 'data', 'big.bin');
    const rnd = prng(17);
    const committed: { commit: string; hash: string }[] = [];
    writeFileSync(file, bigFile(0));
    // How long an add takes here, so the kills spread over the whole of it.
    const addMs = (await killAfter(dir, ['data', 'add', 'data/big.bin'], 60_000)).ms;
    let killed = 0;
    ok(dir, 'data', 'commit', '-m', 'v0');
    committed.push({ commit: git(dir, 'rev-parse', 'HEAD').trim(), hash: sha(readFileSync(file)) });
    for (let i = 1; i <= KILLS; i++) {
      const bytes = bigFile(i);
      writeFileSync(file, bytes);
      if ((await killAfter(dir, ['data', 'add', 'data/big.bin'], rnd() * addMs * 1.2)).killed) killed++;
      checkAfterKill(dir, `add kill ${i}`, i);
      // Every fifth version is finished and committed.
      if (i % 5 === 0) {
        ok(dir, 'data', 'add', 'data/big.bin');
        ok(dir, 'data', 'commit', '-m', `v${i}`);
        committed.push({ commit: git(dir, 'rev-parse', 'HEAD').trim(), hash: sha(bytes) });
      }
    }
    // Most kills land part-way: the schedule spreads them over the whole command.
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
    ok(dir, 'data', 'remote', 'add', 'r', remote, '--default');
    const pushMs = (await killAfter(dir, ['data', 'push'], 60_000)).ms;
    killed = 0;
    for (let i = 1; i <= KILLS; i++) {
      // An empty remote each time, so every push has the current version to send.
      rmSync(remote, { recursive: true, force: true });
      mkdirSync(remote);
      if ((await killAfter(dir, ['data', 'push'], rnd() * pushMs * 1.2)).killed) killed++;
      checkAfterKill(dir, `push kill ${i}`, i);
      for (const d of readdirSync(remote).filter((x) => /^[0-9a-f]{2}$/.test(x))) {
        for (const f of readdirSync(path.join(remote, d)))
          expect(sha(readFileSync(path.join(remote, d, f))), `push kill ${i}`).toBe(d + f);
      }
    }
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
    ok(dir, 'data', 'push');
    // The remote holds only whole objects, each named by the hash of its bytes.
    for (const d of readdirSync(remote).filter((x) => /^[0-9a-f]{2}$/.test(x))) {
      for (const f of readdirSync(path.join(remote, d))) expect(sha(readFileSync(path.join(remote, d, f)))).toBe(d + f);
    }
    expect(run(dir, 'doctor').code).toBe(0);
    for (const v of committed) {
      ok(dir, 'data', 'checkout', '--force', v.commit, 'data/big.bin');
      expect(sha(readFileSync(file)), v.commit).toBe(v.hash);
    }
  }, 180_000);

  it('fault injection: kill -9 during models import loses nothing', async () => {
    const dir = project();
    const model = Buffer.alloc(8 * 1024 * 1024 + 3, 5);
    writeFileSync(path.join(dir, 'model.joblib'), model);
    ok(dir, 'models', 'register', 'churn', '--path', 'model.joblib');
    const bundle = path.join(tmpDir(), 'churn.zip');
    ok(dir, 'models', 'export', 'churn/1', bundle);
    const rnd = prng(99);
    const importMs = (await killAfter(dir, ['models', 'import', bundle, '--name', 'warmup'], 60_000)).ms;
    let killed = 0;
    for (let i = 1; i <= KILLS; i++) {
      if ((await killAfter(dir, ['models', 'import', bundle, '--name', `imp${i}`], rnd() * importMs * 1.2)).killed)
        killed++;
      checkAfterKill(dir, `import kill ${i}`, i);
    }
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
    ok(dir, 'models', 'import', bundle, '--name', 'final');
    expect(run(dir, 'doctor').code).toBe(0);
    const obj = path.join(dir, '.benchtop/cache', sha(model).slice(0, 2), sha(model).slice(2));
    expect(sha(readFileSync(obj))).toBe(sha(model));
  }, 120_000);

  it('fault injection: kill -9 during a pipeline run loses nothing', async () => {
    const dir = project();
    // A stage that writes an 8 MiB output in pieces, so kills land inside it and inside its caching.
    writeFileSync(
      path.join(dir, 'gen.js'),
      "const fs = require('fs'); fs.mkdirSync('out', { recursive: true }); const fd = fs.openSync('out/model.bin', 'w'); for (let i = 0; i < 64; i++) fs.writeSync(fd, Buffer.alloc(131072, i)); fs.closeSync(fd);\n",
    );
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'stages:\n  make:\n    cmd: node gen.js\n    deps: [gen.js]\n    outs: [out/model.bin]\n',
    );
    const expected = sha(Buffer.concat(Array.from({ length: 64 }, (_, i) => Buffer.alloc(131072, i))));
    const rnd = prng(7);
    const runMs = (await killAfter(dir, ['run', '--force'], 60_000)).ms;
    let killed = 0;
    for (let i = 1; i <= KILLS; i++) {
      if ((await killAfter(dir, ['run', '--force'], rnd() * runMs * 1.2)).killed) killed++;
      checkAfterKill(dir, `run kill ${i}`, i);
    }
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
    ok(dir, 'run', '--force');
    expect(sha(readFileSync(path.join(dir, 'out/model.bin')))).toBe(expected);
    // The run cache restores the output byte-identical when it is gone.
    rmSync(path.join(dir, 'out/model.bin'));
    ok(dir, 'run');
    expect(sha(readFileSync(path.join(dir, 'out/model.bin')))).toBe(expected);
    expect(run(dir, 'doctor').code).toBe(0);
  }, 120_000);
});
