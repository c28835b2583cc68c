// Runs in: main (core) or the CLI's `benchtop serve`. A pool of warm predict processes speaking the
// predict protocol (docs/predict-protocol.md): a request's records go to one idle process as JSON
// lines, and its answer is the next as many lines. Requests queue while every process is busy. A
// process that dies or says something off-protocol fails the request it was answering with a 502
// naming the exit and its stderr, and is replaced; one that runs past the timeout is killed (504).
// Nothing waits forever: queued requests have the same time limit.
import type { ChildProcess } from 'node:child_process';
import { killTree, shellCommand, spawnTracked, withOwnNode } from '../pipeline/process-tree';

/** A request the pool could not answer: the HTTP status to give and why. */
export class PoolError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PoolOptions {
  /** The predict command, run through the shell (a leading `node` runs with Benchtop's own Node). */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  workers: number;
  /** Per request: how long it may wait for a free process, and then how long that process may take. */
  timeoutMs: number;
  /** A restarted process that has not written `{"$ready": true}` counts as started once alive this long (default 300 ms). */
  settleMs?: number;
  /**
   * The same when the pool starts (default 1 s): longer, since a pool that starts is about to take
   * all the traffic (at launch, or when an alias moves), and one that dies a little later would
   * otherwise be taken for a working version.
   */
  warmMs?: number;
  /** What the processes answer for, in error messages ("iris version 2"). */
  label: string;
  /**
   * The longest answer line a process may write, in characters (default 64 MiB, or
   * BENCHTOP_PREDICT_MAX_LINE_BYTES). Past it the request fails and the process is replaced,
   * rather than the server holding an unbounded line in memory.
   */
  maxLineBytes?: number;
  /** Told when a process is replaced, and why. */
  onRestart?: (reason: string) => void;
  /** Each line a process writes on stderr. */
  onStderr?: (line: string) => void;
  /**
   * Told when the pool turns unhealthy (every process keeps crashing as it starts; the reason is
   * what /predict answers) and when it recovers (a process stayed up or answered), so whoever shows
   * the endpoint's health need not poll it.
   */
  onHealthChange?: (healthy: boolean, reason: string | null) => void;
}

export interface PredictAnswer {
  /** One per record, in order; null where the model answered {"$error": …}. */
  outputs: unknown[];
  /** The records the model refused, by index. */
  errors: { index: number; message: string }[];
  /** The process that answered. */
  pid: number;
}

export type WorkerState = 'starting' | 'idle' | 'busy' | 'restarting' | 'stopped';

export interface WorkerStatus {
  pid: number | null;
  state: WorkerState;
  restarts: number;
  /** The latest reason it was replaced, if ever. */
  lastExit: string | null;
}

interface Job {
  records: readonly unknown[];
  input: string;
  answers: unknown[];
  resolve: (a: PredictAnswer) => void;
  reject: (e: PoolError) => void;
  timer: NodeJS.Timeout | null;
  done: boolean;
}

interface Worker {
  slot: number;
  child: ChildProcess | null;
  state: WorkerState;
  spawnedAt: number;
  /** Consecutive deaths before answering anything or staying up for STABLE_MS. */
  streak: number;
  restarts: number;
  lastExit: string | null;
  stderrTail: string;
  /** The start of a line not yet ended: chunks kept apart, so each chunk is scanned once. */
  stdoutParts: string[];
  stdoutLength: number;
  job: Job | null;
  /** Set once this process is being replaced on purpose, so its exit is not taken for a crash. */
  retired: boolean;
  timers: NodeJS.Timeout[];
  /** While the pool starts: told when this slot's process is ready, or could not start. */
  starting: { resolve: () => void; reject: (e: Error) => void } | undefined;
}

const STABLE_MS = 2000;
const MAX_BACKOFF_MS = 5000;
/** Crashes in a row (on every process) before the pool calls itself unhealthy. */
const UNHEALTHY_STREAK = 3;
const STDERR_TAIL = 2000;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'a signal'}`;
}

export class PredictPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly settleMs: number;
  private readonly warmMs: number;
  private wasHealthy = true;
  private readonly maxLineBytes: number;

  constructor(private readonly options: PoolOptions) {
    this.settleMs = options.settleMs ?? 300;
    this.warmMs = options.warmMs ?? 1000;
    const fromEnv = Number(process.env.BENCHTOP_PREDICT_MAX_LINE_BYTES);
    this.maxLineBytes =
      options.maxLineBytes ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_LINE_BYTES);
    for (let slot = 0; slot < Math.max(1, options.workers); slot++) {
      this.workers.push({
        slot,
        child: null,
        state: 'stopped',
        spawnedAt: 0,
        streak: 0,
        restarts: 0,
        lastExit: null,
        stderrTail: '',
        stdoutParts: [],
        stdoutLength: 0,
        job: null,
        retired: false,
        timers: [],
        starting: undefined,
      });
    }
  }

  /**
   * Starts every process; resolves once each has said it is ready (or stayed up for the settle
   * time). Rejects, with the processes stopped, when one dies while starting: a predict command that
   * cannot start is reported at once rather than at the first request.
   */
  async start(): Promise<void> {
    const started = this.workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          this.spawnWorker(w, { resolve, reject });
        }),
    );
    try {
      await Promise.all(started);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Answers one request's records; rejects with a PoolError carrying the HTTP status. */
  predict(records: readonly unknown[]): Promise<PredictAnswer> {
    if (this.closing) return Promise.reject(new PoolError(503, `The endpoint for ${this.options.label} is stopping.`));
    if (!this.healthy()) return Promise.reject(new PoolError(503, this.unhealthyText()));
    return new Promise<PredictAnswer>((resolve, reject) => {
      const job: Job = {
        records,
        input: records.map((r) => JSON.stringify(r)).join('\n') + '\n',
        answers: [],
        resolve,
        reject,
        timer: null,
        done: false,
      };
      job.timer = setTimeout(() => {
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        this.finish(
          job,
          new PoolError(
            504,
            `No predict process of ${this.options.label} was free within ${this.options.timeoutMs} ms (all ${this.workers.length} busy or restarting).`,
          ),
        );
      }, this.options.timeoutMs);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** False once every process has died repeatedly before it could answer anything. */
  healthy(): boolean {
    return !this.workers.every((w) => w.streak >= UNHEALTHY_STREAK);
  }

  status(): WorkerStatus[] {
    return this.workers.map((w) => ({
      pid: w.child?.pid ?? null,
      state: w.state,
      restarts: w.restarts,
      lastExit: w.lastExit,
    }));
  }

  /** Requests being answered or waiting. */
  pending(): number {
    return this.queue.length + this.workers.filter((w) => w.job).length;
  }

  /** Resolves once no request is waiting or being answered (new ones may still arrive). */
  drain(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Fails what still waits, stops every process (its whole process tree) and waits for them to go. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0))
      this.finish(job, new PoolError(503, `The endpoint for ${this.options.label} is stopping.`));
    const gone = this.workers.map((w) => {
      for (const t of w.timers) clearTimeout(t);
      w.timers = [];
      const child = w.child;
      w.retired = true;
      w.state = 'stopped';
      if (w.job)
        this.finish(
          w.job,
          new PoolError(503, `The endpoint for ${this.options.label} stopped while the request was being answered.`),
        );
      w.job = null;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const closed = new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 3000);
        child.once('close', () => (clearTimeout(t), resolve()));
      });
      child.stdin?.end();
      // Waited for, so `benchtop serve` does not exit while a process ignoring SIGTERM lives on.
      return Promise.all([closed, killTree(child, 1000)]).then(() => undefined);
    });
    await Promise.all(gone);
    this.notifyIdle();
  }

  /** Tells onHealthChange when a streak change flipped the pool's health. */
  private noteHealth(): void {
    const now = this.healthy();
    if (now === this.wasHealthy || this.closing) return;
    this.wasHealthy = now;
    this.options.onHealthChange?.(now, now ? null : this.unhealthyText());
  }

  private unhealthyText(): string {
    const last = this.workers.find((w) => w.lastExit)?.lastExit;
    return `The predict processes of ${this.options.label} keep crashing as they start${last ? `: ${last}` : ''}. Fix the predict command; Benchtop keeps retrying.`;
  }

  private spawnWorker(w: Worker, first?: { resolve: () => void; reject: (e: Error) => void }): void {
    const { file, args } = shellCommand(withOwnNode(this.options.command));
    let child: ChildProcess;
    try {
      // Tracked like a pipeline stage: stopping the pool ends whatever the predictor started too.
      child = spawnTracked(file, args, {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (err) {
      const message = `Could not start the predict command of ${this.options.label} (${err instanceof Error ? err.message : String(err)}).`;
      if (first) first.reject(new Error(message));
      return;
    }
    w.child = child;
    w.state = 'starting';
    w.spawnedAt = Date.now();
    w.stderrTail = '';
    w.stdoutParts = [];
    w.stdoutLength = 0;
    w.retired = false;
    w.starting = first;
    const ready = (): void => {
      if (w.child !== child || w.state !== 'starting') return;
      w.state = 'idle';
      w.starting?.resolve();
      w.starting = undefined;
      this.dispatch();
    };
    w.timers.push(setTimeout(ready, first ? this.warmMs : this.settleMs));
    // A process that stays up has started well, even if it has not been asked anything yet.
    w.timers.push(
      setTimeout(() => {
        if (w.child !== child) return;
        w.streak = 0;
        this.noteHealth();
      }, STABLE_MS),
    );
    child.stdin!.on('error', () => {
      // EPIPE when the process has died: its exit is handled below, with its stderr.
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (w.child !== child) return;
      // Only the new chunk is searched for line ends: rescanning everything kept so far made one
      // 50 MB answer line take quadratic time, stalling every other request and /health.
      let from = 0;
      let nl: number;
      while ((nl = chunk.indexOf('\n', from)) >= 0) {
        const tail = chunk.slice(from, nl);
        const line = (w.stdoutParts.length ? w.stdoutParts.join('') + tail : tail).replace(/\r$/, '');
        w.stdoutParts = [];
        w.stdoutLength = 0;
        from = nl + 1;
        if (line.length > this.maxLineBytes) return void this.lineTooLong(w, line.length);
        if (!this.onLine(w, line, ready)) return;
      }
      if (from < chunk.length) {
        w.stdoutParts.push(from === 0 ? chunk : chunk.slice(from));
        w.stdoutLength += chunk.length - from;
        if (w.stdoutLength > this.maxLineBytes) this.lineTooLong(w, w.stdoutLength);
      }
    });
    child.stderr!.setEncoding('utf8');
    let errBuffer = '';
    child.stderr!.on('data', (chunk: string) => {
      w.stderrTail = (w.stderrTail + chunk).slice(-STDERR_TAIL);
      if (!this.options.onStderr) return;
      errBuffer += chunk;
      const lines = errBuffer.split('\n');
      errBuffer = lines.pop()!;
      for (const l of lines) this.options.onStderr(l);
    });
    child.on('error', (err) => {
      if (w.child !== child) return;
      w.lastExit = `could not run: ${err.message}`;
    });
    child.once('close', (code, signal) => {
      if (w.child !== child) return;
      for (const t of w.timers) clearTimeout(t);
      w.timers = [];
      w.child = null;
      const stderr = w.stderrTail.trim();
      const exit = `the predict process ${child.pid ?? ''} ${exitText(code, signal)}`.replace('process  ', 'process ');
      const tail = stderr
        ? `; its stderr ends with:\n${stderr.split('\n').slice(-10).join('\n')}`
        : ' (nothing on stderr)';
      const reason = exit + tail;
      w.lastExit = reason;
      const hadJob = w.job !== null;
      if (w.job) {
        const job = w.job;
        w.job = null;
        this.finish(
          job,
          new PoolError(
            502,
            `${exit[0]!.toUpperCase()}${exit.slice(1)} while answering this request (${this.options.label})${tail}`,
          ),
        );
      }
      if (w.starting) {
        w.starting.reject(new Error(`The predict command of ${this.options.label} failed to start: ${reason}`));
        w.starting = undefined;
        w.state = 'stopped';
        return;
      }
      if (this.closing || w.retired) {
        w.state = 'stopped';
        this.notifyIdle();
        return;
      }
      // Dying on a request (a poison input) is that request's 502; dying with nothing asked, soon
      // after starting, is a predictor that cannot run, which backs off and can make the pool unhealthy.
      const immediate = !hadJob && Date.now() - w.spawnedAt < STABLE_MS;
      w.streak = immediate ? w.streak + 1 : 0;
      this.restart(w, reason);
      if (!this.healthy())
        for (const job of this.queue.splice(0)) this.finish(job, new PoolError(503, this.unhealthyText()));
      this.noteHealth();
    });
  }

  private restart(w: Worker, reason: string): void {
    w.state = 'restarting';
    w.restarts++;
    this.options.onRestart?.(reason);
    const delay = w.streak === 0 ? 0 : Math.min(100 * 2 ** (w.streak - 1), MAX_BACKOFF_MS);
    w.timers.push(
      setTimeout(() => {
        if (!this.closing) this.spawnWorker(w);
      }, delay),
    );
  }

  /** Replaces a process on purpose (timed out, off-protocol): killed, not counted as a crash. */
  private replace(w: Worker, reason: string): void {
    const child = w.child;
    for (const t of w.timers) clearTimeout(t);
    w.timers = [];
    w.child = null;
    w.retired = true;
    w.lastExit = reason;
    if (child) {
      child.stdin?.destroy();
      void killTree(child, 500);
    }
    if (this.closing) {
      w.state = 'stopped';
      return;
    }
    w.streak = 0;
    this.restart(w, reason);
    this.noteHealth();
  }

  /** Handles one stdout line; false when the process was replaced (stop reading its output). */
  private onLine(w: Worker, line: string, ready: () => void): boolean {
    if (line.trim() === '') return true;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.offProtocol(
        w,
        `wrote a line that is not JSON (${JSON.stringify(line.slice(0, 200))}); logs go to stderr, answers are one JSON line per input`,
      );
    }
    if (isObject(value) && Object.keys(value).length === 1 && '$ready' in value) {
      ready();
      return true;
    }
    const job = w.job;
    if (!job)
      return this.offProtocol(
        w,
        `wrote a line when no input was waiting (${JSON.stringify(line.slice(0, 200))}); logs go to stderr, answers are one JSON line per input`,
      );
    job.answers.push(value);
    if (job.answers.length < job.records.length) return true;
    w.job = null;
    w.state = 'idle';
    w.streak = 0;
    this.noteHealth();
    const errors: { index: number; message: string }[] = [];
    const outputs = job.answers.map((a, index) => {
      if (isObject(a) && '$error' in a) {
        errors.push({ index, message: typeof a.$error === 'string' ? a.$error : JSON.stringify(a.$error) });
        return null;
      }
      return a;
    });
    if (!job.done) {
      job.done = true;
      if (job.timer) clearTimeout(job.timer);
      job.resolve({ outputs, errors, pid: w.child?.pid ?? 0 });
    }
    this.dispatch();
    return true;
  }

  private lineTooLong(w: Worker, length: number): void {
    w.stdoutParts = [];
    w.stdoutLength = 0;
    const mib = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
    this.offProtocol(
      w,
      `wrote an answer line longer than the limit of ${mib(this.maxLineBytes)} (at least ${mib(length)}); send fewer records per request, or raise the limit with BENCHTOP_PREDICT_MAX_LINE_BYTES`,
    );
  }

  private offProtocol(w: Worker, what: string): false {
    const reason = `the predict process ${w.child?.pid ?? ''} ${what}`;
    if (w.starting) {
      // Output before any input while the pool starts: a predictor that prints as it loads. Said
      // at launch, rather than failing the first request.
      const child = w.child;
      for (const t of w.timers) clearTimeout(t);
      w.timers = [];
      w.child = null;
      w.state = 'stopped';
      if (child) void killTree(child, 500);
      w.starting.reject(new Error(`The predict command of ${this.options.label} failed to start: ${reason}`));
      w.starting = undefined;
      return false;
    }
    if (w.job) {
      const job = w.job;
      w.job = null;
      this.finish(job, new PoolError(502, `${reason[0]!.toUpperCase()}${reason.slice(1)} (${this.options.label}).`));
    }
    this.replace(w, reason);
    return false;
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (this.queue.length === 0) break;
      if (w.state !== 'idle' || !w.child) continue;
      const job = this.queue.shift()!;
      w.job = job;
      w.state = 'busy';
      if (job.timer) clearTimeout(job.timer);
      const child = w.child;
      job.timer = setTimeout(() => {
        if (w.job !== job) return;
        w.job = null;
        this.finish(
          job,
          new PoolError(
            504,
            `The model (${this.options.label}) did not answer within ${this.options.timeoutMs} ms; its predict process ${child.pid ?? ''} was killed and is being replaced.`,
          ),
        );
        this.replace(w, `timed out after ${this.options.timeoutMs} ms`);
      }, this.options.timeoutMs);
      child.stdin!.write(job.input);
    }
    this.notifyIdle();
  }

  private finish(job: Job, err: PoolError): void {
    if (job.done) return;
    job.done = true;
    if (job.timer) clearTimeout(job.timer);
    job.reject(err);
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || this.pending() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of waiters) r();
  }
}
