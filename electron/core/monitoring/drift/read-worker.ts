// Runs in: a worker thread (of main (core) or the CLI), bundled to dist/drift-read-worker.cjs. Reads
// one side of a drift report into typed columns, sorts its numeric columns (the report's costliest
// step after reading, and one side's sort does not need the other side), and hands them back without
// copying (their buffers are transferred), so both sides are read and sorted at the same time on two cores.
// A numeric column whose row order nothing needs comes back as one buffer, its sorted finite values
// first and then its other cells (missing, infinite), `sorted` a view of the start: keeping the rows
// and a sorted copy doubled the report's largest memory. The request's role columns (target,
// prediction, score, id, timestamp: `keepOrder`) keep their rows in order, beside a sorted copy.
import { parentPort, workerData } from 'node:worker_threads';
import { BenchtopError } from '../../../../shared/contract/errors';
import { sortedSample } from '../stats/sample';
import { readTable } from './read-table';
import type { ColumnData } from './column-builder';
import type { ResolvedSource } from './sources';

const { src, field, keepOrder } = workerData as { src: ResolvedSource; field: string; keepOrder: string[] };
const port = parentPort!;

/** Rewrites `values` as its sorted finite values then its other cells, and points `sorted` at the first part. */
function sortInPlace(c: Extract<ColumnData, { kind: 'numeric' }>): void {
  const values = c.values;
  const sorted = sortedSample(values);
  let others = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) values[others++] = values[i]!;
  values.copyWithin(sorted.length, 0, others);
  values.set(sorted, 0);
  c.sorted = values.subarray(0, sorted.length);
}

readTable(src, (rows) => port.postMessage({ type: 'progress', rows }), field).then(
  (data) => {
    const ordered = new Set(keepOrder);
    data.columns.forEach((c, i) => {
      if (c.kind !== 'numeric') return;
      if (ordered.has(data.names[i]!)) c.sorted = sortedSample(c.values);
      else sortInPlace(c);
    });
    const transfer = data.columns.flatMap((c) =>
      c.kind === 'numeric'
        ? c.sorted!.buffer === c.values.buffer
          ? [c.values.buffer]
          : [c.values.buffer, c.sorted!.buffer]
        : [c.codes.buffer, c.counts.buffer],
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
