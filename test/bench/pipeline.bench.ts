// Pipeline benchmarks: a no-op run against make, per-stage overhead against bare child processes,
// and status on 10,000 unchanged files against hashing them all with sha256sum.
//
// Where the no-op run and status of 50 stages with 1,000 deps go (--cpu-prof, shares of the
// profile): loading the CLI is a quarter to a third (compiling the bundle, now mostly served from
// the V8 code cache, and running the top level of the core and the contract's zod schemas, which
// every command that opens a project needs); parsing YAML is about a third (benchtop.yaml, 40 kB,
// and benchtop.lock, 120 kB, through the `yaml` package, which builds a full document with
// positions for problem reports; `run` used to parse benchtop.yaml twice, once for the stage names
// and once for the run, and now parses it once per process); the path policy's lstat of every part
// of each dep path is about a tenth; garbage collection about a tenth; the plan itself (one stat
// per dep against the stat cache, no file hashed) under a tenth. Git, the database's open and
// migration check, and the records take a few percent together, and a no-op run writes no records.
// make does none of this: it stats each target and prerequisite once, in C. The floor for Benchtop
// is `benchtop status` on a small project (Node's start and the loaded core, cli.bench.ts) plus the
// YAML parse, so these rows stay above 1.5× make until the core loads per domain and the lock is
// read without a YAML document.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileHasher } from '../../electron/core/util/hashing';
import { loadPipeline, ParamsFiles } from '../../electron/core/pipeline/load';
import { readLock } from '../../electron/core/pipeline/lock';
import { planPipeline } from '../../electron/core/pipeline/plan';
import { PipelineRun } from '../../electron/core/pipeline/runner';
import { packageRoot } from '../../electron/core/util/package-root';
import { initProject } from '../../electron/core/project/init';
import { compare, mib, peakRss } from './harness';

const CLI = path.join(packageRoot(), 'bin', 'benchtop.cjs');

/** The line under a row: the peak RSS of `benchtop ARGS` and of `make MAKEARGS` in `dir`. */
function printPeakRss(dir: string, args: string[], makeArgs: string[]): void {
  const subject = peakRss(process.execPath, [CLI, ...args], { cwd: dir }).bytes;
  console.log(`  peak RSS: ${mib(subject)} | baseline ${mib(peakRss('make', makeArgs, { cwd: dir }).bytes)}`);
}

async function noopAgainstMake(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'fifty');
  const { workspace } = await initProject(dir);
  workspace.close();
  const stages: string[] = [];
  const make: string[] = ['.PHONY: all'];
  const outs: string[] = [];
  for (let s = 0; s < 50; s++) {
    mkdirSync(path.join(dir, 'data', `s${s}`), { recursive: true });
    const deps: string[] = [];
    for (let f = 0; f < 20; f++) {
      const rel = `data/s${s}/f${f}.txt`;
      writeFileSync(path.join(dir, rel), `stage ${s} file ${f}\n`.repeat(50));
      deps.push(rel);
    }
    if (s > 0) deps.push(`out/s${s - 1}.txt`);
    const out = `out/s${s}.txt`;
    outs.push(out);
    stages.push(
      `  s${s}:\n    cmd: mkdir -p out && cat ${deps.join(' ')} | wc -c > ${out}\n    deps: [${deps.join(', ')}]\n    outs: [${out}]`,
    );
    make.push(`${out}: ${deps.join(' ')}\n\tmkdir -p out && cat ${deps.join(' ')} | wc -c > ${out}`);
  }
  make.splice(1, 0, `all: ${outs.join(' ')}`);
  writeFileSync(path.join(dir, 'benchtop.yaml'), `stages:\n${stages.join('\n')}\n`);
  writeFileSync(path.join(dir, 'Makefile'), `${make.join('\n')}\n`);
  // Bring both up to date once.
  const first = spawnSync(process.execPath, [CLI, 'run', '--jobs', '4'], { cwd: dir, encoding: 'utf8' });
  if (first.status !== 0)
    throw new Error(`the first run failed:\n${first.stdout.slice(-2000)}\n${first.stderr.slice(-2000)}`);
  execFileSync('make', ['-s', '-j4'], { cwd: dir, stdio: 'ignore' });
  const noop = spawnSync(process.execPath, [CLI, 'run'], { cwd: dir, encoding: 'utf8' });
  if (!noop.stdout.includes('every stage is up to date'))
    throw new Error(`the pipeline was not up to date: ${noop.stdout}`);
  await compare(
    'no-op `benchtop run`: 50 stages, 1,000 deps',
    () => execFileSync(process.execPath, [CLI, 'run'], { cwd: dir, stdio: 'ignore' }),
    '`make -s` on the equivalent Makefile',
    () => execFileSync('make', ['-s'], { cwd: dir, stdio: 'ignore' }),
    10,
  );
  printPeakRss(dir, ['run'], ['-s']);
  // `make -q` exits 0 only when everything is up to date, as it is here.
  await compare(
    '`benchtop status`: the same 50 stages',
    () => execFileSync(process.execPath, [CLI, 'status'], { cwd: dir, stdio: 'ignore' }),
    '`make -q` on the equivalent Makefile',
    () => execFileSync('make', ['-q'], { cwd: dir, stdio: 'ignore' }),
    10,
  );
  printPeakRss(dir, ['status'], ['-q']);
}

async function perStageOverhead(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'overhead');
  const { workspace: ws } = await initProject(dir);
  const n = 20;
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    `stages:\n${Array.from({ length: n }, (_, i) => `  t${i}:\n    cmd: "true"\n    always_changed: true`).join('\n')}\n`,
  );
  const pipeline = loadPipeline(dir)!;
  const figure = await compare(
    `${n} stages of \`true\`, one at a time (per run)`,
    () => new PipelineRun({ projectDir: dir, db: ws.db, emit: () => undefined }, pipeline, { jobs: 1 }).execute(),
    `${n} bare \`sh -c true\` child processes`,
    () => {
      for (let i = 0; i < n; i++) spawnSync('/bin/sh', ['-c', 'true']);
    },
    6,
  );
  console.log(
    `  per-stage overhead over the child's own run time: ${((figure.subjectMs - figure.baselineMs) / n).toFixed(1)} ms`,
  );
  ws.close();
}

async function statusOnTenThousand(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'tenk');
  const { workspace: ws } = await initProject(dir);
  const deps: string[] = [];
  for (let d = 0; d < 100; d++) {
    mkdirSync(path.join(dir, 'data', `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) {
      writeFileSync(path.join(dir, 'data', `d${d}`, `f${f}.csv`), `a,b\n${d},${f}\n`.repeat(20));
    }
    deps.push(`data/d${d}`);
  }
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    `stages:\n  big:\n    cmd: ls data > listing.txt\n    deps: [${deps.join(', ')}]\n    outs: [listing.txt]\n`,
  );
  await new PipelineRun({ projectDir: dir, db: ws.db, emit: () => undefined }, loadPipeline(dir)!).execute();
  let rehashed = -1;
  const files = deps.flatMap((d) => Array.from({ length: 100 }, (_, f) => `${d}/f${f}.csv`));
  await compare(
    '`benchtop status`: 10,000 unchanged dep files',
    async () => {
      const hasher = new FileHasher(dir, ws.db);
      await planPipeline(loadPipeline(dir)!, readLock(dir), hasher, new ParamsFiles(dir));
      rehashed = hasher.rehashed;
    },
    'sha256sum of the same 10,000 files',
    () =>
      execFileSync('xargs', ['sha256sum'], {
        cwd: dir,
        input: files.join('\n'),
        stdio: ['pipe', 'ignore', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      }),
    5,
  );
  console.log(`  files rehashed by status: ${rehashed} of 10,000`);
  ws.close();
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-pipeline-'));
  try {
    console.log('\nBenchtop pipeline benchmarks (median of interleaved runs; ratio = Benchtop / baseline)\n');
    await noopAgainstMake(tmp);
    await perStageOverhead(tmp);
    await statusOnTenThousand(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
