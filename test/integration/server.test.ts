import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { startBrowserServer, type BrowserServer } from '../../electron/server/http-server';
import { ROOT, tmpDir } from '../support/helpers';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP so that Host and Origin can be set freely (fetch forbids that). */
function call(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

let server: BrowserServer;
let core: Core;
let auth: Record<string, string>;

beforeAll(async () => {
  const project = path.join(tmpDir(), 'proj');
  (await initProject(project, { demo: true })).workspace.close();
  core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  server = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer') });
  auth = {
    Authorization: `Bearer ${server.token}`,
    'Content-Type': 'application/json',
    Host: `127.0.0.1:${server.port}`,
  };
});

afterAll(async () => {
  await server.close();
  core.close();
});

const post = (method: string, body: unknown, headers: Record<string, string> = auth) =>
  call(server.port, { method: 'POST', path: `/api/${method}`, headers, body: JSON.stringify(body) });

describe('browser-mode server', () => {
  it('prints a loopback URL with a fresh token in the fragment', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/);
    const other = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer') });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('serves a contract call with the right token', async () => {
    const r = await post('app.info', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'Benchtop', mode: 'browser' } });
  });

  it('answers 401 without the token or with a wrong one, before any routing', async () => {
    const { Authorization: _, ...noToken } = auth;
    for (const headers of [
      noToken,
      { ...auth, Authorization: 'Bearer wrong' },
      { ...auth, Authorization: `Basic ${server.token}` },
    ]) {
      expect((await post('app.info', {}, headers)).status).toBe(401);
      // Even for a method that does not exist: the token is checked first.
      expect((await post('no.such.method', {}, headers)).status).toBe(401);
    }
    expect(
      (await call(server.port, { path: '/api/events', headers: { Host: `127.0.0.1:${server.port}` } })).status,
    ).toBe(401);
  });

  it('answers 403 when Host is not the loopback address and our port (DNS rebinding)', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '0.0.0.0',
      `127.0.0.1.evil.example:${server.port}`,
    ]) {
      const r = await post('app.info', {}, { ...auth, Host: host });
      expect(r.status, host).toBe(403);
    }
    expect((await call(server.port, { path: '/', headers: { Host: 'attacker.test' } })).status).toBe(403);
    // No Host header at all (HTTP/1.0 style) is refused too.
    const noHost = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/app.info',
          method: 'POST',
          setHost: false,
          headers: { Authorization: auth.Authorization! },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect([400, 403]).toContain(noHost); // Node itself answers 400 to HTTP/1.1 without Host.
  });

  it('answers 403 to a foreign Origin, and sends no CORS headers', async () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${server.port + 1}`,
      'null',
      `https://127.0.0.1:${server.port}`,
    ]) {
      const r = await post('app.info', {}, { ...auth, Origin: origin });
      expect(r.status, origin).toBe(403);
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const same = await post('app.info', {}, { ...auth, Origin: `http://127.0.0.1:${server.port}` });
    expect(same.status).toBe(200);
    expect(Object.keys(same.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await call(server.port, {
      method: 'OPTIONS',
      path: '/api/app.info',
      headers: {
        Host: `127.0.0.1:${server.port}`,
        Origin: `http://127.0.0.1:${server.port}`,
        'Access-Control-Request-Method': 'POST',
      },
    });
    expect(preflight.status).toBe(405);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('listens on 127.0.0.1 only', async () => {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // No non-loopback interface on this machine: nothing else to try.
    await expect(
      new Promise((resolve, reject) => {
        const req = request({ host: external.address, port: server.port, path: '/', timeout: 2000 }, resolve);
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end();
      }),
    ).rejects.toThrow(/ECONNREFUSED|timeout/);
  });

  it('refuses unknown methods and invalid input with structured errors', async () => {
    const unknown = await post('projects.drop', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: expect.any(String), field: 'method' },
    });
    const invalid = await post('data.preview', { path: '../../etc/passwd' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'path' } });
    const notJson = await call(server.port, { method: 'POST', path: '/api/app.info', headers: auth, body: '{nope' });
    expect(notJson.status).toBe(400);
    const big = await call(server.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: auth,
      body: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }),
    }).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
    const get = await call(server.port, { path: '/api/app.info', headers: auth });
    expect(get.status).toBe(405);
  });

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const host = { Host: `127.0.0.1:${server.port}` };
    const index = await call(server.port, { path: '/', headers: host });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    for (const p of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/..%2f..%2fetc%2fpasswd',
      '/assets/../../package.json',
      '/x.js%00',
    ]) {
      const r = await call(server.port, { path: p, headers: host });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('"name": "benchtop"');
    }
  });

  it('streams typed events to an authorised client', async () => {
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: auth }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.on('data', (d: Buffer) => {
          events.push(d.toString());
          if (events.join('').includes('event: project.changed')) {
            req.destroy();
            resolve();
          }
        });
        // Once connected, make the core emit an event.
        setTimeout(() => void core.init(path.join(tmpDir(), 'other'), false), 50);
      });
      req.on('error', (e) => (events.join('').includes('project.changed') ? resolve() : reject(e)));
      req.end();
    });
    await done;
    const block = events
      .join('')
      .split('\n\n')
      .find((b) => b.startsWith('event: project.changed'))!;
    const payload = JSON.parse(block.split('\ndata: ')[1]!) as { project: { name: string } };
    expect(payload.project.name).toBe('other');
  });
});
