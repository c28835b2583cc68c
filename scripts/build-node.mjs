// Bundles the Node side with esbuild: the Electron main process, the sandboxed preload (which may
// only require 'electron', so everything else is inlined), the CLI, and the data diff's worker
// thread (dist/diff-worker.cjs, started by both the app and the CLI from beside them; see
// electron/core/data/diff/newer-side.ts). Dependencies stay external and load from
// node_modules, except in the preload.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

for (const f of ['main.cjs', 'preload.cjs', 'cli.cjs', 'echarts-ssr.cjs', 'diff-worker.cjs', 'drift-read-worker.cjs'])
  rmSync(`dist/${f}`, { force: true });

// Pure-JS dependencies are bundled in: one file loads much faster than hundreds (zod alone is
// ~120 ms of module resolution otherwise), which matters for every CLI call. Native modules and
// electron stay external.
const external = ['better-sqlite3', 'electron'];
// ECharts (server-side SVG for reports) gets a bundle of its own, read only when a chart is drawn:
// inside cli.cjs its megabytes would be parsed by every CLI call.
const withoutEcharts = [...external, 'echarts'];

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/main.cjs', external: withoutEcharts }),
  build({ ...common, entryPoints: ['electron/cli/entry.ts'], outfile: 'dist/cli.cjs', external: withoutEcharts }),
  build({
    ...common,
    entryPoints: ['electron/core/reports/echarts-entry.ts'],
    outfile: 'dist/echarts-ssr.cjs',
    external,
    sourcemap: false,
  }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/preload.cjs', external: ['electron'] }),
  build({
    ...common,
    entryPoints: ['electron/core/data/diff/diff-worker.ts'],
    outfile: 'dist/diff-worker.cjs',
    external,
  }),
  // Drift reports read their two sides in worker threads; a worker loads a file, so it gets its own bundle.
  build({
    ...common,
    entryPoints: ['electron/core/monitoring/drift/read-worker.ts'],
    outfile: 'dist/drift-read-worker.cjs',
    external,
  }),
]);
