// Runs in: main (Electron). The renderer is served from app://benchtop/, never from a remote URL
// or file://, with the same CSP as browser mode.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './security/csp';
import { APP_SCHEME } from './security/policy';
import { resolveStatic } from './server/static-files';

/** Must run before the app is ready. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'benchtop') return new Response('Not found', { status: 404 });
    const file =
      resolveStatic(rendererDir, url.pathname) ?? (url.pathname.includes('.') ? null : resolveStatic(rendererDir, '/'));
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
