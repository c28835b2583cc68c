// Runs in: main (browser-mode server). The contract over HTTP on 127.0.0.1: `POST /api/<method>`
// with a JSON body, events as a server-sent event stream from `GET /api/events`, and MLflow's REST
// API under `/api/2.0/` (electron/server/mlflow) behind the same guard.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../../shared/contract/dispatch';
import type { ContractErrorShape } from '../../shared/contract/errors';
import { fromWire, toWire } from '../../shared/contract/wire';
import type { Core } from '../core/app/core';
import { BodyTooLarge, readLimitedBody } from '../core/util/http-body';
import { checkHost, checkOrigin, checkToken } from '../core/util/http-guard';
import { MlflowError } from './mlflow/errors';
import { sendMlflowError } from './mlflow/request';
import { handleMlflow, isMlflowPath } from './mlflow/router';
import { REPORT_ROUTE, serveReport } from './report-files';
import { baseHeaders, serveStatic } from './static-files';
import { listenOn } from '../core/util/listen';

export const LOOPBACK = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;
const TOKEN_MESSAGE = 'Missing or wrong token: open Benchtop with the URL that `benchtop ui` printed.';

export interface BrowserServerOptions {
  core: Core;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(toWire(body));
}

function sendError(res: ServerResponse, status: number, error: ContractErrorShape): void {
  sendJson(res, status, { ok: false, error });
}

const STATUS_BY_CODE: Partial<Record<ContractErrorShape['code'], number>> = {
  UNKNOWN_METHOD: 404,
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  INTERNAL: 500,
};

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const streams = new Set<ServerResponse>();
  let port = 0;

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const auth = checkToken(req, token, TOKEN_MESSAGE);
    const mlflow = isMlflowPath(pathname);
    if (!auth.ok) {
      // MLflow clients read MLflow's error shape; the status is the same either way.
      if (mlflow)
        return sendMlflowError(
          res,
          new MlflowError(
            'UNAUTHENTICATED',
            `${auth.message} MLflow clients send it from MLFLOW_TRACKING_TOKEN.`,
            auth.status,
          ),
        );
      return sendError(res, auth.status, { code: auth.code, message: auth.message });
    }
    if (mlflow) return handleMlflow({ core: opts.core, log: opts.log }, req, res);

    if (pathname === '/api/events') {
      if (req.method !== 'GET')
        return sendError(res, 405, { code: 'INVALID_INPUT', message: 'Use GET for /api/events.' });
      res.writeHead(200, {
        ...baseHeaders(),
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      const unsubscribe = opts.core.events.subscribe((event) => {
        res.write(`event: ${event.name}\ndata: ${toWire(event.payload)}\n\n`);
      });
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(ping);
        unsubscribe();
        streams.delete(res);
      });
      return;
    }

    const method = pathname.slice('/api/'.length);
    if (req.method !== 'POST')
      return sendError(res, 405, { code: 'INVALID_INPUT', message: `Use POST for /api/${method}.` });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return sendError(res, 415, {
        code: 'INVALID_INPUT',
        message: 'Send the input as JSON (Content-Type: application/json).',
      });
    }
    let raw: unknown;
    try {
      const text = (await readLimitedBody(req, MAX_BODY_BYTES)).toString('utf8');
      raw = text.trim() === '' ? {} : fromWire(text);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        // Close after answering: the connection carried a body we did not want.
        res.setHeader('Connection', 'close');
        return sendError(res, 413, {
          code: 'INVALID_INPUT',
          message: 'The request body is larger than 1 MiB.',
          hint: 'Send less per request: split the input, or pass a file path instead of its contents.',
        });
      }
      return sendError(res, 400, { code: 'INVALID_INPUT', message: 'The request body is not valid JSON.' });
    }
    const result = await dispatch(opts.core.handlers, method, raw, {
      onInternalError: (m, err) =>
        opts.log?.(
          `benchtop: internal error in ${m}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        ),
    });
    if (result.ok) return sendJson(res, 200, result);
    return sendJson(res, STATUS_BY_CODE[result.error.code] ?? 422, result);
  }

  const server: Server = createServer((req, res) => {
    // Order matters: who is asking (Host, Origin) before what they hold (token) before routing.
    const host = checkHost(req, port);
    if (!host.ok) return sendError(res, host.status, { code: host.code, message: host.message });
    const origin = checkOrigin(req, port);
    if (!origin.ok) return sendError(res, origin.status, { code: origin.code, message: origin.message });
    if (req.method === 'OPTIONS')
      return sendError(res, 405, { code: 'FORBIDDEN', message: 'Cross-origin requests are not supported.' });

    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      handleApi(req, res, pathname).catch((err: unknown) => {
        opts.log?.(`benchtop: request failed: ${String(err)}`);
        if (!res.headersSent) sendError(res, 500, { code: 'INTERNAL', message: 'The request failed.' });
        else res.end();
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, { code: 'INVALID_INPUT', message: 'Only GET and HEAD are served outside /api.' });
    }
    if (pathname.startsWith(REPORT_ROUTE)) {
      const search = (req.url ?? '').slice(pathname.length);
      return serveReport({
        projectDir: opts.core.project?.dir ?? null,
        token,
        pathname,
        search,
        res,
        head: req.method === 'HEAD',
      });
    }
    serveStatic(opts.staticDir, pathname, res, req.method === 'HEAD');
  });

  await listenOn(server, opts.port, LOOPBACK);
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const s of streams) s.end();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
