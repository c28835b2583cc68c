// Sync benchmarks (`benchtop push` / `benchtop pull`, run as the CLI): the records of 10,000 runs
// through a bare git remote, against git itself moving the same ref; and 1 GB of tracked data in
// 1,000 files through a folder data remote, against `cp -r` of the same files. Sizes:
// BENCH_SYNC_RUNS (default 10000), BENCH_SYNC_MB (default 1000, in 1 MiB files). Everything git
// and Benchtop do here runs under a temporary HOME with no system git config. Clones are made
// with --no-local, as from a server: a local clone would copy every object, records included.
// Rounds: 3 for the records' pushes, 2 for the records' pull and the data rows (each takes tens
// of seconds on a 2-core machine); BENCH_SYNC_ROUNDS sets them all.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initProject } from '../../electron/core/project/init';
import { packageRoot } from '../../electron/core/util/package-root';
import { Workspace } from '../../electron/core/workspace/workspace';

const MiB = 1 << 20;
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 10_000);
const MB = Number(process.env.BENCH_SYNC_MB ?? 1000);
const cli = path.join(packageRoot(), 'dist', 'cli.cjs');
const ROUNDS = process.env.BENCH_SYNC_ROUNDS ? Number(process.env.BENCH_SYNC_ROUNDS) : null;
const rounds = (n: number): number => ROUNDS ?? n;
const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Each round needs fresh targets (an empty bare repo, a new clone, an empty data remote), so the
 * setup runs untimed and the line printed has the harness's format. Interleaved, median of
 * `rounds` (as in data.bench.ts; of 2, their mean).
 */
async function compareWithSetup(
  name: string,
  setup: () => unknown | Promise<unknown>,
  subject: () => unknown | Promise<unknown>,
  baselineName: string,
  baselineSetup: () => unknown | Promise<unknown>,
  baseline: () => unknown | Promise<unknown>,
  rounds: number,
): Promise<void> {
  const time = async (prep: () => unknown, fn: () => unknown): Promise<number> => {
    await prep();
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    b.push(await time(baselineSetup, baseline));
    s.push(await time(setup, subject));
  }
  const median = (xs: number[]): number => {
    xs.sort((x, y) => x - y);
    const m = Math.floor(xs.length / 2);
    return xs.length % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
  };
  const subjectMs = median(s);
  const baselineMs = median(b);
  process.stdout.write(
    `${name.padEnd(44)} ${subjectMs.toFixed(3).padStart(9)} ms | baseline ${baselineName.padEnd(36)} ${baselineMs.toFixed(3).padStart(9)} ms | ratio ${(subjectMs / baselineMs).toFixed(2)}x\n`,
  );
}

const git = (dir: string, ...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
const benchtop = (dir: string, ...args: string[]): string =>
  execFileSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const bare = (dir: string): void => {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('git', ['init', '-q', '--bare', dir]);
};
const fresh = (dir: string): void => rmSync(dir, { recursive: true, force: true });
/** A clone of `origin` on the branch the project is on (a bare repo's HEAD may name another). */
const cloneOf = (project: string, origin: string, dir: string): void => {
  fresh(dir);
  const branch = git(project, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
  execFileSync('git', ['clone', '-q', '--no-local', '-b', branch, origin, dir]);
};

/**
 * `n` runs, each with 5 params and 5 metrics of 3 steps, inserted straight into the database (as
 * tracking.bench.ts does); migration 0022's triggers list each run's record as unwritten.
 */
function seedRuns(dir: string, n: number): void {
  const ws = Workspace.open(dir);
  const db = ws.db;
  const exp = Number(db.prepare(`INSERT INTO experiments (name) VALUES ('bench')`).run().lastInsertRowid);
  const run = db.prepare(
    `INSERT INTO runs (id, experiment_id, name, status, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const param = db.prepare('INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)');
  const metric = db.prepare('INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)');
  let x = 42;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `run-${i}`;
      const t = Date.UTC(2026, 0, 1) + i * 60_000;
      run.run(
        id,
        exp,
        id,
        i % 10 === 0 ? 'failed' : 'succeeded',
        new Date(t).toISOString(),
        new Date(t + 600_000).toISOString(),
      );
      for (let p = 0; p < 5; p++) param.run(id, `p${p}`, String(Math.round(rand() * 1000) / 1000));
      for (let m = 0; m < 5; m++)
        for (let step = 0; step < 3; step++)
          metric.run(id, `m${m}`, step, rand(), new Date(t + step * 1000).toISOString());
    }
  })();
  const dirty = (db.prepare('SELECT count(*) AS n FROM record_dirty').get() as { n: number }).n;
  ws.close();
  if (dirty < n) throw new Error(`record_dirty lists ${dirty} records for ${n} runs`);
}

async function newProject(dir: string): Promise<void> {
  (await initProject(dir, {})).workspace.close();
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-sync-'));
  // Never the user's git config or Benchtop folders: git and the CLI inherit this environment.
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  Object.assign(process.env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    BENCHTOP_DATA_DIR: path.join(home, 'benchtop'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  });
  try {
    console.log(
      `\nBenchtop sync benchmarks (benchtop push/pull as the CLI; median of interleaved rounds; ratio = Benchtop / baseline)\n`,
    );
    if (RUNS > 0) await benchRecords(tmp);
    if (MB > 0) await benchData(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function benchRecords(tmp: string): Promise<void> {
  const label = fmt(RUNS);
  // The template: runs in the database, not yet written as records (record_dirty lists them).
  const template = path.join(tmp, 'meta-template');
  await newProject(template);
  let t = Date.now();
  seedRuns(template, RUNS);
  console.log(`  (setup: ${label} runs inserted in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  // A copy whose records are written, for the push-only row, the git baselines and the pulls.
  const meta = path.join(tmp, 'meta');
  execFileSync('cp', ['-a', template, meta]);
  const origin = path.join(tmp, 'origin.git');
  bare(origin);
  git(meta, 'remote', 'add', 'origin', origin);
  git(meta, 'push', '-q', 'origin', 'HEAD'); // the project itself, for the clones
  t = Date.now();
  benchtop(meta, 'push');
  console.log(`  (setup: first push of ${label} runs' records took ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  const records = git(meta, 'ls-tree', '-r', '--name-only', 'refs/benchtop/records').split('\n').filter(Boolean).length;
  console.log(`  (${fmt(records)} records on refs/benchtop/records)`);

  const target = path.join(tmp, 'target.git');
  const gitPush = (): void => {
    git(meta, 'push', '-q', target, 'refs/benchtop/records:refs/benchtop/records');
  };
  // Flush + push: a fresh copy of the template each round, with its runs not yet written.
  const work = path.join(tmp, 'meta-work');
  await compareWithSetup(
    `push ${label} runs' records (write + push)`,
    () => {
      fresh(work);
      execFileSync('cp', ['-a', template, work]);
      bare(target);
      git(work, 'remote', 'add', 'origin', target);
    },
    () => benchtop(work, 'push'),
    'git push of the same ref (fresh bare)',
    () => bare(target),
    gitPush,
    rounds(3),
  );
  // Push alone: records already written, a fresh bare origin each round.
  git(meta, 'remote', 'set-url', 'origin', target);
  await compareWithSetup(
    `push ${label} runs' records (already written)`,
    () => bare(target),
    () => benchtop(meta, 'push'),
    'git push of the same ref (fresh bare)',
    () => bare(target),
    gitPush,
    rounds(3),
  );
  git(meta, 'remote', 'set-url', 'origin', origin);
  fresh(work);

  const clone = path.join(tmp, 'clone');
  const cloneFresh = (): void => cloneOf(meta, origin, clone);
  await compareWithSetup(
    `pull ${label} runs' records into a fresh clone`,
    cloneFresh,
    () => {
      const out = benchtop(clone, 'pull');
      if (!out.includes(`Rebuilt ${RUNS} runs`)) throw new Error(`pull said: ${out}`);
    },
    'git fetch of the same ref (fresh clone)',
    cloneFresh,
    () => git(clone, 'fetch', '-q', 'origin', 'refs/benchtop/records:refs/x'),
    rounds(2),
  );
  for (const d of [template, meta, origin, target, clone]) fresh(d);
}

/** `mb` files of 1 MiB of random bytes: one random buffer, each file with its own counter in front. */
function dataFiles(dir: string, mb: number): void {
  mkdirSync(dir, { recursive: true });
  const buf = randomFillSync(Buffer.allocUnsafe(MiB));
  for (let i = 0; i < mb; i++) {
    buf.writeUInt32BE(i, 0);
    writeFileSync(path.join(dir, `part-${String(i).padStart(4, '0')}.bin`), buf);
  }
}

async function benchData(tmp: string): Promise<void> {
  const label = `${fmt(MB)} × 1 MiB files`;
  const project = path.join(tmp, 'data-project');
  await newProject(project);
  const src = path.join(project, 'data');
  let t = Date.now();
  dataFiles(src, MB);
  console.log(`  (setup: ${label} written in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  t = Date.now();
  benchtop(project, 'data', 'add', 'data');
  console.log(`  (setup: benchtop data add took ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  const remote = path.join(tmp, 'data-remote');
  benchtop(project, 'data', 'remote', 'add', 'store', remote);
  git(project, 'add', '-A');
  git(project, 'commit', '-q', '-m', 'Track data, with its remote');
  const origin = path.join(tmp, 'data-origin.git');
  bare(origin);
  git(project, 'remote', 'add', 'origin', origin);
  git(project, 'push', '-q', 'origin', 'HEAD');

  const dest = path.join(tmp, 'cp-dest');
  const cp = (from: string) => () => execFileSync('cp', ['-r', from, dest]);
  // Push: an empty data remote (and git remote) each round; the records are a handful.
  await compareWithSetup(
    `push ${label} to a folder remote`,
    () => {
      fresh(remote);
      mkdirSync(remote); // an empty folder: a missing one reads as an unplugged drive
      bare(origin);
    },
    () => benchtop(project, 'push'),
    'cp -r of the same files',
    () => fresh(dest),
    cp(src),
    rounds(2),
  );
  // Leave the remote full and origin with the records, for the pulls.
  git(project, 'push', '-q', 'origin', 'HEAD');
  const clone = path.join(tmp, 'data-clone');
  const objects = readdirSync(remote).length;
  if (objects === 0) throw new Error('the data remote is empty after the push');
  await compareWithSetup(
    `pull ${label} into a fresh clone`,
    () => cloneOf(project, origin, clone),
    () => {
      benchtop(clone, 'pull');
      if (readdirSync(path.join(clone, 'data')).length !== MB) throw new Error('the pull did not check the data out');
    },
    'cp -r of the same files',
    () => fresh(dest),
    cp(src),
    rounds(2),
  );
  for (const d of [project, remote, origin, clone, dest]) fresh(d);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
