// Runs in: main (browser-mode server). The locks on the loopback server: the contract can run
// commands, so a web page the user happens to visit must not be able to reach it.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardVerdict =
  | { ok: true }
  | { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** DNS rebinding defence: the Host header must name the loopback address and our port. */
export function checkHost(req: IncomingMessage, port: number): GuardVerdict {
  const host = (req.headers.host ?? '').toLowerCase();
  if (allowedHosts(port).has(host)) return { ok: true };
  return {
    ok: false,
    status: 403,
    code: 'FORBIDDEN',
    message: 'Requests must be addressed to the loopback address and port Benchtop listens on.',
  };
}

/** Cross-site defence: a request that carries an Origin must come from our own page. */
export function checkOrigin(req: IncomingMessage, port: number): GuardVerdict {
  const origin = req.headers.origin;
  if (origin === undefined) return { ok: true };
  for (const host of allowedHosts(port)) if (origin === `http://${host}`) return { ok: true };
  return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Requests from other origins are refused.' };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The per-launch token, sent as `Authorization: Bearer <token>`. */
export function checkToken(req: IncomingMessage, token: string): GuardVerdict {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header);
  if (m && sameSecret(m[1]!, token)) return { ok: true };
  return {
    ok: false,
    status: 401,
    code: 'UNAUTHORIZED',
    message: 'Missing or wrong token: open Benchtop with the URL that `benchtop ui` printed.',
  };
}
