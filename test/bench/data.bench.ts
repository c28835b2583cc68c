// Data versioning benchmarks: hashing a big file, `data add` of many small files, `data status` over
// a large unchanged tree, and checking out a 1 GiB dataset, each beside a baseline from the same
// run (sha256sum, git add, a plain stat walk, cp). Heavy: the data is generated in a temp folder.
//
// `benchtop data status` on 100,000 unchanged files, against `git status` (CPU seconds from
// /usr/bin/time, the shared 2-core machine at load 7-12): about 0.85 s of CPU against git's 0.22 s.
// Of that, about 0.27 s is starting the CLI (Node and the bundle: `benchtop --help` alone takes as
// much, and 90 of its 136 MiB), 0.29 s is the 100,000 stat calls themselves (0.23 s of it in the
// kernel; a bare loop of statSync costs the same), 0.06-0.09 s reading the 101 folders' entries, and the
// rest sorting the list, the stat digest and garbage collection of the Stats objects (Node 20 makes
// four Dates per stat). The folder stamp means no stat-cache row, manifest or object is read.
// A --cpu-prof at load 6, 1.24 s in all: the stat calls 0.30 s (digestFiles 0.41 s with them),
// reading the folders 0.19 s (findPointers 0.22 s), garbage collection 0.14 s, loading the
// bundle about 0.2 s, opening the project 0.04 s.
// The floor is therefore start-up plus one stat per file, near 0.55 s of CPU against git's 0.22:
// git stats the same files from C, on two threads. Stats on the thread pool cost 3-4 times the CPU
// of the synchronous loop (a callback and a Stats per file), so they are not used.
//
// Switching one 1 GiB file between versions: a trusted object is copied by the kernel
// (copy_file_range, as `cp` does, or a clone where the file system has them) into a temp file,
// which is renamed over the old file. On ext4, renaming over a file starts writeback of the new
// one's delayed blocks (auto_da_alloc), as `cp` truncating an existing file does on close, so both
// sides pay it. The CLI adds its start-up (0.2-0.3 s here) to the same copy.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkoutData } from '../../electron/core/data/checkout';
import { commitData } from '../../electron/core/data/history';
import { poolSize, sha256Large } from '../../electron/core/data/hash-pool';
import type { LinkMode } from '../../electron/core/data/materialize';
import { dataStatus } from '../../electron/core/data/status';
import { addData } from '../../electron/core/data/track';
import { initProject } from '../../electron/core/project/init';
import { packageRoot } from '../../electron/core/util/package-root';
import { Workspace } from '../../electron/core/workspace/workspace';
import { compare, mib, peakRss } from './harness';

const MiB = 1 << 20;
const cli = path.join(packageRoot(), 'dist', 'cli.cjs');
/** The CLI and git run under a temporary HOME (set in main), never the user's config. */
let childEnv: NodeJS.ProcessEnv = process.env;
const benchtop = (dir: string, ...args: string[]): string =>
  execFileSync(process.execPath, [cli, ...args], { cwd: dir, env: childEnv, encoding: 'utf8' });

function bigFile(file: string, bytes: number): void {
  const buf = Buffer.allocUnsafe(8 * MiB);
  const fd = openSync(file, 'w');
  try {
    for (let left = bytes; left > 0; left -= buf.length)
      writeSync(fd, randomFillSync(buf), 0, Math.min(left, buf.length));
  } finally {
    closeSync(fd);
  }
}

function smallFiles(dir: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, `d${i % 100}`);
    if (i < 100) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${i}.txt`), `${i},${(i * 7919) % 1000}\n`.repeat(1 + (i % 40)));
  }
}

/**
 * The harness's compare() times whole calls; add and checkout need a fresh state before each call
 * (an empty cache, a deleted workspace copy), so here the setup runs untimed and the line printed
 * has the harness's format. Interleaved, median of `rounds`.
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
  const median = (xs: number[]): number => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const subjectMs = median(s);
  const baselineMs = median(b);
  process.stdout.write(
    `${name.padEnd(44)} ${subjectMs.toFixed(3).padStart(9)} ms | baseline ${baselineName.padEnd(36)} ${baselineMs.toFixed(3).padStart(9)} ms | ratio ${(subjectMs / baselineMs).toFixed(2)}x\n`,
  );
}

async function newProject(dir: string): Promise<Workspace> {
  (await initProject(dir, {})).workspace.close();
  execFileSync('git', ['-C', dir, 'config', 'user.name', 'bench']);
  execFileSync('git', ['-C', dir, 'config', 'user.email', 'bench@example.com']);
  return Workspace.open(dir);
}

function statWalk(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += statWalk(p);
    else n += statSync(p, { bigint: true }).size > -1n ? 1 : 0;
  }
  return n;
}

/** BENCH_DATA=hash,add,status,checkout,switch runs only those sections (all when unset). */
const sections = new Set((process.env.BENCH_DATA ?? 'hash,add,status,checkout,switch').split(',').map((x) => x.trim()));

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-data-'));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  childEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    BENCHTOP_DATA_DIR: path.join(home, 'benchtop'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  const free = (() => {
    const s = execFileSync('df', ['-Pk', tmp], { encoding: 'utf8' }).trim().split('\n')[1]!.split(/\s+/);
    return Number(s[3]) * 1024;
  })();
  // 1 GiB needs about 5 GiB at once (source, workspace, cache, copies); halve it on a small disk.
  const BIG = free > 8 * 1024 * MiB ? 1024 * MiB : 512 * MiB;
  const bigLabel = BIG === 1024 * MiB ? '1 GiB' : '512 MiB';
  try {
    console.log(
      `Benchtop data benchmarks (ratio = Benchtop / baseline; ${poolSize()} hashing threads; ${os.availableParallelism()} cores)\n`,
    );

    if (sections.has('hash')) {
      const big = path.join(tmp, 'big.bin');
      bigFile(big, BIG);
      await compare(
        `sha256 of a ${bigLabel} file (1 MiB reads, thread)`,
        () => sha256Large(big),
        'sha256sum (coreutils)',
        () => execFileSync('sha256sum', [big]),
        2,
      );
      rmSync(big);
    }
    if (sections.has('add')) await benchAdd(tmp);
    if (sections.has('status')) await benchStatus(tmp);
    if (sections.has('checkout')) await benchCheckout(tmp, BIG, bigLabel);
    if (sections.has('switch')) await benchSwitch(tmp, BIG, bigLabel);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function benchAdd(tmp: string): Promise<void> {
  // data add of 10,000 small files into a fresh project, against git add into a fresh repo.
  const small = path.join(tmp, 'small');
  smallFiles(small, 10_000);
  let round = 0;
  let ws: Workspace | null = null;
  let repo = '';
  await compareWithSetup(
    'data add: 10,000 small files (fresh project)',
    async () => {
      ws?.close();
      const dir = path.join(tmp, `add${round++}`);
      ws = await newProject(dir);
      execFileSync('cp', ['-r', small, path.join(dir, 'data')]);
    },
    () => addData(ws!.dir, ws!.db, ['data']),
    'git add, same files (fresh repo)',
    () => {
      repo = path.join(tmp, `git${round++}`);
      execFileSync('git', ['init', '-q', repo]);
      execFileSync('cp', ['-r', small, path.join(repo, 'data')]);
    },
    () => execFileSync('git', ['-C', repo, 'add', 'data']),
    3,
  );
  (ws as Workspace | null)?.close();
  for (const d of readdirSync(tmp))
    if (/^(add|git)\d+$/.test(d)) rmSync(path.join(tmp, d), { recursive: true, force: true });
}

async function benchStatus(tmp: string): Promise<void> {
  // data status over 100,000 unchanged tracked files (the stat cache answers for all of them).
  const statusDir = path.join(tmp, 'status');
  const sws = await newProject(statusDir);
  smallFiles(path.join(statusDir, 'data'), 100_000);
  const t = Date.now();
  await addData(sws.dir, sws.db, ['data']);
  console.log(`  (setup: data add of 100,000 files took ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  await compare(
    'data status: 100,000 unchanged files',
    async () => {
      const [row] = await dataStatus(sws.dir, sws.db);
      if (row?.workspace !== 'unchanged') throw new Error(`status says ${row?.workspace}`);
    },
    'stat walk of the same tree (node)',
    () => statWalk(path.join(statusDir, 'data')),
    4,
  );
  // The command a user types, against git's status of the same files committed in a plain repo.
  await commitData(sws.dir, 'v1');
  const repo = path.join(tmp, 'status-git');
  mkdirSync(repo);
  execFileSync('cp', ['-r', path.join(statusDir, 'data'), path.join(repo, 'data')]);
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', repo, ...args], { env: childEnv, encoding: 'utf8' });
  git('init', '-q');
  // No gc in the background: it would still be writing in .git when the repo is removed.
  git('config', 'gc.auto', '0');
  git('config', 'maintenance.auto', 'false');
  git('add', 'data');
  git('commit', '-q', '-m', 'v1');
  await compare(
    'benchtop data status: 100,000 unchanged files',
    () => {
      if (!/data\s+unchanged\s+ok\s+committed/.test(benchtop(statusDir, 'data', 'status')))
        throw new Error('data status did not find the folder unchanged and committed');
    },
    'git status, same files committed',
    () => git('status', '--porcelain'),
    6,
  );
  const rss = {
    benchtop: peakRss(process.execPath, [cli, 'data', 'status'], { cwd: statusDir, env: childEnv }).bytes,
    git: peakRss('git', ['-C', repo, 'status', '--porcelain'], { env: childEnv }).bytes,
  };
  console.log(`  peak RSS: ${mib(rss.benchtop)} | baseline ${mib(rss.git)}`);
  // What of that is the CLI starting: the same command on a project with nothing tracked.
  const empty = path.join(tmp, 'status-empty');
  (await newProject(empty)).close();
  await compare(
    '  of which start-up: data status, no data',
    () => benchtop(empty, 'data', 'status'),
    'git status, same files committed',
    () => git('status', '--porcelain'),
    6,
  );
  rmSync(repo, { recursive: true, force: true });
  sws.close();
  rmSync(statusDir, { recursive: true, force: true });
}

async function benchCheckout(tmp: string, BIG: number, bigLabel: string): Promise<void> {
  // Checkout of a 1 GiB dataset (8 files) after deleting the workspace copy, against cp -r.
  const cdir = path.join(tmp, 'checkout');
  const cws = await newProject(cdir);
  const src = path.join(tmp, 'src');
  mkdirSync(src);
  for (let i = 0; i < 8; i++) bigFile(path.join(src, `part${i}.bin`), BIG / 8);
  execFileSync('cp', ['-r', src, path.join(cdir, 'data')]);
  const t = Date.now();
  await addData(cws.dir, cws.db, ['data']);
  console.log(`  (setup: data add of the ${bigLabel} dataset took ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  await commitData(cws.dir, 'v1');
  const dest = path.join(tmp, 'cp-dest');
  const checkout = (link: LinkMode, verify: boolean) => async () => {
    const r = await checkoutData(cws.dir, cws.db, 'HEAD', ['data'], { link, verify });
    if (r.placed[link] !== 8 && !(link === 'reflink' && r.placed.copy === 8))
      throw new Error(`placed ${JSON.stringify(r.placed)}`);
    if (verify && r.hashed !== 8) throw new Error(`--verify hashed ${r.hashed} of 8 objects`);
  };
  // The objects' verification records come from the add: a plain checkout copies them in the
  // kernel; --verify reads and hashes every byte again. Removing hardlinks moves the objects'
  // ctime, so the hardlink rows hash as well (see verified-objects.ts).
  for (const [link, verify] of [
    ['copy', false],
    ['copy', true],
    ['reflink', false],
    ['hardlink', false],
  ] as const) {
    await compareWithSetup(
      `data checkout --link ${link}${verify ? ' --verify' : ''}: ${bigLabel}, 8 files`,
      () => rmSync(path.join(cdir, 'data'), { recursive: true, force: true }),
      checkout(link, verify),
      'cp -r of the same files',
      () => rmSync(dest, { recursive: true, force: true }),
      () => execFileSync('cp', ['-r', src, dest]),
      3,
    );
  }
  cws.close();
}

async function benchSwitch(tmp: string, BIG: number, bigLabel: string): Promise<void> {
  // Checkout of one big file from one version to the other and back: what a user does to compare
  // two versions. The workspace file is replaced each time, as cp replaces the file it writes over.
  const dir = path.join(tmp, 'switch');
  const ws = await newProject(dir);
  const file = path.join(dir, 'big.bin');
  const commits: string[] = [];
  for (const v of ['v1', 'v2']) {
    bigFile(file, BIG);
    await addData(ws.dir, ws.db, ['big.bin']);
    commits.push((await commitData(ws.dir, v))!.commit);
  }
  const cache = path.join(dir, '.benchtop', 'cache');
  const objectFiles = readdirSync(cache, { recursive: true, encoding: 'utf8' })
    .filter((p) => /^[0-9a-f]{2}[/\\][0-9a-f]{62}$/.test(p))
    .map((p) => path.join(cache, p));
  if (objectFiles.length !== 2) throw new Error(`expected 2 objects, found ${objectFiles.length}`);
  const dest = path.join(tmp, 'switch-cp.bin');
  execFileSync('cp', [objectFiles[0]!, dest]);
  let turn = 0;
  const cpSwitch = () => execFileSync('cp', [objectFiles[turn++ % 2]!, dest]);
  for (const link of ['copy', 'reflink', 'hardlink'] as const) {
    let k = 0;
    const placed: Record<string, number> = {};
    await compare(
      `data checkout --link ${link}: switch one ${bigLabel} file`,
      async () => {
        const r = await checkoutData(ws.dir, ws.db, commits[k++ % 2]!, ['big.bin'], { link });
        for (const [how, n] of Object.entries(r.placed)) placed[how] = (placed[how] ?? 0) + n;
      },
      'cp of the other version over the file',
      cpSwitch,
      4,
    );
    console.log(`  (placed: ${JSON.stringify(placed)})`);
  }
  let k = 0;
  await compare(
    `benchtop data checkout: switch one ${bigLabel} file`,
    () => benchtop(dir, 'data', 'checkout', commits[k++ % 2]!, 'big.bin', '--link', 'copy'),
    'cp of the other version over the file',
    cpSwitch,
    4,
  );
  ws.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dest, { force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
