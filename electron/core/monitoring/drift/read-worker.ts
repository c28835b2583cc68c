// Runs in: a worker thread (of main (core) or the CLI), bundled to dist/drift-read-worker.cjs. Reads
// one side of a drift report into typed columns, sorts its numeric columns (the report's costliest
// step after reading, and one side's sort does not need the other side), and hands them back without
// copying (their buffers are transferred), so both sides are read and sorted at the same time on two cores.
import { parentPort, workerData } from 'node:worker_threads';
import { BenchtopError } from '../../../../shared/contract/errors';
import { sortedSample } from '../stats/sample';
import { readTable } from './read-table';
import type { ResolvedSource } from './sources';

const { src, field } = workerData as { src: ResolvedSource; field: string };
const port = parentPort!;
readTable(src, (rows) => port.postMessage({ type: 'progress', rows }), field).then(
  (data) => {
    for (const c of data.columns) if (c.kind === 'numeric') c.sorted = sortedSample(c.values);
    const transfer = data.columns.flatMap((c) =>
      c.kind === 'numeric' ? [c.values.buffer, c.sorted!.buffer] : [c.codes.buffer, c.counts.buffer],
    ) as ArrayBuffer[];
    port.postMessage({ type: 'done', data }, transfer);
  },
  (err: unknown) => {
    const error =
      err instanceof BenchtopError
        ? err.toShape()
        : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
    port.postMessage({ type: 'error', error });
  },
);
