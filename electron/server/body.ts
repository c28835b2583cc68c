// Runs in: main (browser-mode server). Reading a request body with a size limit. A body over the
// limit is still read to its end (and thrown away) before the refusal is answered: answering and
// closing while the client is still sending makes the kernel reset the connection, and the client
// then sees a reset instead of the 413 that says what went wrong.
import type { IncomingMessage } from 'node:http';

/** Past this much thrown-away input the connection is cut: a client sending forever gets no answer. */
const DRAIN_FACTOR = 64;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

export function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      if (!over) {
        over = true;
        chunks.length = 0;
      }
      if (size > limit * DRAIN_FACTOR) {
        reject(new BodyTooLarge(limit));
        req.destroy();
      }
    });
    req.on('end', () => (over ? reject(new BodyTooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
