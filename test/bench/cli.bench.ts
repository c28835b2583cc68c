// CLI start-up: `benchtop --help` and `benchtop status` on a small project, against starting Node
// with nothing to run (`node -e 0`), each with its peak RSS.
//
// Where the time goes (--cpu-prof, and user+sys CPU time of 7 interleaved runs on the loaded
// 2-core machine): `node -e 0` takes 50 ms. `--help` took 260 ms and status on a small project
// 320 ms when every command loaded the whole 3.7 MB bundle: V8 compiling it (about a third) and
// running the top level of every module (the zod schemas of the whole contract, the core,
// isomorphic-git, yaml, csv), needed or not. Command actions now import the core when they run, and
// bin/code-cache.cjs reuses V8's compiled code (dist/cli.cjs.cache): `--help` takes 140 ms, status
// 260 ms. What `--help` still runs is commander, the command declarations and the contract schemas
// their options name (zod builds each schema when its module loads); status needs the core, the
// database and git, so it still runs the top level of every domain's handlers (about two thirds
// of its profile). The goal of 1.5× `node -e 0` needs the contract's schemas built on first use
// and the core's domains loaded per method; the floor is Node's start plus reading and checking
// the bundle and its cache (a few ms).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initProject } from '../../electron/core/project/init';
import { packageRoot } from '../../electron/core/util/package-root';
import { compare, mib, peakRss } from './harness';

const CLI = path.join(packageRoot(), 'bin', 'benchtop.cjs');

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-cli-'));
  try {
    console.log('\nBenchtop CLI start-up benchmarks (median of interleaved runs; ratio = Benchtop / baseline)\n');
    const dir = path.join(tmp, 'small');
    (await initProject(dir)).workspace.close();
    const node = (): unknown => execFileSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    for (const args of [['--help'], ['status']]) {
      await compare(
        `\`benchtop ${args.join(' ')}\`${args[0] === 'status' ? ' (small project)' : ''}`,
        () => execFileSync(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' }),
        '`node -e 0`',
        node,
        20,
      );
      const rss = peakRss(process.execPath, [CLI, ...args], { cwd: dir }).bytes;
      console.log(`  peak RSS: ${mib(rss)} | baseline ${mib(peakRss(process.execPath, ['-e', '0']).bytes)}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
