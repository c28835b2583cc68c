// The convention every benchmark follows: each figure is printed beside a baseline measured in the
// same run on the same machine, as a ratio, so numbers compare across machines and days.
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';

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
 * Peak resident memory of a command run to its end, in MiB: GNU time's `%M`, the largest resident
 * set of the command or any process it waited for.
 */
export function peakRssMiB(command: string, args: readonly string[], options: SpawnSyncOptions = {}): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { ...options, encoding: 'utf8' });
  const kib = Number(String(r.stderr).trim().split('\n').pop());
  if (r.status !== 0 || !Number.isFinite(kib)) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return kib / 1024;
}
