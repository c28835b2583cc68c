// Runs in: tests. The one HTTP guard (electron/core/util/http-guard.ts) as each of its callers
// applies it, over real HTTP on 127.0.0.1: the browser-mode server's contract API, its MLflow API,
// and a model's serving endpoint accept the same Host names and the same Authorization forms, and
// refuse the same ones. Where the callers differ (the endpoint checks no Origin, and checks Host only
// when it has no token) the difference is an option of the guard, tested here too.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../electron/core/serving/endpoint-types';
import type { BrowserServer } from '../../electron/server/http-server';
import { type HttpCallers, startHttpCallers } from '../support/browser-server';

/** Raw HTTP, so that Host, Origin and Authorization are sent exactly as written. */
function call(
  port: number,
  opts: { method?: string; path: string; headers: Record<string, string>; body?: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const TOKEN = 'guard-test-token-0123456789abcdef';

let callers: HttpCallers;
let server: BrowserServer;
let withToken: Endpoint;
let tokenless: Endpoint;

beforeAll(async () => {
  callers = await startHttpCallers(TOKEN);
  ({ server, endpoint: withToken, tokenless } = callers);
});

afterAll(() => callers.close());

interface Caller {
  name: string;
  port: () => number;
  /** A request this caller answers 200 to once it is let through; `headers` are added. */
  send: (port: number, headers: Record<string, string>) => Promise<number>;
}

const json = { 'Content-Type': 'application/json' };
const CALLERS: Caller[] = [
  {
    name: 'browser server, contract API',
    port: () => server.port,
    send: (port, headers) =>
      call(port, { method: 'POST', path: '/api/app.info', headers: { ...json, ...headers }, body: '{}' }),
  },
  {
    name: 'browser server, MLflow API',
    port: () => server.port,
    send: (port, headers) => call(port, { path: '/api/2.0/mlflow/experiments/search?max_results=1', headers }),
  },
  {
    name: 'serving endpoint',
    port: () => withToken.status().port,
    send: (port, headers) =>
      call(port, { method: 'POST', path: '/predict', headers: { ...json, ...headers }, body: '{"x": 1}' }),
  },
];

describe('the shared HTTP guard', () => {
  for (const c of CALLERS) {
    it(`${c.name}: takes the Bearer scheme in any case, and only the right token`, async () => {
      const port = c.port();
      const host = { Host: `127.0.0.1:${port}` };
      for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR'])
        expect(await c.send(port, { ...host, Authorization: `${scheme} ${TOKEN}` }), scheme).toBe(200);
      for (const auth of [
        'Bearer wrong-token-wrong-token',
        `Bearer ${TOKEN}x`,
        `Bearer ${TOKEN.slice(0, -1)}`,
        `Basic ${TOKEN}`,
        `Bearer${TOKEN}`,
        `Bearer ${TOKEN} extra`,
        'Bearer',
        '',
      ])
        expect(await c.send(port, { ...host, Authorization: auth }), auth).toBe(401);
      expect(await c.send(port, host)).toBe(401);
    });
  }

  const hostChecked: Caller[] = [
    ...CALLERS.slice(0, 2),
    { ...CALLERS[2]!, name: 'serving endpoint without a token', port: () => tokenless.status().port },
  ];
  for (const c of hostChecked) {
    it(`${c.name}: takes 127.0.0.1, localhost and [::1] with its port as Host, and nothing else`, async () => {
      const port = c.port();
      const auth = { Authorization: `Bearer ${TOKEN}` };
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`])
        expect(await c.send(port, { ...auth, Host: host }), host).toBe(200);
      for (const host of [
        'evil.example',
        `evil.example:${port}`,
        `127.0.0.1:${port + 1}`,
        `[::1]:${port + 1}`,
        `[::2]:${port}`,
        '::1',
        `::1:${port}`,
        `127.0.0.1.evil.example:${port}`,
        `localhost.evil.example:${port}`,
      ])
        expect(await c.send(port, { ...auth, Host: host }), host).toBe(403);
    });
  }

  it('browser server: takes its own page as Origin under each loopback name, and refuses others', async () => {
    const port = server.port;
    const base = { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${TOKEN}` };
    for (const c of CALLERS.slice(0, 2)) {
      for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`])
        expect(await c.send(port, { ...base, Origin: origin }), `${c.name} ${origin}`).toBe(200);
      for (const origin of ['http://evil.example', `https://127.0.0.1:${port}`, 'null', `http://[::1]:${port + 1}`])
        expect(await c.send(port, { ...base, Origin: origin }), `${c.name} ${origin}`).toBe(403);
    }
  });

  it('serving endpoint: is called by programs, not pages, so an Origin is not held against it', async () => {
    const port = withToken.status().port;
    const r = await CALLERS[2]!.send(port, {
      Host: `127.0.0.1:${port}`,
      Authorization: `Bearer ${TOKEN}`,
      Origin: 'http://evil.example',
    });
    expect(r).toBe(200);
  });

  it('serving endpoint: with a token, the token alone guards it, whatever Host it is reached by', async () => {
    const port = withToken.status().port;
    const r = await CALLERS[2]!.send(port, { Host: `model-server.lan:${port}`, Authorization: `Bearer ${TOKEN}` });
    expect(r).toBe(200);
  });
});
