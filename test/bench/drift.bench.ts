// Drift report benchmark: reference and current CSVs of 1,000,000 rows × 20 mixed columns (numeric,
// integer, low-cardinality, categorical, boolean; drift in some columns), generated from a seed.
// Subject: computeDriftReport (typed columnar reading, both sides at once in worker threads as in the
// app and the CLI, and again on one thread; sort once per column, every test and summary).
// Baseline in the same run: csv-parse into arrays of strings per column, Number() per cell, a plain
// comparison sort per column, then the same tests from the statistics module.
// Peak memory: each side of the comparison runs in a process of its own (this file again, with the
// side to run as its argument), measured by GNU time: Benchtop's report with its reader threads
// (threads share the process's RSS), on one thread, and pandas + SciPy reading the same files and
// running the two-sample Kolmogorov-Smirnov test on each numeric column and a chi-square test on
// each categorical one (skipped where python3 has no pandas and SciPy: `apt-get install
// python3-pandas python3-scipy`).
// Where the memory goes (1M rows × 20 columns a side, 15 numeric): each numeric column is 8 MB a
// side. The reader threads used to send back the rows' values and a sorted copy of them, 16 MB a
// column a side, 480 MB in all, and the peak was 728 MiB against pandas + SciPy's 577–586 MiB. They
// now send one buffer, sorted values first (read-worker.ts), and the peak is 569–574 MiB; one thread
// sorts a column at a time and peaks at 465 MiB. What is left is the columns themselves (240 MB of
// numbers, 40 MB of category codes), Node and the bundle (~60 MB), and each reader thread's heap
// while it reads.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { computeDriftReport } from '../../electron/core/monitoring/drift';
import { columnDrift, countCategories, type ColumnSample } from '../../electron/core/monitoring/stats';
import { mib, peakRss } from './harness';

const ROWS = Number(process.env.DRIFT_BENCH_ROWS ?? 1_000_000);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ['Paris', 'Lyon', 'Nice', 'Lille', 'Nantes', 'Brest', 'Dijon', 'Metz', 'Rouen', 'Tours', 'Caen', 'Pau'];
const PLANS = ['free', 'basic', 'pro', 'team', 'enterprise'];

const HEADER = [
  ...Array.from({ length: 10 }, (_, i) => `x${i}`),
  'age',
  'visits',
  'amount_cents',
  'tier',
  'rating',
  'city',
  'plan',
  'device',
  'channel',
  'active',
];

function row(r: () => number, drift: boolean): string {
  const cells: string[] = [];
  for (let i = 0; i < 10; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    cells.push((z * (1 + i) + (drift && i < 4 ? 0.5 : 0)).toFixed(5));
  }
  cells.push(String(18 + Math.floor(r() * 60)));
  cells.push(String(Math.floor(-Math.log(1 - r()) * (drift ? 12 : 10))));
  cells.push(String(Math.floor(r() * 100000)));
  cells.push(String(Math.floor(r() * 4)));
  cells.push(String(1 + Math.floor(r() * 5)));
  cells.push(CITIES[Math.floor(r() * (drift ? 12 : 10))]!);
  cells.push(PLANS[Math.floor(r() * r() * 5)]!);
  cells.push(r() < (drift ? 0.6 : 0.5) ? 'mobile' : 'desktop');
  cells.push(`ch${Math.floor(r() * 30)}`);
  cells.push(r() < 0.7 ? 'true' : 'false');
  return cells.join(',');
}

async function writeCsv(file: string, seed: number, drift: boolean): Promise<void> {
  const out = createWriteStream(file);
  const r = rng(seed);
  let buf: string[] = [HEADER.join(',')];
  for (let i = 0; i < ROWS; i++) {
    buf.push(row(r, drift));
    if (buf.length === 10_000) {
      if (!out.write(`${buf.join('\n')}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = [];
    }
  }
  if (buf.length) out.write(`${buf.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** The straightforward way: strings per cell, Number() per cell, Array#sort per column, then the same tests. */
async function baseline(refFile: string, curFile: string): Promise<{ drifted: number }> {
  const read = async (file: string): Promise<{ names: string[]; cols: string[][] }> => {
    let names: string[] = [];
    let cols: string[][] = [];
    for await (const rec of createReadStream(file).pipe(parse({ bom: true })) as AsyncIterable<string[]>) {
      if (!names.length) {
        names = rec;
        cols = names.map(() => []);
        continue;
      }
      for (let i = 0; i < rec.length; i++) cols[i]!.push(rec[i]!);
    }
    return { names, cols };
  };
  const ref = await read(refFile);
  const cur = await read(curFile);
  let drifted = 0;
  ref.names.forEach((name, i) => {
    const a = ref.cols[i]!;
    const b = cur.cols[cur.names.indexOf(name)]!;
    const an = a.map(Number);
    const bn = b.map(Number);
    let sample: [ColumnSample, ColumnSample];
    if (an.every(Number.isFinite) && bn.every(Number.isFinite)) {
      const sa = an.filter(Number.isFinite).sort((x, y) => x - y);
      const sb = bn.filter(Number.isFinite).sort((x, y) => x - y);
      sample = [
        { kind: 'numeric', values: Float64Array.from(sa) },
        { kind: 'numeric', values: Float64Array.from(sb) },
      ];
    } else {
      sample = [
        { kind: 'categorical', counts: countCategories(a) },
        { kind: 'categorical', counts: countCategories(b) },
      ];
    }
    if (columnDrift(sample[0], sample[1]).drifted) drifted++;
  });
  return { drifted };
}

const PANDAS = `
import sys, time
import pandas as pd
from scipy import stats
t = time.time()
ref = pd.read_csv(sys.argv[1])
cur = pd.read_csv(sys.argv[2])
drifted = 0
for name in ref.columns:
    a, b = ref[name], cur[name]
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        p = stats.ks_2samp(a.dropna().to_numpy(), b.dropna().to_numpy()).pvalue
    else:
        table = pd.concat([a.value_counts(), b.value_counts()], axis=1).fillna(0).to_numpy()
        p = stats.chi2_contingency(table.T)[1]
    drifted += p < 0.05
print(time.time() - t, drifted)
`;

/** The first python3 that has pandas and SciPy (a version manager's may lack what Debian's has), or null. */
function pandasPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3'])
    if (spawnSync(python, ['-c', 'import pandas, scipy'], { stdio: 'ignore' }).status === 0) return python;
  return null;
}

/** One side, run in this process when the bench starts itself for a memory measurement: prints its seconds. */
async function side(which: string, refFile: string, curFile: string, workerFile: string): Promise<void> {
  const t = process.hrtime.bigint();
  if (which === 'baseline') await baseline(refFile, curFile);
  else
    await computeDriftReport(
      path.dirname(refFile),
      null,
      { reference: refFile, current: curFile },
      {
        workerFile: which === 'workers' ? workerFile : null,
      },
    );
  process.stdout.write(`${Number(process.hrtime.bigint() - t) / 1e9}\n`);
}

/** Peak RSS of each side in a process of its own, twice each, alternated; the smaller of the two. */
function memoryRows(refFile: string, curFile: string, workerFile: string | null, dir: string): void {
  const self = process.argv[1]!;
  const runs: { name: string; file: string; args: string[] }[] = [
    ...(workerFile
      ? [
          {
            name: 'Benchtop, sides in 2 workers',
            file: process.execPath,
            args: [self, 'workers', refFile, curFile, workerFile],
          },
        ]
      : []),
    { name: 'Benchtop, one thread', file: process.execPath, args: [self, 'thread', refFile, curFile, ''] },
  ];
  const pandas = pandasPython();
  // The timed baseline holds every cell as a string (2 GB): measured only when there is no pandas to compare with.
  if (!pandas)
    runs.push({
      name: 'csv-parse + Number() + Array#sort',
      file: process.execPath,
      args: [self, 'baseline', refFile, curFile, ''],
    });
  if (pandas) {
    writeFileSync(path.join(dir, 'drift.py'), PANDAS);
    runs.push({ name: 'pandas + SciPy', file: pandas, args: [path.join(dir, 'drift.py'), refFile, curFile] });
  }
  const peak = new Map<string, number[]>();
  for (let round = 0; round < 2; round++)
    for (const r of runs) peak.set(r.name, [...(peak.get(r.name) ?? []), peakRss(r.file, r.args).bytes]);
  const least = (name: string): number => Math.min(...peak.get(name)!);
  const base = pandas ? 'pandas + SciPy' : 'csv-parse + Number() + Array#sort';
  for (const r of runs.filter((x) => x.name.startsWith('Benchtop')))
    process.stdout.write(
      `${`drift 1M×20 peak RSS, ${r.name.slice(10)}`.padEnd(44)} ${mib(least(r.name)).padStart(9)} | baseline ${base.padEnd(36)} ${mib(least(base)).padStart(9)} | ratio ${(least(r.name) / least(base)).toFixed(2)}x (goal <= 1)\n`,
    );
  for (const r of runs.filter((x) => !x.name.startsWith('Benchtop') && x.name !== base))
    process.stdout.write(`  peak RSS of ${r.name}: ${mib(least(r.name))}\n`);
  if (!pandas)
    process.stdout.write(
      '  pandas + SciPy skipped: python3 lacks them (apt-get install python3-pandas python3-scipy)\n',
    );
}

async function main(): Promise<void> {
  const [which, refArg, curArg, workerArg] = process.argv.slice(2);
  if (which) return side(which, refArg!, curArg!, workerArg!);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'benchtop-drift-bench-'));
  try {
    const refFile = path.join(dir, 'reference.csv');
    const curFile = path.join(dir, 'current.csv');
    await writeCsv(refFile, 1, false);
    await writeCsv(curFile, 2, true);
    const mb = (statSync(refFile).size + statSync(curFile).size) / 1e6;
    process.stdout.write(
      `drift report: ${ROWS.toLocaleString('en')} rows × ${HEADER.length} columns per side, ${mb.toFixed(0)} MB of CSV in all\n`,
    );
    const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
      const t = process.hrtime.bigint();
      const v = await fn();
      return [Number(process.hrtime.bigint() - t) / 1e9, v];
    };
    // `npm run bench` builds first, so the worker bundle the app and the CLI use is in dist/.
    const workerFile = path.join(process.cwd(), 'dist', 'drift-read-worker.cjs');
    const threads = existsSync(workerFile) ? workerFile : null;
    const request = { reference: refFile, current: curFile };
    // One run each, alternated, because a run takes seconds (the harness's 20 iterations would take many minutes).
    const [s1, report] = await time(() => computeDriftReport(dir, null, request, { workerFile: threads }));
    const [b1, base] = await time(() => baseline(refFile, curFile));
    const [o1] = await time(() => computeDriftReport(dir, null, request, { workerFile: null }));
    const [s2] = await time(() => computeDriftReport(dir, null, request, { workerFile: threads }));
    const [b2] = await time(() => baseline(refFile, curFile));
    const [o2] = await time(() => computeDriftReport(dir, null, request, { workerFile: null }));
    const plain = (b1 + b2) / 2;
    const line = (name: string, seconds: number) =>
      process.stdout.write(
        `${name.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s | baseline ${'csv-parse + Number() + Array#sort'.padEnd(36)} ${plain.toFixed(2).padStart(7)} s | ratio ${(seconds / plain).toFixed(2)}x\n`,
      );
    line(`drift report 1M×20, ${threads ? 'sides in 2 workers' : 'no worker bundle'}`, (s1 + s2) / 2);
    line('drift report 1M×20, one thread', (o1 + o2) / 2);
    process.stdout.write(
      `  drifted columns: report ${report.summary.drifted} of ${report.summary.tested} (dataset drift: ${report.summary.datasetDrift}), baseline ${base.drifted}\n`,
    );
    memoryRows(refFile, curFile, threads, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
