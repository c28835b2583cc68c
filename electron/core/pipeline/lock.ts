// Runs in: main (core). benchtop.lock: what each stage last ran with (committed with the project),
// so that "has anything changed?" has an answer on any machine.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write';
import { LOCK_FILE } from '../util/layout';
import { FileProblemError, loadYaml, zodProblems } from '../util/yaml-file';

const lockEntry = z.object({
  cmd: z.array(z.string()),
  deps: z.record(z.string(), z.string().nullable()).default({}),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  outs: z.record(z.string(), z.string().nullable()).default({}),
});
const lockFile = z.object({ schema: z.literal(1), stages: z.record(z.string(), lockEntry).default({}) });

export type LockEntry = z.infer<typeof lockEntry>;
export type Lock = z.infer<typeof lockFile>;

export function readLock(projectDir: string): Lock {
  const file = path.join(projectDir, LOCK_FILE);
  if (!existsSync(file)) return { schema: 1, stages: {} };
  const source = loadYaml(readFileSync(file, 'utf8'), LOCK_FILE, { uniqueKeys: false });
  const parsed = lockFile.safeParse(source.data);
  if (!parsed.success) {
    throw new FileProblemError(
      zodProblems(
        source,
        parsed.error,
        'benchtop.lock is written by Benchtop: restore it from git, or delete it to run every stage again.',
      ),
    );
  }
  return parsed.data;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export function writeLock(projectDir: string, lock: Lock): void {
  const stages = Object.fromEntries(
    Object.entries(lock.stages)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, e]) => [
        name,
        {
          cmd: e.cmd,
          deps: sorted(e.deps),
          params: sorted(Object.fromEntries(Object.entries(e.params).map(([f, v]) => [f, sorted(v)]))),
          outs: sorted(e.outs),
        },
      ]),
  );
  writeFileAtomic(
    path.join(projectDir, LOCK_FILE),
    `# Written by Benchtop: what each stage last ran with. Commit it; do not edit.\n${stringify({ schema: 1, stages })}`,
  );
}
