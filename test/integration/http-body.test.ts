// Runs in: tests. The one request-body limit (electron/core/util/http-body.ts) as each of its callers
// applies it, over real HTTP on 127.0.0.1: the contract API, MLflow's JSON API and a model's /predict
// answer 413 to a body over their limit whether or not it was announced with Content-Length, the
// client reads that answer instead of a reset, and the server goes on answering; MLflow's artifact
// upload, which streams to disk, refuses an announced size over its limit the same way.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../electron/core/serving/endpoint-types';
import { MAX_ARTIFACT_BYTES } from '../../electron/server/mlflow/artifacts';
import type { BrowserServer } from '../../electron/server/http-server';
import { type HttpCallers, startHttpCallers } from '../support/browser-server';

interface Reply {
  status: number;
  text: string;
}

/**
 * Sends `body` in 64 KiB writes, announcing its length or not (chunked), and reads the whole answer;
 * a reset rejects, so a test that resolves proves the client got to read the status.
 */
function send(
  port: number,
  opts: { method: string; path: string; headers: Record<string, string>; body: Buffer; declareLength: boolean },
): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, ...opts.headers };
  if (opts.declareLength) headers['Content-Length'] = String(opts.body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    let at = 0;
    const writeMore = (): void => {
      while (at < opts.body.length) {
        const chunk = opts.body.subarray(at, at + 65536);
        at += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

const TOKEN = 'body-test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

let callers: HttpCallers;
let server: BrowserServer;
let endpoint: Endpoint;

beforeAll(async () => {
  callers = await startHttpCallers(TOKEN);
  ({ server, endpoint } = callers);
});

afterAll(() => callers.close());

const json = (size: number): Buffer => Buffer.from(JSON.stringify({ x: 1, pad: 'y'.repeat(size) }));

const CALLERS = [
  {
    name: 'contract API (1 MiB)',
    port: () => server.port,
    path: '/api/app.info',
    over: 2 * 1024 * 1024,
    refusal: (text: string) =>
      expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /1 MiB/ } }),
  },
  {
    name: 'MLflow JSON API (1 MiB)',
    port: () => server.port,
    path: '/api/2.0/mlflow/experiments/create',
    over: 2 * 1024 * 1024,
    refusal: (text: string) =>
      expect(JSON.parse(text)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: /1 MiB/ }),
  },
  {
    name: 'serving endpoint (10 MiB)',
    port: () => endpoint.status().port,
    path: '/predict',
    over: 11 * 1024 * 1024,
    refusal: (text: string) => expect(JSON.parse(text)).toMatchObject({ error: /10485760 bytes/ }),
  },
];

describe('the shared request-body limit', () => {
  for (const c of CALLERS) {
    for (const declareLength of [true, false]) {
      it(`${c.name}: a body over the limit, ${declareLength ? 'announced' : 'chunked'}, is answered 413`, async () => {
        const port = c.port();
        const big = await send(port, {
          method: 'POST',
          path: c.path,
          headers: auth,
          body: json(c.over),
          declareLength,
        });
        expect(big.status).toBe(413);
        c.refusal(big.text);
        // A body within the limit still goes through, on the same server.
        const small = await send(port, { method: 'POST', path: c.path, headers: auth, body: json(10), declareLength });
        expect(small.status).not.toBe(413);
        expect(small.status).toBeLessThan(500);
      });
    }
  }

  it('MLflow artifact upload: an announced size over the limit is refused before anything is written', async () => {
    const post = (p: string, body: unknown) =>
      send(server.port, {
        method: 'POST',
        path: `/api/2.0/mlflow/${p}`,
        headers: auth,
        body: Buffer.from(JSON.stringify(body)),
        declareLength: true,
      }).then((r) => JSON.parse(r.text));
    const exp = (await post('experiments/create', { name: 'uploads' })).experiment_id as string;
    const run = (await post('runs/create', { experiment_id: exp })).run.info.run_id as string;
    const status = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'PUT',
          path: `/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/big.bin`,
          headers: {
            Host: `127.0.0.1:${server.port}`,
            Authorization: `Bearer ${TOKEN}`,
            'Content-Length': String(MAX_ARTIFACT_BYTES + 1),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text });
            // The answer came before the announced body: nothing more need be sent.
            req.destroy();
          });
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.write(Buffer.alloc(1024));
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.text)).toMatchObject({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `The artifact is ${MAX_ARTIFACT_BYTES + 1} bytes; the limit for one upload is ${MAX_ARTIFACT_BYTES} bytes.`,
    });
    const list = await send(server.port, {
      method: 'GET',
      path: `/api/2.0/mlflow-artifacts/artifacts?path=${exp}/${run}/artifacts`,
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: Buffer.alloc(0),
      declareLength: false,
    });
    expect(JSON.parse(list.text)).toEqual({ files: [] });
  });
});
