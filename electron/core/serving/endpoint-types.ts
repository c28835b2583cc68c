// Runs in: main (core) or the CLI's `benchtop serve`. What a running local endpoint offers to whoever
// started it (the app's deployments, the CLI): its address, the version answering, live counters,
// and a way to stop it. The engine (pool of predict processes, HTTP server, signature checks) lives
// beside this file; the app and the CLI only see this interface.
import type { Database } from 'better-sqlite3';
import type { PredictionLog } from './prediction-log';

export interface EndpointOptions {
  projectDir: string;
  db: Database;
  /** NAME@ALIAS, NAME/N, NAME (latest), with or without models:/. An alias is followed as it moves. */
  ref: string;
  /** 127.0.0.1 unless told otherwise; any other host requires a token. */
  host?: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Warm predict processes in the pool (default 1). */
  workers?: number;
  /** A request whose model has not answered in this long is answered 504 and its process killed. */
  timeoutMs?: number;
  /** Required as `Authorization: Bearer <token>` when set (always set for a host other than loopback). */
  token?: string | null;
  /** The input field that names a record, for joining ground truth later (default: `id` when present). */
  idField?: string | null;
  /** Where requests are logged; the endpoint makes its own when absent. */
  log?: PredictionLog;
  /** Told when the endpoint starts answering with another version (the alias moved) or a worker restarts. */
  onEvent?: (event: EndpointEvent) => void;
  /**
   * The caller has seen the predict command of the version the ref names now and agrees to run it
   * (needed once for a version imported from a bundle). A version the alias moves to later is not
   * covered: its command was never shown.
   */
  trust?: boolean;
}

export type EndpointEvent =
  | { kind: 'switched'; from: number; to: number }
  | { kind: 'worker-restarted'; version: number; reason: string }
  | { kind: 'stopped'; reason: string }
  /** The alias moved to a version that could not be served (no predict command, its processes would not start): the old one keeps answering. */
  | { kind: 'switch-failed'; from: number; to: number; reason: string }
  /** Something worth telling whoever watches (the prediction log could not be written, and is retried). */
  | { kind: 'warning'; message: string }
  /** The version answering turned unhealthy (its processes keep crashing as they start; reason: what /predict answers) or recovered. */
  | { kind: 'health'; version: number; healthy: boolean; reason: string | null }
  /** A line a predict process wrote on stderr (its own logs). */
  | { kind: 'log'; version: number; line: string };

export interface EndpointStatus {
  deploymentId: string;
  ref: string;
  model: string;
  /** The version answering now. */
  version: number;
  url: string;
  host: string;
  port: number;
  workers: number;
  startedAt: string;
  requests: number;
  errors: number;
  /** Requests being answered right now. */
  inFlight: number;
  /** The bearer token requests need (generated when a non-loopback host was given none); null: none needed. */
  token: string | null;
  /** False while the predict processes keep crashing as they start (GET /health answers 503). */
  healthy: boolean;
}

export interface Endpoint {
  status(): EndpointStatus;
  /** Stops taking requests, lets those in flight finish (bounded by the timeout), kills the pool, flushes the log. */
  close(reason?: string): Promise<void>;
}
