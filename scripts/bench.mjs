// `npm run bench`: bundles test/bench/*.bench.ts with esbuild and runs each in its own process.
// Every figure is printed beside a baseline measured in the same run, as a ratio.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const benchDir = path.join(root, 'test', 'bench');
// Inside the checkout so the bundles resolve node_modules and Benchtop's package.json; not under
// node_modules, which worktrees share through a symlink (git-ignored).
const outDir = path.join(root, '.bench-cache');
const only = process.argv[2];
let failed = false;
for (const file of readdirSync(benchDir).filter(
  (f) => f.endsWith('.bench.ts') && (!only || f === `${only}.bench.ts`),
)) {
  const outfile = path.join(outDir, file.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [path.join(benchDir, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
