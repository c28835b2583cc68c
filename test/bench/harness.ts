// The convention every benchmark follows: each figure is printed beside a baseline measured in the
// same run on the same machine, as a ratio, so numbers compare across machines and days.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/** Resident set size (bytes) of a live process, and apart the sum over all its descendants (Linux /proc). */
export function treeRss(pid: number): { self: number; descendants: number } {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: read from after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the table was read.
    }
  }
  const rss = (p: number): number => {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  let descendants = 0;
  const todo = [...(parents.get(pid) ?? [])];
  while (todo.length) {
    const p = todo.pop()!;
    descendants += rss(p);
    todo.push(...(parents.get(p) ?? []));
  }
  return { self: rss(pid), descendants };
}

/**
 * Runs a command to its end under GNU time and returns its peak RSS in bytes: one process's, threads
 * included (the largest of its children's, were it to spawn any, not their sum).
 */
export function peakRss(
  file: string,
  args: string[],
  options: { cwd?: string } = {},
): { bytes: number; stdout: string } {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-rss-')), 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, file, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${r.status}`);
  const kib = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  rmSync(path.dirname(out), { recursive: true, force: true });
  return { bytes: kib * 1024, stdout: r.stdout };
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
