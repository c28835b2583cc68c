// The convention every benchmark follows: each figure is printed beside a baseline measured in the
// same run on the same machine, as a ratio, so numbers compare across machines and days.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
export interface Figure {
  name: string;
  baselineName: string;
  subjectMs: number;
  baselineMs: number;
}

async function timeIt(fn: () => unknown | Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < Math.min(3, iterations); i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!; // median
}

export async function compare(
  name: string,
  subject: () => unknown | Promise<unknown>,
  baselineName: string,
  baseline: () => unknown | Promise<unknown>,
  iterations = 20,
): Promise<Figure> {
  // Interleave so that machine noise hits both sides alike.
  const b1 = await timeIt(baseline, Math.ceil(iterations / 2));
  const s1 = await timeIt(subject, Math.ceil(iterations / 2));
  const b2 = await timeIt(baseline, Math.ceil(iterations / 2));
  const s2 = await timeIt(subject, Math.ceil(iterations / 2));
  const figure = { name, baselineName, subjectMs: (s1 + s2) / 2, baselineMs: (b1 + b2) / 2 };
  const ratio = figure.subjectMs / figure.baselineMs;
  process.stdout.write(
    `${name.padEnd(44)} ${figure.subjectMs.toFixed(3).padStart(9)} ms | baseline ${baselineName.padEnd(36)} ${figure.baselineMs.toFixed(3).padStart(9)} ms | ratio ${ratio.toFixed(2)}x\n`,
  );
  return figure;
}

/**
 * Peak resident memory of one run of a command, in MiB, as GNU time's %M reports it (the kernel's
 * maxrss of the child); null where /usr/bin/time is missing. Run untimed, beside a timed row.
 */
export function peakRssMiB(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): number | null {
  if (!existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    ...opts,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

/** The line printed under a row: the peak RSS of its subject and of its baseline. */
export function printPeakRss(subject: number | null, baseline: number | null): void {
  const mib = (x: number | null): string => (x === null ? 'n/a (no /usr/bin/time)' : `${x.toFixed(0)} MiB`);
  process.stdout.write(`  peak RSS: ${mib(subject)} | baseline ${mib(baseline)}\n`);
}
