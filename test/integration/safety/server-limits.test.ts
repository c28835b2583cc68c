// Runs in: tests. Case 14: a contract request over the body-size limit is answered 413 with the
// contract's JSON error, and the client gets to read that answer instead of a connection reset.
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../electron/core/app/core';
import { initProject } from '../../../electron/core/project/init';
import { startBrowserServer, type BrowserServer } from '../../../electron/server/http-server';
import { ROOT, tmpDir } from '../../support/helpers';

let server: BrowserServer;
let core: Core;

beforeAll(async () => {
  const project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
  core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  server = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer') });
});

afterAll(async () => {
  await server.close();
  core.close();
});

/** Streams `size` bytes of JSON in 64 KiB writes, as a browser uploading a big input would. */
function postStreamed(size: number, opts: { declareLength: boolean }): Promise<{ status: number; body: string }> {
  const body = Buffer.from(JSON.stringify({ x: 'y'.repeat(size) }));
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${server.port}`,
    Authorization: `Bearer ${server.token}`,
    'Content-Type': 'application/json',
  };
  if (opts.declareLength) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/app.info', headers },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    let at = 0;
    const writeMore = (): void => {
      while (at < body.length) {
        const chunk = body.subarray(at, at + 65536);
        at += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

describe('safety: oversized contract requests', () => {
  for (const declareLength of [true, false]) {
    it(`case 14: a 3 MiB body (${declareLength ? 'with Content-Length' : 'chunked'}) gets 413 and the contract's error shape, not a reset`, async () => {
      const r = await postStreamed(3 * 1024 * 1024, { declareLength });
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('1 MiB'), hint: expect.any(String) },
      });
    });
  }

  it('case 14: fetch sees the 413 too, and the server answers the next request', async () => {
    const headers = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    const r = await fetch(`http://127.0.0.1:${server.port}/api/app.info`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ x: 'y'.repeat(5 * 1024 * 1024) }),
    });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    const next = await fetch(`http://127.0.0.1:${server.port}/api/app.info`, { method: 'POST', headers, body: '{}' });
    expect(next.status).toBe(200);
  });
});
