// Runs in: main (browser-mode server). Routes `/api/2.0/mlflow/*` (tracking) and
// `/api/2.0/mlflow-artifacts/*` (the artifact proxy) to their handlers and answers every failure in
// MLflow's error format. The server's Host, Origin and token checks have run before this.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../../core/app/core';
import { downloadArtifact, listArtifacts, uploadArtifact } from './artifacts';
import { MlflowError, toMlflowError } from './errors';
import { queryFields, readJsonBody, sendMlflowError, sendMlflowJson } from './request';
import { EXPERIMENT_ENDPOINTS } from './experiment-endpoints';
import { LOGGING_ENDPOINTS } from './logging-endpoints';
import { RUN_ENDPOINTS } from './run-endpoints';

export const MLFLOW_PREFIX = '/api/2.0/';
const TRACKING = '/api/2.0/mlflow/';
// MLflow clients also reach the tracking endpoints under the older preview path.
const TRACKING_PREVIEW = '/api/2.0/preview/mlflow/';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';
const TRACKING_ENDPOINTS = { ...EXPERIMENT_ENDPOINTS, ...RUN_ENDPOINTS, ...LOGGING_ENDPOINTS };

export function isMlflowPath(pathname: string): boolean {
  return pathname.startsWith(MLFLOW_PREFIX);
}

export interface MlflowOptions {
  core: Core;
  log?: ((line: string) => void) | undefined;
}

function wrongMethod(req: IncomingMessage, allowed: readonly string[]): MlflowError {
  return new MlflowError('BAD_REQUEST', `Use ${allowed.join(' or ')} for this endpoint, not ${req.method}.`, 405);
}

async function route(
  opts: MlflowOptions,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (pathname === ARTIFACTS || pathname === `${ARTIFACTS}/`) {
    if (method !== 'GET') throw wrongMethod(req, ['GET']);
    if (!opts.core.project) throw new MlflowError('INVALID_STATE', 'No project is open in Benchtop; open one first.');
    return sendMlflowJson(res, 200, await listArtifacts(opts.core, queryFields(query)));
  }
  if (pathname.startsWith(`${ARTIFACTS}/`)) {
    if (!opts.core.project) throw new MlflowError('INVALID_STATE', 'No project is open in Benchtop; open one first.');
    const rest = pathname.slice(ARTIFACTS.length + 1);
    if (method === 'PUT') return uploadArtifact(opts.core, req, res, rest);
    if (method === 'GET' || method === 'HEAD') return downloadArtifact(opts.core, res, rest, method === 'HEAD');
    throw wrongMethod(req, ['GET', 'PUT']);
  }
  const base = pathname.startsWith(TRACKING)
    ? TRACKING
    : pathname.startsWith(TRACKING_PREVIEW)
      ? TRACKING_PREVIEW
      : null;
  const endpoint =
    base && Object.hasOwn(TRACKING_ENDPOINTS, pathname.slice(base.length))
      ? TRACKING_ENDPOINTS[pathname.slice(base.length)]
      : undefined;
  if (!endpoint)
    throw new MlflowError(
      'ENDPOINT_NOT_FOUND',
      `Benchtop does not serve the MLflow endpoint ${pathname.slice(0, 200)}; see "MLflow-compatible API" in its README for the ones it does.`,
    );
  if (!endpoint.methods.includes(method)) throw wrongMethod(req, endpoint.methods);
  const fields = method === 'GET' ? queryFields(query) : await readJsonBody(req);
  sendMlflowJson(res, 200, await endpoint.handle({ core: opts.core }, fields));
}

export async function handleMlflow(opts: MlflowOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  // The raw path, not a URL-normalised one: `..` must reach the artifact checks to be refused.
  const pathname = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  try {
    await route(opts, req, res, pathname, query);
  } catch (err) {
    const known = toMlflowError(err);
    if (!known)
      opts.log?.(
        `benchtop: MLflow endpoint ${pathname} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    if (res.headersSent) return void res.destroy();
    // An unread upload body would otherwise sit in the socket.
    if (!req.readableEnded) req.resume();
    sendMlflowError(
      res,
      known ?? new MlflowError('INTERNAL_ERROR', 'The request failed; the Benchtop log has details.'),
    );
  }
}
