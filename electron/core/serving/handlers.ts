// Runs in: main (core). The contract's `deployments.*` and `predictions.*` handlers, kept beside the
// serving code that writes the prediction logs. Starting, stopping and trying go through the app's deployment
// manager; stats and requests read the prediction log, so they cover `benchtop serve` endpoints too.
// `deployments.serve` is `benchtop serve` itself: an endpoint of its own in the CLI's process,
// outside the app's manager (which allows one deployment per model and has no stop reason).
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { AppInfo } from '../../../shared/contract/schemas';
import { writeReportFile } from '../reports/writer';
import type { Workspace } from '../workspace/workspace';
import type { DeploymentManager } from './deployments';
import { startEndpoint } from './endpoint';
import type { Endpoint } from './endpoint-types';
import { exportPredictions, predictionsCsv } from './export-predictions';
import { joinLabels } from './labels';
import { latestRequests, requestStats } from './stats';

type DeploymentHandlers = Pick<Handlers, Extract<keyof Handlers, `deployments.${string}`>>;

export interface DeploymentHandlerContext {
  project(): Workspace;
  db(): Database;
  manager(): DeploymentManager;
  emit(e: BenchtopEvent): void;
  /** Which shell drives the core: `deployments.serve` ties an endpoint to this process's lifetime, so only for the CLI. */
  mode: AppInfo['mode'];
}

/**
 * The engine's own failures (a port in use, a predict command that dies as it starts) are not
 * Benchtop bugs: they keep their message, which `benchtop serve` prints as it always has, instead
 * of dispatch's "Unexpected error" for anything that is not a BenchtopError.
 */
function asContractError(err: unknown): unknown {
  if (err instanceof BenchtopError || !(err instanceof Error)) return err;
  return new BenchtopError('INVALID_INPUT', err.message);
}

export function deploymentHandlers(ctx: DeploymentHandlerContext): DeploymentHandlers {
  /** Endpoints `deployments.serve` started in this process, by deployment id, until deployments.serveStop. */
  const served = new Map<string, Endpoint>();
  return {
    'deployments.serve': async ({ ref, port, host, workers, timeoutMs, token, idField, trust }) => {
      if (ctx.mode !== 'cli')
        throw new BenchtopError('UNSUPPORTED', 'Serving in this process is only for `benchtop serve` in a terminal.', {
          hint: 'Deploy from the model version instead (deployments.start), or run benchtop serve NAME@ALIAS.',
        });
      const ws = ctx.project();
      let endpoint: Endpoint;
      try {
        endpoint = await startEndpoint({
          projectDir: ws.dir,
          db: ws.db,
          ref,
          ...(host !== undefined ? { host } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(workers !== undefined ? { workers } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          ...(token !== undefined ? { token } : {}),
          ...(idField !== undefined ? { idField } : {}),
          ...(trust ? { trust: true } : {}),
          onEvent: (event) => ctx.emit({ name: 'serve.event', payload: { ref, event } }),
        });
      } catch (err) {
        throw asContractError(err);
      }
      const s = endpoint.status();
      served.set(s.deploymentId, endpoint);
      // What `benchtop serve --json` prints, in its order.
      return {
        url: s.url,
        host: s.host,
        port: s.port,
        model: s.model,
        version: s.version,
        ref: s.ref,
        workers: s.workers,
        token: s.token,
        deploymentId: s.deploymentId,
      };
    },
    'deployments.serveStop': async ({ deploymentId, reason }) => {
      const endpoint = served.get(deploymentId);
      if (!endpoint)
        throw new BenchtopError('NOT_FOUND', `No endpoint ${deploymentId} served by this process.`, {
          field: 'deploymentId',
          hint: 'Stop an endpoint another process serves with deployments.stop.',
        });
      served.delete(deploymentId);
      try {
        await endpoint.close(reason);
      } catch (err) {
        throw asContractError(err);
      }
      return { deploymentId, reason };
    },
    'deployments.list': ({ model }) => ({ deployments: ctx.manager().list(model) }),
    'deployments.start': ({ ref, port, host, workers, trust }) =>
      ctx.manager().start({ ref, port, host, workers, trust }),
    'deployments.stop': ({ id }) => ctx.manager().stop(id),
    'deployments.stats': ({ model, version, deploymentId, windowSeconds }) => {
      ctx.manager().flushLogs();
      return requestStats(ctx.db(), { model, version, deploymentId, windowSeconds });
    },
    'deployments.requests': ({ model, version, deploymentId, limit }) => {
      ctx.manager().flushLogs();
      return { requests: latestRequests(ctx.db(), { model, version, deploymentId, limit }) };
    },
    'deployments.try': ({ id, body }) => ctx.manager().try(id, body),
  };
}

type PredictionHandlers = Pick<Handlers, Extract<keyof Handlers, `predictions.${string}`>>;

export interface PredictionHandlerContext {
  project(): Workspace;
}

export function predictionHandlers(ctx: PredictionHandlerContext): PredictionHandlers {
  return {
    'predictions.label': (input) => {
      const ws = ctx.project();
      return joinLabels(ws.dir, ws.db, input);
    },
    'predictions.export': ({ out, inline, ...input }) => {
      const ws = ctx.project();
      if (!inline && out === undefined) return exportPredictions(ws.dir, ws.db, input);
      const csv = predictionsCsv(ws.db, input);
      if (inline)
        return { path: '', rows: csv.rows, size: Buffer.byteLength(csv.csv), columns: csv.columns, csv: csv.csv };
      const w = writeReportFile(path.resolve(ws.dir, out!), csv.csv);
      return { path: w.file, rows: csv.rows, size: w.size, columns: csv.columns };
    },
  };
}
