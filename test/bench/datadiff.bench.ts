// Data diff benchmark: two 1,000,000-row CSVs (10 columns, 1% of rows changed, a few added and
// removed) diffed by key and by content, against the baseline of streaming both files through
// csv-parse with the diff's settings and doing nothing else (what reading them cost before the
// diff had its own reader), so a ratio below 1 means the whole diff is cheaper than parsing alone.
// The newer file is read on a worker thread (dist/diff-worker.cjs: build first) while the older one
// is read on the main thread; a third figure sets that against the same diff on one thread, and
// a fourth times `data add`'s schema pass, which reads with the same reader.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffTables, type TableSide } from '../../electron/core/data/diff/table-diff';
import { parse } from 'csv-parse';
import { csvOptions } from '../../electron/core/files/delimited-records';
import { readTableSchema } from '../../electron/core/data/table-schema';
import { compare } from './harness';

const ROWS = 1_000_000;

async function csvParseOnly(file: string): Promise<void> {
  for await (const record of createReadStream(file).pipe(parse(csvOptions(','))) as AsyncIterable<string[]>)
    void record;
}

/** A deterministic pseudo-random stream (mulberry32), so every run diffs the same files. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];

function row(id: number, r: () => number): string {
  const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
  return `${id},user${Math.floor(r() * 1e6)},${CATS[Math.floor(r() * 10)]},${(r() * 100).toFixed(4)},${(r() * 2 - 1).toFixed(6)},${Math.floor(r() * 1000)},2024-03-${day},${r() < 0.5},${r().toString(36).slice(2, 8)},${(r() * 1e4).toFixed(2)}`;
}

async function write(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let buf: string[] = [];
  for (const l of lines) {
    buf.push(l);
    if (buf.length === 10_000) {
      if (!out.write(`${buf.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = [];
    }
  }
  if (buf.length) out.write(`${buf.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function* version(changed: boolean): Generator<string> {
  yield 'id,name,category,score,delta,count,day,active,code,amount';
  const base = rng(1);
  const edit = rng(2);
  for (let id = 1; id <= ROWS; id++) {
    const line = row(id, base);
    if (!changed) yield line;
    else {
      const p = edit();
      if (p < 0.001) continue; // removed
      yield p < 0.011 ? row(id, edit) : line; // 1% changed
      if (p > 0.999) yield row(ROWS + id, edit); // added
    }
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-diff-'));
  try {
    console.log('Benchtop data diff benchmark (median of interleaved runs; ratio = Benchtop / baseline)\n');
    const a = path.join(tmp, 'a.csv');
    const b = path.join(tmp, 'b.csv');
    await write(a, version(false));
    await write(b, version(true));
    const side = async (file: string): Promise<TableSide> => ({
      source: { file, display: path.basename(file), format: 'csv' },
      columns: (await readTableSchema(file, file))!.columns,
    });
    const sa = await side(a);
    const sb = await side(b);
    console.log(
      `files: ${ROWS} rows × 10 columns, ${(statSync(a).size / 2 ** 20).toFixed(0)} MiB and ${(statSync(b).size / 2 ** 20).toFixed(0)} MiB`,
    );
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const once = await diffTables(sa, sb, { key: 'id' });
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `diff: +${once.rowsAdded} -${once.rowsRemoved} ~${once.rowsChanged} =${once.rowsUnchanged}; heap used after: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
    // CPU of all threads: more than the wall time when the second core was free to help.
    console.log(
      `one diff by key: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)`,
    );
    await compare(
      'diff two 1M-row CSVs by key (10 columns)',
      () => diffTables(sa, sb, { key: 'id' }),
      'stream both through csv-parse',
      async () => {
        await csvParseOnly(a);
        await csvParseOnly(b);
      },
      2,
    );
    await compare(
      'diff two 1M-row CSVs by content',
      () => diffTables(sa, sb),
      'stream both through csv-parse',
      async () => {
        await csvParseOnly(a);
        await csvParseOnly(b);
      },
      2,
    );
    await compare(
      'diff by key, newer file on a worker thread',
      () => diffTables(sa, sb, { key: 'id', threads: 'worker' }),
      'the same diff on one thread',
      () => diffTables(sa, sb, { key: 'id', threads: 'inline' }),
      2,
    );
    await compare(
      'schema pass of `data add` (1M rows)',
      () => readTableSchema(b, b),
      'stream it through csv-parse',
      () => csvParseOnly(b),
      2,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
