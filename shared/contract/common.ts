// Runs in: main and renderer (shared). What every domain's contract file builds on: the shape of a
// method's spec, and the few input schemas more than one domain uses.
import { z } from 'zod';
import type { MethodName } from './names';

/** A folder path as the user typed or picked it; resolved by the core. */
export const folderPath = z
  .string()
  .trim()
  .min(1, 'a folder path is required')
  .max(4096, 'the path is longer than 4096 characters')
  .refine((p) => !p.includes('\0'), 'the path contains a NUL character');

/** A path inside the open project, relative and without `..`: the core re-checks it on disk. */
export const projectRelativePath = z
  .string()
  .min(1, 'a file path is required')
  .max(1024)
  .refine((p) => !p.includes('\0'), 'the path contains a NUL character')
  .refine(
    (p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.startsWith('\\'),
    'the path must be relative to the project folder',
  )
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'the path must stay inside the project folder (no "..")');

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);

export type RunStatus = z.infer<typeof runStatus>;

export const stageRunStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'up-to-date',
]);

export type StageRunStatus = z.infer<typeof stageRunStatus>;

/** A metric value: any double, NaN and ±Infinity included (they cross HTTP in the wire format). */
export const metricValue = z.custom<number>(
  (v) => typeof v === 'number',
  'expected a number (NaN and ±Infinity allowed)',
);

/**
 * How a method meets the project lock (one writer per project; see electron/core/app/method-access.ts).
 * read: changes nothing. write: changes project files, git, the cache or shared rows; holds the
 * lock. local: appends that SQLite serialises by itself (tracking logged by scripts and MLflow
 * clients, prediction logs) or machine-local state; never waits, since refusing them would lose
 * what a script logged while a long run in a terminal holds the lock.
 */
export type MethodAccess = 'read' | 'write' | 'local';

export interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  /** Kept beside the method so a new one cannot be added without deciding how it meets the lock. */
  access: MethodAccess;
  input: I;
  output: O;
}

export type AnyMethodSpec = MethodSpec<z.ZodType, z.ZodType>;

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

/**
 * A domain's spec map, checked against names.ts: every name with the domain's prefixes must have a
 * spec, and a spec whose name is not listed there fails to compile (so a typo cannot slip in).
 */
export function domainMethods<P extends string>() {
  return <T extends { [K in Extract<MethodName, P>]: AnyMethodSpec }>(
    specs: T & Record<Exclude<keyof T, Extract<MethodName, P>>, never>,
  ): T => specs;
}

export const none = z.object({}).strict();
export const runIds = z.array(z.string().min(1).max(200)).min(1).max(10_000);
export const runId = z.string().min(1).max(200);
