// Runs in: main (browser-mode server, serving endpoint) and the CLI's `benchtop serve`. The one rule
// for how much a request body may carry, for every Benchtop HTTP server: a body read into memory
// (contract calls, MLflow's JSON, /predict) and an upload streamed to disk (MLflow artifacts) are
// both refused with BodyTooLarge (413) past their limit, and a Content-Length over the limit is
// refused before a byte of it is kept.
//
// A body over the limit is still read to its end (and thrown away) before the refusal is answered:
// answering and closing while the client is still sending makes the kernel reset the connection,
// and the client then sees a reset instead of the 413 that says what went wrong.
import type { IncomingMessage } from 'node:http';

/** Past this much thrown-away input the connection is cut: a client sending forever gets no answer. */
const DRAIN_FACTOR = 64;

export class BodyTooLarge extends Error {
  readonly status = 413;
  /**
   * `declared` is the Content-Length when the client announced a body over the limit, null when it
   * sent one without saying (chunked) or said less than it sent.
   */
  constructor(
    readonly limit: number,
    readonly declared: number | null = null,
  ) {
    super(
      declared === null
        ? `The request body is larger than ${limit} bytes.`
        : `The request body is ${declared} bytes; at most ${limit} are accepted.`,
    );
  }
}

/** The Content-Length the client announced, or null (none, or not a whole number). */
export function declaredLength(req: IncomingMessage): number | null {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw);
}

/** Throws BodyTooLarge when the announced length is over `limit`: nothing need be read to know. */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) throw new BodyTooLarge(limit, declared);
}

/**
 * Passes a stream's chunks on while their total stays within `limit`, and throws BodyTooLarge as
 * soon as it would not: for uploads that go to disk rather than memory (used in a pipeline).
 */
export async function* limitBytes(source: AsyncIterable<Buffer>, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(limit);
    yield chunk;
  }
}

/**
 * The whole body, at most `limit` bytes. Over the limit (announced or sent) nothing more is kept,
 * the rest is read and dropped, and the promise rejects with BodyTooLarge once the body has ended,
 * so that the 413 reaches the client. A body announced as more than DRAIN_FACTOR times the limit is
 * refused at once; one sent beyond that is cut off.
 */
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = declaredLength(req);
    const tooLarge = (): BodyTooLarge =>
      new BodyTooLarge(limit, declared !== null && declared > limit ? declared : null);
    req.on('error', reject);
    // So large that waiting for it is worse than the client perhaps missing the answer: refused now,
    // and what does come is still dropped, up to the point where the connection is cut.
    if (declared !== null && declared > limit * DRAIN_FACTOR) reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared !== null && declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size <= limit) return void chunks.push(chunk);
      if (!over) {
        over = true;
        chunks.length = 0;
      }
      if (size > limit * DRAIN_FACTOR) {
        reject(tooLarge());
        req.destroy();
      }
    });
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
  });
}
