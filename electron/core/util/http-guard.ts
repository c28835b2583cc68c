// Runs in: main (browser-mode server, serving endpoint) and the CLI's `benchtop serve`. The one set
// of locks on Benchtop's loopback HTTP servers: which Host a request may be addressed to, which page
// it may come from (Origin), and the bearer token. The browser-mode server (with its MLflow API) and
// a model's serving endpoint both call these, so they accept and refuse exactly the same things; what
// differs between them is chosen by the caller (whether Origin is checked, whether Host is checked
// when a token is required, extra Host names, the wording of the refusal), never by a second copy.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardVerdict =
  | { ok: true }
  | { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

const OK: GuardVerdict = { ok: true };

/** A host name as it stands in a Host header or an origin: IPv6 addresses go in brackets. */
function hostPart(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/**
 * The `host:port` values a request to this server may carry: the loopback names (IPv4, IPv6 and
 * `localhost`) and any `alsoNamed` (an endpoint bound to another address answers to it too). A name
 * an attacker's DNS can point at us is never in it, which is the DNS-rebinding defence.
 */
export function allowedHosts(port: number, alsoNamed: readonly string[] = []): Set<string> {
  return new Set(['127.0.0.1', 'localhost', '::1', ...alsoNamed].map((n) => `${hostPart(n)}:${port}`));
}

export interface HostRule {
  /** Other names this server is reached by (its bind address), besides the loopback ones. */
  alsoNamed?: readonly string[];
  message?: string;
}

/** DNS rebinding defence: the Host header must name a loopback address (or `alsoNamed`) and our port. */
export function checkHost(req: IncomingMessage, port: number, rule: HostRule = {}): GuardVerdict {
  // Host names are case-insensitive (RFC 3986); the port must be ours exactly.
  const host = (req.headers.host ?? '').toLowerCase();
  if (allowedHosts(port, rule.alsoNamed).has(host)) return OK;
  return {
    ok: false,
    status: 403,
    code: 'FORBIDDEN',
    message: rule.message ?? 'Requests must be addressed to the loopback address and port Benchtop listens on.',
  };
}

/**
 * Cross-site defence, for servers a browser page talks to: a request that carries an Origin must
 * come from our own page (http, a loopback name, our port). Servers called by programs only (the
 * serving endpoint) do not check it: their clients send no Origin, and a page is stopped there by
 * the Host check or the token.
 */
export function checkOrigin(req: IncomingMessage, port: number, message?: string): GuardVerdict {
  const origin = req.headers.origin;
  if (origin === undefined) return OK;
  for (const host of allowedHosts(port)) if (origin.toLowerCase() === `http://${host}`) return OK;
  return { ok: false, status: 403, code: 'FORBIDDEN', message: message ?? 'Requests from other origins are refused.' };
}

/**
 * The credentials of `Authorization: Bearer <token>`, or null. The scheme is matched in any case
 * (RFC 7235 §2.1: auth schemes are case-insensitive), separated by spaces; the token is one run of
 * visible characters and nothing may follow it.
 */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer +([\x21-\x7e]+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

/**
 * Compares two secrets in time that does not depend on where they differ, nor on the length of the
 * one expected: both are hashed first, so the comparison is always of 32 bytes.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The per-launch token, sent as `Authorization: Bearer <token>`. */
export function checkToken(req: IncomingMessage, token: string, message?: string): GuardVerdict {
  const given = bearerToken(req);
  if (given !== null && sameSecret(given, token)) return OK;
  return {
    ok: false,
    status: 401,
    code: 'UNAUTHORIZED',
    message: message ?? 'Missing or wrong token: send the header `Authorization: Bearer <token>`.',
  };
}
