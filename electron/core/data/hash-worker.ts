// Runs in: a worker thread of main (core) or the CLI, bundled alone as dist/hash-worker.cjs by
// scripts/build-node.mjs (hash-pool.ts starts it). Runs the hash pool's jobs one at a time and
// answers each with its results; the work itself is hash-job.ts.
import { parentPort, threadId } from 'node:worker_threads';
import { HashJobRunner, type HashJob } from './hash-job';

const port = parentPort!;
const runner = new HashJobRunner(threadId);
port.on('message', async (job: HashJob) => port.postMessage(await runner.run(job)));
