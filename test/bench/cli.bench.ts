// CLI start-up: `benchtop --help` and `benchtop status` on a small project, against starting Node
// with nothing to run (`node -e 0`), each with its peak RSS.
//
// Where the time goes (profiled with --cpu-prof on the 2-core machine): Node itself starts in about
// 50 ms. Before this bench's changes, loading dist/cli.cjs cost about 150 ms more for every command:
// V8 compiling the 3.7 MB bundle (about half) and running every module's top level (the zod
// schemas of the whole contract, the core, isomorphic-git, yaml, csv), needed or not.
// Now the command actions import the core when they run, and bin/code-cache.cjs reuses V8's
// compiled code (dist/cli.cjs.cache). `--help` still runs commander, the command declarations and
// the contract schemas their options name (zod builds each schema when its module loads, about
// 30 ms); `status` needs the core, the database and git anyway, so it loads most of the bundle.
// The floor for any command is Node's start plus reading and hashing the bundle and its cache
// (about 10 ms).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initProject } from '../../electron/core/project/init';
import { packageRoot } from '../../electron/core/util/package-root';
import { compare, peakRssMiB, printPeakRss } from './harness';

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
      printPeakRss(
        peakRssMiB(process.execPath, [CLI, ...args], { cwd: dir }),
        peakRssMiB(process.execPath, ['-e', '0']),
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
