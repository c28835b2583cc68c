// Runs in: main (core) or the CLI's `benchtop serve`. A local HTTP endpoint for one model: POST
// /predict (checked against the version's signature, answered by a pool of warm predict processes),
// GET /health, GET /metrics (Prometheus). Every /predict call is logged to the project, the launch
// is a `deployments` row with a heartbeat, and an endpoint serving NAME@ALIAS follows the alias:
// the new version's pool is warmed before it takes traffic, and the old one finishes what it was
// answering before it is stopped, so no request is dropped by a promotion.
import { randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { predictTrust, trustPredict, untrustedCommand } from '../registry/predict-trust';
import { parseModelRef, resolveModelRef, type ModelRef } from '../registry/refs';
import { writeTransaction } from '../store/database';
import { BodyTooLarge, readLimitedBody } from '../util/http-body';
import { checkHost, checkToken } from '../util/http-guard';
import { resourcePath } from '../util/package-root';
import type { Endpoint, EndpointOptions, EndpointStatus } from './endpoint-types';
import { EndpointMetrics } from './metrics';
import { prepareVersion, type ServedVersion } from './model-copy';
import { PoolError, PredictPool } from './pool';
import { PredictionLog, type LoggedRecord } from './prediction-log';
import { checkRecords, recordsOf, RequestError } from './validate';
import { listenOn } from '../util/listen';
import { timeOrderedId } from '../util/time-ordered-id';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const POLL_MS = 500;
const HEARTBEAT_MS = 3000;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

interface Active {
  served: ServedVersion;
  pool: PredictPool;
  /** Requests this version is answering (the old version is stopped once they are done). */
  inFlight: number;
}

function workerEnv(projectDir: string, v: ServedVersion): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCHTOP_MODEL_PATH: v.modelPath,
    BENCHTOP_MODEL_NAME: v.name,
    BENCHTOP_MODEL_VERSION: String(v.version),
    BENCHTOP_PROJECT_DIR: projectDir,
    BENCHTOP_HELPERS_JS: resourcePath('helpers', 'js', 'benchtop.cjs'),
    PYTHONPATH: [resourcePath('helpers', 'python'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    PYTHONUNBUFFERED: '1',
  };
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

/** The version an alias (or `latest`) names now; null when it names none (the alias was removed). */
function currentVersion(options: EndpointOptions, ref: ModelRef): number | null {
  if (ref.alias === 'latest') {
    const row = options.db
      .prepare('SELECT MAX(version) AS v FROM model_versions WHERE model_name = ? AND archived_at IS NULL')
      .get(ref.name) as { v: number | null };
    return row.v;
  }
  const row = options.db
    .prepare('SELECT version FROM model_aliases WHERE model_name = ? AND alias = ?')
    .get(ref.name, ref.alias) as { version: number } | undefined;
  return row?.version ?? null;
}

function checkOptions(options: EndpointOptions): { host: string; port: number; workers: number; timeoutMs: number } {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const workers = options.workers ?? 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new BenchtopError('INVALID_INPUT', `The port must be a whole number from 0 to 65535, not ${port}.`, {
      field: 'port',
      hint: '0 picks a free port.',
    });
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new BenchtopError('INVALID_INPUT', `The number of workers must be from 1 to 64, not ${workers}.`, {
      field: 'workers',
    });
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new BenchtopError(
      'INVALID_INPUT',
      `The timeout must be a whole number of milliseconds above 0, not ${timeoutMs}.`,
      { field: 'timeoutMs' },
    );
  if (host.trim() === '')
    throw new BenchtopError('INVALID_INPUT', 'The host is empty.', {
      field: 'host',
      hint: 'Leave it out to bind 127.0.0.1.',
    });
  if (options.token !== undefined && options.token !== null && !/^[\x21-\x7e]{16,256}$/.test(options.token)) {
    throw new BenchtopError('INVALID_INPUT', 'The token must be 16 to 256 printable characters without spaces.', {
      field: 'token',
      hint: 'Leave it out to have one generated.',
    });
  }
  if (options.idField !== undefined && options.idField !== null && options.idField.trim() === '')
    throw new BenchtopError('INVALID_INPUT', 'The ID field is empty.', { field: 'idField' });
  return { host, port, workers, timeoutMs };
}

export async function startEndpoint(options: EndpointOptions): Promise<Endpoint> {
  const { host, port, workers, timeoutMs } = checkOptions(options);
  const ref = parseModelRef(options.ref);
  const follows = ref.version === null;
  const first = resolveModelRef(options.db, options.ref);
  const token = options.token ?? (isLoopback(host) ? null : randomBytes(24).toString('base64url'));
  const idField = options.idField ?? 'id';
  const emit = options.onEvent ?? (() => {});
  const metrics = new EndpointMetrics();
  const ownLog = !options.log;
  const log =
    options.log ??
    new PredictionLog(options.db, {
      onError: (err) =>
        emit({
          kind: 'warning',
          message: `could not write the prediction log (kept in memory, retrying): ${err instanceof Error ? err.message : String(err)}`,
        }),
    });
  const deploymentId = randomUUID();
  const startedAt = new Date().toISOString();
  /** The pool taking traffic: only its health is the endpoint's (a draining or warming one's is not). */
  let activePool: PredictPool | null = null;

  const startPool = async (name: string, version: number): Promise<Active> => {
    // An imported command runs only once someone here agreed to it (see predict-trust.ts).
    const trust = predictTrust(options.db, name, version);
    if (!trust.trusted) {
      if (!options.trust || name !== first.name || version !== first.version)
        throw untrustedCommand(name, version, trust.command ?? '');
      trustPredict(options.db, name, version);
    }
    const served = await prepareVersion(options.projectDir, options.db, name, version);
    const pool = new PredictPool({
      command: served.predict,
      cwd: options.projectDir,
      env: workerEnv(options.projectDir, served),
      workers,
      timeoutMs,
      label: `${name} version ${version}`,
      onRestart: (reason) => {
        metrics.restarts++;
        emit({ kind: 'worker-restarted', version, reason });
      },
      onStderr: (line) => emit({ kind: 'log', version, line }),
      onHealthChange: (healthy, reason) => {
        if (pool === activePool) emit({ kind: 'health', version, healthy, reason });
      },
    });
    await pool.start();
    return { served, pool, inFlight: 0 };
  };

  let active = await startPool(first.name, first.version);
  activePool = active.pool;
  const retiring = new Set<Active>();
  let closed = false;
  let switching = false;
  /** A version whose pool failed to start: not retried until the alias moves again. */
  let failedVersion: number | null = null;

  const retire = (old: Active): void => {
    retiring.add(old);
    // The old pool keeps its processes until every request routed to it has its answer.
    void old.pool
      .drain()
      .then(async () => {
        while (old.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
      })
      .then(() => old.pool.close())
      .finally(() => retiring.delete(old));
  };

  const follow = async (): Promise<void> => {
    if (closed || switching) return;
    let next: number | null;
    try {
      next = currentVersion(options, ref);
    } catch (err) {
      emit({
        kind: 'warning',
        message: `could not read the alias: ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
    if (next === active.served.version) failedVersion = null;
    if (next === null || next === active.served.version || next === failedVersion) return;
    switching = true;
    try {
      const fresh = await startPool(ref.name, next);
      if (closed) {
        await fresh.pool.close();
        return;
      }
      const old = active;
      active = fresh;
      activePool = fresh.pool;
      failedVersion = null;
      metrics.switches++;
      emit({ kind: 'switched', from: old.served.version, to: next });
      retire(old);
    } catch (err) {
      failedVersion = next;
      const why =
        err instanceof BenchtopError
          ? `${err.message}${err.hint ? ` ${err.hint}` : ''}`
          : err instanceof Error
            ? err.message
            : String(err);
      emit({ kind: 'switch-failed', from: active.served.version, to: next, reason: why });
    } finally {
      switching = false;
    }
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    try {
      return await readLimitedBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      throw new RequestError(
        err.status,
        err.declared !== null
          ? `The body is ${err.declared} bytes; at most ${MAX_BODY_BYTES} are accepted. Split the batch into several requests.`
          : `The body is over ${MAX_BODY_BYTES} bytes. Split the batch into several requests.`,
      );
    }
  };

  const predict = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const at = new Date().toISOString();
    // Time-ordered, so the prediction log's indexes on request and record ids grow at their end.
    const requestId = timeOrderedId();
    metrics.inFlight++;
    let status = 500;
    let version: number | null = null;
    let logged: LoggedRecord[] = [];
    let error: string | null = null;
    let answered = 0;
    let route: Active | null = null;
    try {
      if (token !== null && !authorised(req))
        throw new RequestError(
          401,
          'This endpoint needs its token: send the header `Authorization: Bearer <token>` (printed when it started).',
        );
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\s*(;|$)/i.test(type))
        throw new RequestError(
          415,
          `Send the body as JSON with \`Content-Type: application/json\`${type ? `, not ${type}` : ''}.`,
        );
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new RequestError(
          400,
          `The body is not valid JSON (${err instanceof Error ? err.message : String(err)}).`,
        );
      }
      const { records, batch } = recordsOf(body);
      // The version is chosen once the request is whole: a request arriving during a switch goes to
      // the new pool if it is already routing, and either way is answered by the pool it was given.
      route = active;
      route.inFlight++;
      checkRecords(records, route.served.signature, batch);
      version = route.served.version;
      const ids = records.map((r, i) => {
        const v = r[idField];
        return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? String(v) : `${requestId}:${i}`;
      });
      logged = records.map((input, i) => ({ recordId: ids[i]!, input, output: null }));
      const answer = await route.pool.predict(records);
      answer.outputs.forEach((o, i) => (logged[i]!.output = o));
      const base = { predictions: answer.outputs, ids, model: route.served.name, version };
      if (answer.errors.length > 0) {
        status = 422;
        error = answer.errors.map((e) => (batch ? `inputs[${e.index}]: ${e.message}` : e.message)).join('; ');
        answered = records.length - answer.errors.length;
        send(res, 422, {
          error: `The model refused ${batch ? `${answer.errors.length} of ${records.length} records` : 'the record'}: ${error}`,
          errors: answer.errors.map((e) => ({ index: e.index, id: ids[e.index], error: e.message })),
          ...base,
        });
      } else {
        status = 200;
        answered = records.length;
        send(res, 200, base);
      }
    } catch (err) {
      if (err instanceof RequestError) {
        status = err.status;
        error = err.message;
        version = null;
        logged = [];
        const where =
          err.field !== null || err.index !== null
            ? {
                ...(err.field !== null ? { field: err.field } : {}),
                ...(err.index !== null ? { index: err.index } : {}),
              }
            : {};
        send(res, status, { error: err.message, ...where }, status === 413 ? { connection: 'close' } : {});
      } else if (err instanceof PoolError) {
        status = err.status;
        error = err.message;
        send(res, status, { error: err.message, model: ref.name, version });
      } else {
        status = 500;
        error = err instanceof Error ? err.message : String(err);
        if (!res.headersSent) send(res, 500, { error: `The endpoint failed: ${error}` });
      }
    } finally {
      if (route) route.inFlight--;
      metrics.inFlight--;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(status, seconds, answered);
      try {
        log.record({
          requestId,
          deploymentId,
          model: ref.name,
          version,
          at,
          status,
          latencyMs: seconds * 1000,
          error,
          records: logged,
        });
      } catch (err) {
        emit({
          kind: 'warning',
          message: `could not log request ${requestId}: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
  };

  // The browser-mode server's token check: the same scheme rules and the same constant-time compare.
  const authorised = (req: IncomingMessage): boolean => token !== null && checkToken(req, token).ok;

  const health = (): { status: number; body: unknown } => {
    const pool = active.pool;
    const healthy = pool.healthy();
    return {
      status: healthy ? 200 : 503,
      body: {
        status: healthy ? 'ok' : 'unhealthy',
        model: ref.name,
        version: active.served.version,
        ref: options.ref,
        deploymentId,
        startedAt,
        workers: pool.status(),
        ...(switching ? { switching: true } : {}),
        ...(retiring.size > 0 ? { draining: [...retiring].map((r) => r.served.version) } : {}),
      },
    };
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://endpoint');
    const route = url.pathname;
    if (token === null && !hostAllowed(req)) {
      send(res, 403, {
        error:
          'The Host header does not name this endpoint; a loopback endpoint answers only requests addressed to it.',
      });
      return;
    }
    if (route === '/predict') {
      if (req.method !== 'POST')
        return send(res, 405, { error: 'POST a record, or {"inputs": [records]}, to /predict.' }, { allow: 'POST' });
      void predict(req, res);
      return;
    }
    if (route === '/health' || route === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, { error: `GET ${route}.` }, { allow: 'GET, HEAD' });
      if (token !== null && !authorised(req))
        return send(res, 401, {
          error: 'This endpoint needs its token: send the header `Authorization: Bearer <token>`.',
        });
      if (route === '/health') {
        const h = health();
        return send(res, h.status, h.body);
      }
      const workersReady = active.pool.status().filter((w) => w.state === 'idle' || w.state === 'busy').length;
      const text = metrics.render(
        { model: ref.name, version: active.served.version, ref: options.ref },
        { ready: workersReady, total: workers },
      );
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    send(res, 404, { error: `No ${route} here: POST /predict, GET /health or GET /metrics.` });
  };

  let boundPort = 0;
  // The browser-mode server's Host check, also taking the address the endpoint was bound to.
  const hostAllowed = (req: IncomingMessage): boolean => checkHost(req, boundPort, { alsoNamed: [host] }).ok;

  const server = http.createServer(handle);
  server.keepAliveTimeout = 5000;
  try {
    await listenOn(server, port, host);
  } catch (err) {
    await active.pool.close();
    if (ownLog) log.close();
    throw err;
  }
  boundPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${boundPort}`;

  writeTransaction(options.db, () => {
    options.db
      .prepare(
        'INSERT INTO deployments (id, ref, model_name, host, port, workers, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(deploymentId, options.ref, ref.name, host, boundPort, workers, process.pid, startedAt, startedAt);
  });
  const heartbeat = setInterval(() => {
    try {
      writeTransaction(options.db, () =>
        options.db
          .prepare('UPDATE deployments SET seen_at = ? WHERE id = ?')
          .run(new Date().toISOString(), deploymentId),
      );
    } catch (err) {
      emit({
        kind: 'warning',
        message: `could not update the deployment's heartbeat: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const poller = follows ? setInterval(() => void follow(), POLL_MS) : null;
  poller?.unref();

  const endpoint: Endpoint = {
    status(): EndpointStatus {
      return {
        deploymentId,
        ref: options.ref,
        model: ref.name,
        version: active.served.version,
        url,
        host,
        port: boundPort,
        workers,
        startedAt,
        requests: metrics.requests,
        errors: metrics.errorCount,
        inFlight: metrics.inFlight,
        token,
        healthy: active.pool.healthy(),
      };
    },
    async close(reason = 'stopped'): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      if (poller) clearInterval(poller);
      // No new connections; those open finish their requests (each bounded by the pool's timeouts).
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      while (switching) await new Promise((r) => setTimeout(r, 20));
      const deadline = Date.now() + 2 * timeoutMs + 1000;
      while (metrics.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await Promise.all([active.pool.close(), ...[...retiring].map((r) => r.pool.close())]);
      server.closeAllConnections();
      await serverClosed;
      if (ownLog) log.close();
      else log.flush();
      try {
        writeTransaction(options.db, () => {
          const now = new Date().toISOString();
          options.db
            .prepare('UPDATE deployments SET seen_at = ?, stopped_at = ?, stop_reason = ? WHERE id = ?')
            .run(now, now, reason, deploymentId);
        });
      } catch (err) {
        emit({
          kind: 'warning',
          message: `could not record the deployment's stop: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
      emit({ kind: 'stopped', reason });
    },
  };
  return endpoint;
}
