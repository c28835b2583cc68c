// Runs in: main (core). The newer version of a table as the diff consumes it: its rows' keys and
// fingerprints in batches, its column statistics, and the cells of a few rows asked for later
// (the samples). A large file is read on a worker thread (dist/diff-worker.cjs) while the main
// thread reads the older version, so the two reads of a diff take the time of one on two cores;
// a small file, or a worker that cannot start (no bundle beside the app, a platform without
// threads), is read on the main thread by the same code, with the same results.
import { existsSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BenchtopError, type ContractErrorShape } from '../../../../shared/contract/errors';
import { workerBundle } from '../../util/worker-bundle';
import type { TableSchema } from '../pointer';
import type { RowSource } from './row-reader';
import { passOverSide, pickRows, type SideBatch, type SideEnd, type SidePlan } from './side-pass';

export interface NewerSideJob {
  source: RowSource;
  columns: TableSchema['columns'];
  /** The column order JSONL objects are laid out in (the schema's). */
  jsonColumns: string[];
  plan: SidePlan;
}

export type WorkerRequest = { type: 'pick'; rows: number[] };
export type WorkerError = { benchtop: ContractErrorShape } | { message: string };
export type WorkerReply =
  | { type: 'batch'; batch: SideBatch }
  | { type: 'end'; end: SideEnd }
  | { type: 'picked'; rows: string[][] }
  | { type: 'error'; error: WorkerError };

/** `auto`: a worker for files of WORKER_MIN_BYTES and more; `worker` insists on one (tests); `inline`: never. */
export type Threads = 'auto' | 'worker' | 'inline';

/** Below this a file reads in well under a second and a thread's start-up (~50 ms) is not worth it. */
export const WORKER_MIN_BYTES = 4 << 20;

export interface NewerSide {
  /** Hands every batch to `onBatch` in row order; resolves with the header and the statistics. */
  read(onBatch: (batch: SideBatch) => void): Promise<SideEnd>;
  /** The cells of the given 1-based data rows, in the order asked. Only after read(). */
  pick(rows: number[]): Promise<string[][]>;
  close(): Promise<void>;
  /** Whether the rows were read on a worker thread (false after a fallback). */
  readonly threaded: boolean;
}

/** The worker bundle: beside dist/cli.cjs and dist/main.cjs; tests and benches use the built one too. */
export function diffWorkerFile(): string {
  return workerBundle('diff-worker.cjs');
}

function rebuild(e: WorkerError): Error {
  return 'benchtop' in e ? BenchtopError.fromShape(e.benchtop) : new Error(e.message);
}

class InlineSide implements NewerSide {
  readonly threaded = false;
  constructor(private readonly job: NewerSideJob) {}
  read(onBatch: (batch: SideBatch) => void): Promise<SideEnd> {
    return passOverSide(this.job.source, this.job.columns, this.job.plan, onBatch);
  }
  pick(rows: number[]): Promise<string[][]> {
    return pickRows(this.job.source, this.job.jsonColumns, rows);
  }
  async close(): Promise<void> {}
}

class WorkerSide implements NewerSide {
  threaded = true;
  private readonly queue: WorkerReply[] = [];
  private head = 0;
  private wake: (() => void) | null = null;
  private crashed: Error | null = null;
  private delivered = false;
  private closing = false;

  constructor(
    private readonly job: NewerSideJob,
    private readonly worker: Worker,
    /** Fail rather than fall back to the main thread (tests that must exercise the worker). */
    private readonly strict: boolean,
  ) {
    worker.on('message', (m: WorkerReply) => {
      this.queue.push(m);
      this.wake?.();
    });
    worker.on('error', (err) => {
      this.crashed ??= err;
      this.wake?.();
    });
    worker.on('exit', (code) => {
      if (!this.closing) this.crashed ??= new Error(`the diff worker thread stopped (exit code ${code})`);
      this.wake?.();
    });
  }

  /** The next reply, or null once the thread has died with nothing left to read. */
  private async next(): Promise<WorkerReply | null> {
    while (this.head === this.queue.length) {
      if (this.crashed) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    const m = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as WorkerReply;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return m;
  }

  /** After the thread died: read here instead, unless rows were already handed over or a test forbids it. */
  private inline(): InlineSide {
    if (this.strict || this.delivered)
      throw new BenchtopError(
        'INTERNAL',
        `Reading ${this.job.source.display} on a worker thread failed: ${this.crashed?.message ?? 'no reason given'}.`,
        { field: 'path' },
      );
    this.threaded = false;
    return new InlineSide(this.job);
  }

  async read(onBatch: (batch: SideBatch) => void): Promise<SideEnd> {
    for (;;) {
      const m = await this.next();
      if (m === null) {
        const side = this.inline();
        await this.worker.terminate();
        return side.read(onBatch);
      }
      if (m.type === 'batch') {
        this.delivered = true;
        onBatch(m.batch);
      } else if (m.type === 'end') return m.end;
      else if (m.type === 'error') throw rebuild(m.error);
    }
  }

  async pick(rows: number[]): Promise<string[][]> {
    if (rows.length === 0) return [];
    // The samples are a fresh read of the file, so a thread lost by now costs nothing to replace.
    if (!this.threaded || this.crashed) return this.pickHere(rows);
    this.worker.postMessage({ type: 'pick', rows } satisfies WorkerRequest);
    const m = await this.next();
    if (m === null) return this.pickHere(rows);
    if (m.type === 'picked') return m.rows;
    if (m.type === 'error') throw rebuild(m.error);
    throw new BenchtopError('INTERNAL', `The diff worker answered a request for rows with a "${m.type}" message.`);
  }

  private pickHere(rows: number[]): Promise<string[][]> {
    if (this.strict && this.crashed)
      throw new BenchtopError(
        'INTERNAL',
        `Reading ${this.job.source.display} on a worker thread failed: ${this.crashed.message}.`,
        { field: 'path' },
      );
    return new InlineSide(this.job).pick(rows);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }
}

/**
 * Starts reading the newer version: on a worker thread when it is worth one and one can start.
 * `file` is the worker script (tests give a broken one to see the fallback).
 */
export function openNewerSide(job: NewerSideJob, threads: Threads = 'auto', file = diffWorkerFile()): NewerSide {
  if (threads === 'inline') return new InlineSide(job);
  if (threads === 'auto') {
    let size = 0;
    try {
      size = statSync(job.source.file).size;
    } catch {
      // A missing file fails the read itself, with the reader's message.
    }
    if (size < WORKER_MIN_BYTES || !existsSync(file)) return new InlineSide(job);
  }
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: job });
  } catch (err) {
    if (threads === 'worker') throw err;
    return new InlineSide(job);
  }
  return new WorkerSide(job, worker, threads === 'worker');
}
