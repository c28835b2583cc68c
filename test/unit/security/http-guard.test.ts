// Runs in: tests. The pieces of the shared HTTP guard and body limit that need no server: which
// Host values a port allows, how the Authorization header is read, and the streamed byte limit.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLarge, declaredLength, limitBytes } from '../../../electron/core/util/http-body';
import { allowedHosts, bearerToken, sameSecret } from '../../../electron/core/util/http-guard';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('http guard', () => {
  it('allows the loopback names with the port, and a bind address in Host form', () => {
    expect([...allowedHosts(8080)]).toEqual(['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']);
    expect(allowedHosts(8080, ['0.0.0.0', 'fe80::1', 'Box.LAN']).has('[fe80::1]:8080')).toBe(true);
    expect(allowedHosts(8080, ['Box.LAN']).has('box.lan:8080')).toBe(true);
  });

  it('reads a bearer token in any case of the scheme, and nothing else', () => {
    expect(bearerToken(req({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(bearerToken(req({ authorization: 'bearer abc' }))).toBe('abc');
    expect(bearerToken(req({ authorization: 'BEARER  a~b+c/=' }))).toBe('a~b+c/=');
    for (const h of ['Bearerabc', 'Bearer', 'Bearer a b', 'Basic abc', 'Bearer\tabc', 'Bearer é'])
      expect(bearerToken(req({ authorization: h })), h).toBeNull();
    expect(bearerToken(req({}))).toBeNull();
  });

  it('compares secrets exactly, whatever their lengths', () => {
    expect(sameSecret('a-token', 'a-token')).toBe(true);
    expect(sameSecret('a-token', 'a-tokeN')).toBe(false);
    expect(sameSecret('a-token', 'a-token-longer')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });
});

describe('http body limit', () => {
  it('reads Content-Length only when it is a whole number', () => {
    expect(declaredLength(req({ 'content-length': '42' }))).toBe(42);
    for (const v of ['', '-1', '1e3', 'abc']) expect(declaredLength(req({ 'content-length': v })), v).toBeNull();
  });

  it('passes a stream within the limit and throws BodyTooLarge (413) past it', async () => {
    const chunks = [Buffer.alloc(4), Buffer.alloc(4)];
    const kept: Buffer[] = [];
    for await (const c of limitBytes(Readable.from(chunks), 8)) kept.push(c);
    expect(Buffer.concat(kept).length).toBe(8);
    const over = (async () => {
      for await (const _ of limitBytes(Readable.from([...chunks, Buffer.alloc(1)]), 8));
    })();
    await expect(over).rejects.toBeInstanceOf(BodyTooLarge);
    await over.catch((err: BodyTooLarge) => expect([err.status, err.limit, err.declared]).toEqual([413, 8, null]));
  });
});
