// Runs in: main (core). Reads a drift report's two sides at once, each in a worker thread, when the
// worker bundle (dist/drift-read-worker.cjs, next to the app's and the CLI's bundles) is there; in
// this thread otherwise (a source checkout never built) or when a worker cannot start.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BenchtopError, type ContractErrorShape } from '../../../../shared/contract/errors';
import { builtWorkerBundle } from '../../util/worker-bundle';
import { readTable } from './read-table';
import type { ResolvedSource } from './sources';
import type { RowsProgress, TableData } from './table-data';

export const WORKER_BUNDLE = 'drift-read-worker.cjs';

/** The worker bundle beside the app's and the CLI's bundles, or null. */
export function defaultWorkerFile(): string | null {
  return builtWorkerBundle(WORKER_BUNDLE);
}

type Message =
  | { type: 'progress'; rows: number }
  | { type: 'done'; data: TableData }
  | { type: 'error'; error: ContractErrorShape };

/** Rejects with the reader's own BenchtopError; resolves null when the worker itself failed (then read here). */
function readInWorker(
  workerFile: string,
  src: ResolvedSource,
  onRows: RowsProgress | undefined,
  field: string,
  keepOrder: readonly string[],
): Promise<TableData | null> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(path.resolve(workerFile), { workerData: { src, field, keepOrder } });
    } catch {
      return resolve(null);
    }
    worker.on('message', (m: Message) => {
      if (m.type === 'progress') onRows?.(m.rows);
      else {
        settled = true;
        void worker.terminate();
        if (m.type === 'done') resolve(m.data);
        else reject(BenchtopError.fromShape(m.error));
      }
    });
    worker.on('error', () => {
      if (!settled) resolve(null);
      settled = true;
    });
    worker.on('exit', () => {
      if (!settled) resolve(null);
      settled = true;
    });
  });
}

/**
 * `keepOrder`: the columns whose rows must stay in order (read-worker.ts); any other numeric column
 * read by a worker comes back with its values reordered, sorted finite values first.
 */
export async function readBoth(
  sides: { src: ResolvedSource; onRows: RowsProgress | undefined; field: string }[],
  workerFile: string | null,
  keepOrder: ReadonlySet<string> = new Set(),
): Promise<TableData[]> {
  if (!workerFile) {
    const out: TableData[] = [];
    for (const s of sides) out.push(await readTable(s.src, s.onRows, s.field));
    return out;
  }
  const read = await Promise.allSettled(
    sides.map((s) => readInWorker(workerFile, s.src, s.onRows, s.field, [...keepOrder])),
  );
  const failed = read.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return Promise.all(
    read.map(
      (r, i) =>
        (r as PromiseFulfilledResult<TableData | null>).value ??
        readTable(sides[i]!.src, sides[i]!.onRows, sides[i]!.field),
    ),
  );
}
