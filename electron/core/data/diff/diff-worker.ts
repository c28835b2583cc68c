// Runs in: a worker thread of the main process or the CLI (bundled alone as dist/diff-worker.cjs by
// scripts/build-node.mjs). Reads the newer version of a table while the main thread reads the older
// one (newer-side.ts starts it): batches go back with their typed arrays transferred, not copied;
// then it answers requests for the cells of given rows (the samples) until it is terminated.
import { parentPort, workerData } from 'node:worker_threads';
import { BenchtopError } from '../../../../shared/contract/errors';
import { passOverSide, pickRows } from './side-pass';
import type { NewerSideJob, WorkerError, WorkerReply, WorkerRequest } from './newer-side';

const port = parentPort!;
const job = workerData as NewerSideJob;

function describeError(err: unknown): WorkerError {
  if (err instanceof BenchtopError) return { benchtop: err.toShape() };
  return { message: err instanceof Error ? err.message : String(err) };
}

function reply(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

port.on('message', (req: WorkerRequest) => {
  pickRows(job.source, job.jsonColumns, req.rows).then(
    (rows) => reply({ type: 'picked', rows }),
    (err: unknown) => reply({ type: 'error', error: describeError(err) }),
  );
});

passOverSide(job.source, job.columns, job.plan, (b) =>
  reply({ type: 'batch', batch: b }, [b.keyLengths.buffer as ArrayBuffer, b.hashes.buffer as ArrayBuffer]),
).then(
  (end) => reply({ type: 'end', end }),
  (err: unknown) => reply({ type: 'error', error: describeError(err) }),
);
