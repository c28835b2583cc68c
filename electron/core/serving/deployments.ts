// Runs in: main (core). The app's deployments: endpoints started from the Models view run inside
// the main process (one per model at a time), log to the open project, announce their changes, and
// stop with the app or when another project opens. The renderer may not fetch an endpoint itself
// (its content security policy allows only the app's own origin), so "Try it" goes through here.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { Deployment, DeploymentNotice } from '../../../shared/contract/schemas';
import { resolveModelRef } from '../registry/refs';
import { writeTransaction } from '../store/database';
import { listDeployments, pidAlive, type LiveDeployment } from './deployment-rows';
import type { Endpoint, EndpointEvent, EndpointOptions } from './endpoint-types';
import { PredictionLog } from './prediction-log';

export type StartEndpoint = (options: EndpointOptions) => Promise<Endpoint>;

export interface DeploymentContext {
  project(): { dir: string; db: Database };
  emit(e: BenchtopEvent): void;
  start: StartEndpoint;
  /** How often at most the live `deployments.requests` event fires per deployment. */
  liveEventMs?: number;
}

interface Running extends LiveDeployment {
  endpoint: Endpoint;
  model: string;
  log: PredictionLog;
  db: Database;
  notice: DeploymentNotice | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface StartInput {
  ref: string;
  port?: number;
  host?: string;
  workers?: number;
  /** Run an imported version's predict command (the user saw it and agreed). */
  trust?: boolean | undefined;
}

export interface TryResult {
  status: number;
  latencyMs: number;
  /** The endpoint's JSON answer (its text when it is not JSON). */
  body: unknown;
}

export class DeploymentManager {
  private readonly running = new Map<string, Running>();
  /** Models whose endpoint is being started, so two quick clicks cannot start two. */
  private readonly starting = new Set<string>();
  private readonly pendingEvents = new Map<string, { timer: NodeJS.Timeout | null; count: number; last: number }>();

  constructor(private readonly ctx: DeploymentContext) {}

  private get live(): ReadonlyMap<string, LiveDeployment> {
    const out = new Map<string, LiveDeployment>();
    for (const [id, r] of this.running) out.set(id, { status: r.endpoint.status(), token: r.token, notice: r.notice });
    return out;
  }

  list(model?: string): Deployment[] {
    return listDeployments(this.ctx.project().db, { live: this.live, ...(model ? { model } : {}) });
  }

  private changed(
    model: string,
    deploymentId: string,
    change: 'started' | 'stopped' | 'switched' | 'health' | 'notice',
    version: number | null,
  ): void {
    this.ctx.emit({ name: 'deployments.changed', payload: { model, deploymentId, change, version } });
  }

  /** Tells live views about new logged requests, at most every liveEventMs per deployment (and always the last batch). */
  private requestsLogged(model: string, deploymentId: string, count: number): void {
    const every = this.ctx.liveEventMs ?? 500;
    const p = this.pendingEvents.get(deploymentId) ?? { timer: null, count: 0, last: 0 };
    this.pendingEvents.set(deploymentId, p);
    p.count += count;
    const fire = (): void => {
      p.timer = null;
      p.last = Date.now();
      const n = p.count;
      p.count = 0;
      if (n > 0) this.ctx.emit({ name: 'deployments.requests', payload: { model, deploymentId, count: n } });
    };
    const wait = p.last + every - Date.now();
    if (wait <= 0 && !p.timer) fire();
    else p.timer ??= setTimeout(fire, Math.max(0, wait));
  }

  async start(input: StartInput): Promise<Deployment> {
    const ws = this.ctx.project();
    const { name } = resolveModelRef(ws.db, input.ref);
    const host = input.host ?? '127.0.0.1';
    const existing = this.list(name).find((d) => d.state === 'running');
    if (existing || this.starting.has(name)) {
      throw new BenchtopError(
        'CONFLICT',
        existing
          ? `${name} is already deployed at ${existing.url} (${existing.managed ? 'from this app' : `by process ${existing.pid}`}).`
          : `${name} is being deployed right now.`,
        {
          field: 'ref',
          hint:
            existing?.managed === false
              ? `Stop that \`benchtop serve\` first (Ctrl+C in its terminal), then deploy again.`
              : 'Stop the running deployment first: one deployment per model at a time.',
        },
      );
    }
    // Anyone on the network could call an endpoint bound beyond loopback, so it asks for a token.
    const token = LOOPBACK.has(host) ? null : randomBytes(24).toString('base64url');
    this.starting.add(name);
    let deploymentId = '';
    const log = new PredictionLog(ws.db, {
      onFlushed: (batch) => {
        if (deploymentId) this.requestsLogged(name, deploymentId, batch.length);
      },
      onError: (err) =>
        this.onEndpointEvent(deploymentId, name, {
          kind: 'warning',
          message: `Could not write the prediction log (the requests are kept in memory and retried): ${err instanceof Error ? err.message : String(err)}`,
        }),
    });
    let endpoint: Endpoint;
    try {
      endpoint = await this.ctx.start({
        projectDir: ws.dir,
        db: ws.db,
        ref: input.ref,
        host,
        ...(input.port !== undefined ? { port: input.port } : {}),
        ...(input.workers !== undefined ? { workers: input.workers } : {}),
        ...(input.trust ? { trust: true } : {}),
        token,
        log,
        onEvent: (e) => this.onEndpointEvent(deploymentId, name, e),
      });
    } catch (err) {
      log.close();
      if (err instanceof BenchtopError) throw err;
      // The engine's own failures (a predict command that dies as it starts) are the user's to fix.
      throw new BenchtopError('INVALID_INPUT', err instanceof Error ? err.message : String(err), {
        field: 'ref',
        hint: "Run the version's predict command by hand (with BENCHTOP_MODEL_PATH set to the model file) to see why it stops.",
      });
    } finally {
      this.starting.delete(name);
    }
    const status = endpoint.status();
    deploymentId = status.deploymentId;
    this.running.set(deploymentId, { endpoint, token, model: name, log, db: ws.db, status, notice: null });
    this.changed(name, deploymentId, 'started', status.version);
    return this.list(name).find((d) => d.id === deploymentId)!;
  }

  private onEndpointEvent(deploymentId: string, model: string, e: EndpointEvent): void {
    if (e.kind === 'switched') {
      const r = this.running.get(deploymentId);
      // The alias now names a version that serves: an earlier failed switch is no longer news.
      if (r?.notice?.kind === 'switch-failed') r.notice = null;
      this.changed(model, deploymentId, 'switched', e.to);
    } else if (e.kind === 'health') {
      if (this.running.has(deploymentId)) this.changed(model, deploymentId, 'health', e.version);
    } else if (e.kind === 'switch-failed') {
      const message = `The alias moved to version ${e.to}, which could not be served, so version ${e.from} keeps answering: ${e.reason}`;
      this.notify(model, deploymentId, {
        kind: 'switch-failed',
        message,
        at: new Date().toISOString(),
        fromVersion: e.from,
        toVersion: e.to,
      });
    } else if (e.kind === 'warning')
      this.notify(model, deploymentId, {
        kind: 'warning',
        message: e.message,
        at: new Date().toISOString(),
        fromVersion: null,
        toVersion: null,
      });
    else if (e.kind === 'stopped' && this.running.has(deploymentId)) {
      // The endpoint stopped by itself (its model was deleted, say): forget it.
      const r = this.running.get(deploymentId)!;
      this.running.delete(deploymentId);
      void this.finish(deploymentId, r, e.reason).then(() => this.changed(model, deploymentId, 'stopped', null));
    }
  }

  /** Keeps a deployment's latest notice for deployments.list and announces it. */
  private notify(model: string, deploymentId: string, notice: DeploymentNotice): void {
    const r = this.running.get(deploymentId);
    // Before start() returns there is nothing to attach it to; start's own failure says what went wrong.
    if (!r) return;
    // A failing log flush is retried every second or so: the same warning again is not a new notice.
    if (r.notice && r.notice.kind === notice.kind && r.notice.message === notice.message) return;
    r.notice = notice;
    this.changed(model, deploymentId, 'notice', r.endpoint.status().version);
  }

  private async finish(id: string, r: Running, reason: string): Promise<void> {
    try {
      await r.endpoint.close(reason);
    } finally {
      r.log.close();
      const p = this.pendingEvents.get(id);
      if (p?.timer) clearTimeout(p.timer);
      this.pendingEvents.delete(id);
      // The engine records its own stop; this only makes sure a stopped endpoint never reads as running.
      if (r.db.open) {
        writeTransaction(r.db, () => {
          r.db
            .prepare(
              `UPDATE deployments SET stopped_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), stop_reason = ? WHERE id = ? AND stopped_at IS NULL`,
            )
            .run(reason, id);
        });
      }
    }
  }

  async stop(id: string): Promise<Deployment> {
    const r = this.running.get(id);
    if (r) {
      this.running.delete(id);
      await this.finish(id, r, 'stopped from the app');
      this.changed(r.model, id, 'stopped', null);
      return this.list(r.model).find((d) => d.id === id)!;
    }
    const row = this.list().find((d) => d.id === id);
    if (!row)
      throw new BenchtopError('NOT_FOUND', `No deployment ${id}.`, {
        field: 'id',
        hint: 'Pick one from deployments.list.',
      });
    if (row.state !== 'running')
      throw new BenchtopError('CONFLICT', `Deployment ${id} of ${row.model} is already ${row.state}.`, { field: 'id' });
    // Started by `benchtop serve` in another process: ask it to stop as Ctrl+C would.
    if (row.pid === process.pid || !pidAlive(row.pid))
      throw new BenchtopError('CONFLICT', `Deployment ${id} is not run by a process this app can stop.`, {
        field: 'id',
      });
    process.kill(row.pid, 'SIGTERM');
    // It finishes what is in flight and records its stop; wait for that (bounded) so the answer is current.
    const deadline = Date.now() + 15_000;
    while (pidAlive(row.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.changed(row.model, id, 'stopped', null);
    return this.list(row.model).find((d) => d.id === id) ?? row;
  }

  /** Sends a request body to a running endpoint of this app, as a client would. */
  async try(id: string, body: string): Promise<TryResult> {
    const r = this.running.get(id);
    if (!r)
      throw new BenchtopError('NOT_FOUND', `Deployment ${id} is not running in this app.`, {
        field: 'id',
        hint: 'Deploy the model from its version page, then try it.',
      });
    const status = r.endpoint.status();
    const token = status.token ?? r.token;
    const url = new URL('/predict', status.url);
    const began = performance.now();
    return new Promise<TryResult>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // Kept as text: the endpoint's own answer, whatever it is.
            }
            resolve({ status: res.statusCode ?? 0, latencyMs: performance.now() - began, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('the endpoint did not answer within 60 s')));
      req.on('error', (err) =>
        reject(
          new BenchtopError('BUSY', `The endpoint at ${url.origin} could not be reached: ${err.message}.`, {
            field: 'id',
          }),
        ),
      );
      req.end(body);
    });
  }

  /** Stops every endpoint this app runs (on quit, or before another project opens). */
  async closeAll(reason = 'the app closed'): Promise<void> {
    const all = [...this.running.entries()];
    this.running.clear();
    await Promise.allSettled(
      all.map(([id, r]) => this.finish(id, r, reason).then(() => this.changed(r.model, id, 'stopped', null))),
    );
  }

  /** Writes what the running endpoints' logs hold, so a read right after a request sees it. */
  flushLogs(): void {
    for (const r of this.running.values()) r.log.flush();
  }

  get size(): number {
    return this.running.size;
  }
}
