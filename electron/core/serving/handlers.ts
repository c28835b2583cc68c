// Runs in: main (core). The contract's `deployments.*` and `predictions.*` handlers, kept beside the
// serving code that writes the prediction logs. Starting, stopping and trying go through the app's deployment
// manager; stats and requests read the prediction log, so they cover `benchtop serve` endpoints too.
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract/dispatch';
import type { Workspace } from '../workspace/workspace';
import type { DeploymentManager } from './deployments';
import { exportPredictions } from './export-predictions';
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
    'predictions.export': (input) => {
      const ws = ctx.project();
      return exportPredictions(ws.dir, ws.db, input);
    },
  };
}
