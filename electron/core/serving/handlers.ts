// Runs in: main (core). The contract's `deployments.*` and `predictions.*` handlers, kept beside the
// serving code that writes the prediction logs. Starting, stopping and trying go through the app's deployment
// manager; stats and requests read the prediction log, so they cover `benchtop serve` endpoints too.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract/dispatch';
import { writeReportFile } from '../reports/writer';
import type { Workspace } from '../workspace/workspace';
import type { DeploymentManager } from './deployments';
import { exportPredictions, predictionsCsv } from './export-predictions';
import { joinLabels } from './labels';
import { latestRequests, requestStats } from './stats';

type DeploymentHandlers = Pick<Handlers, Extract<keyof Handlers, `deployments.${string}`>>;

export interface DeploymentHandlerContext {
  db(): Database;
  manager(): DeploymentManager;
}

export function deploymentHandlers(ctx: DeploymentHandlerContext): DeploymentHandlers {
  return {
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
