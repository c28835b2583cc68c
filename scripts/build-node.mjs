// Bundles the Node side with esbuild: the Electron main process, the sandboxed preload (which may
// only require 'electron', so everything else is inlined), the CLI, and each worker thread's script
// as an entry of its own (dist/*-worker.cjs, started by both the app and the CLI from beside them;
// electron/core/util/worker-bundle.ts finds them). Dependencies stay external and load from
// node_modules, except in the preload.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

const workers = {
  // The data diff reads the newer version of a table on a thread (data/diff/newer-side.ts).
  'diff-worker.cjs': 'electron/core/data/diff/diff-worker.ts',
  // Drift reports read their two sides in worker threads (monitoring/drift/read-parallel.ts).
  'drift-read-worker.cjs': 'electron/core/monitoring/drift/read-worker.ts',
  // sha256 of many files on a pool of threads (data/hash-pool.ts).
  'hash-worker.cjs': 'electron/core/data/hash-worker.ts',
};

for (const f of ['main.cjs', 'preload.cjs', 'cli.cjs', 'cli.cjs.cache', 'echarts-ssr.cjs', ...Object.keys(workers)])
  rmSync(`dist/${f}`, { force: true });

// Pure-JS dependencies are bundled in: one file loads much faster than hundreds (zod alone is
// ~120 ms of module resolution otherwise), which matters for every CLI call. Native modules and
// electron stay external.
// The S3 SDK too: it is large and loaded only when a bucket is used, so other commands start as fast.
const external = ['better-sqlite3', 'electron', '@aws-sdk/client-s3'];
// ECharts (server-side SVG for reports) gets a bundle of its own, read only when a chart is drawn:
// inside cli.cjs its megabytes would be parsed by every CLI call.
const withoutEcharts = [...external, 'echarts'];

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/main.cjs', external: withoutEcharts }),
  build({
    ...common,
    entryPoints: ['electron/cli/entry.ts'],
    outfile: 'dist/cli.cjs',
    external: withoutEcharts,
    // bin/code-cache.cjs runs the bundle as a vm.Script, where `import()` of a package needs an
    // experimental loader option on Node 20; require() loads the same packages (their CommonJS builds).
    supported: { 'dynamic-import': false },
  }),
  build({
    ...common,
    entryPoints: ['electron/core/reports/echarts-entry.ts'],
    outfile: 'dist/echarts-ssr.cjs',
    external,
    sourcemap: false,
  }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/preload.cjs', external: ['electron'] }),
  // A worker thread loads a file, so each gets a bundle of its own.
  ...Object.entries(workers).map(([out, entry]) =>
    build({ ...common, entryPoints: [entry], outfile: `dist/${out}`, external }),
  ),
]);

// The CLI's V8 code cache (bin/code-cache.cjs): one `--help` compiles the start-up path and writes
// dist/cli.cjs.cache on exit, so the first real command starts as fast as the ones after it.
spawnSync(process.execPath, ['bin/benchtop.cjs', '--help'], { stdio: 'ignore' });
if (!existsSync('dist/cli.cjs.cache')) console.warn('build-node: no CLI code cache was written; the CLI still works.');
