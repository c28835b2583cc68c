// Runs in: main (core) and CLI (Node). The engine that every shell (Electron IPC, browser-mode
// HTTP, CLI) wraps: the composition root that builds the project lifecycle, the event bus and the
// contract's handler map from each domain's handlers.ts.
//
// How a shell uses it:
//   const core = new Core({ dataDir, mode: 'cli' });       // or 'desktop' / 'browser'
//   await core.open(projectDir);
//   const result = await dispatch(core.handlers, 'runs.search', { limit: 20 });
//   await core.shutdown();
// dispatch (shared/contract/dispatch.ts) validates the input and turns errors into the contract's
// shape; calling core.handlers[name] directly skips that validation. In 'cli' mode the core does
// not watch for other processes' writes, runs no scheduler (unless asked, by `benchtop scheduler`)
// and leaves the recent-projects list alone. Its write handlers still take the project lock, which
// is shared inside one process, so a CLI command already holding it (electron/cli/project-lock.ts)
// only joins its own hold.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { ProjectSummary } from '../../../shared/contract/schemas';
import type { InboxIngest } from '../../../shared/contract/tracking';
import { dataHandlers } from '../data/handlers';
import { monitoringHandlers } from '../monitoring/handlers';
import { pipelineHandlers } from '../pipeline/handlers';
import type { SchedulerEvent } from '../pipeline/scheduler';
import type { PipelineService } from '../pipeline/service';
import { projectHandlers } from '../project/handlers';
import { ProjectLifecycle } from '../project/lifecycle';
import { modelHandlers } from '../registry/handlers';
import { reportHandlers } from '../reports/handlers';
import { deploymentHandlers, predictionHandlers } from '../serving/handlers';
import { syncHandlers } from '../sync/handlers';
import { tourHandlers } from '../tour/handlers';
import { trackingHandlers } from '../tracking/handlers';
import { flushRecords, unwrittenRecords } from '../sync/records-store';
import { inboxHasFiles } from '../tracking/inbox';
import type { LockOptions } from '../workspace/project-lock';
import type { Workspace } from '../workspace/workspace';
import { combineHandlers } from './combine-handlers';
import { EventBus } from './event-bus';
import { cancelForeignRun, ExternalChanges } from './external-changes';
import { lockForWrite, withProjectLock, type LockContext } from './method-access';
import type { PrintPdf } from '../reports/pdf';

export interface CoreOptions {
  dataDir: string;
  mode: 'desktop' | 'browser' | 'cli';
  /**
   * Run the open project's scheduled pipelines, reporting what the scheduler does. In 'cli' mode
   * only `benchtop scheduler` asks for it: its whole job is to keep them running.
   */
  scheduler?: (e: SchedulerEvent) => void;
  /** Prints a self-contained HTML report to PDF; the desktop uses Electron's own printing, others headless Chromium. */
  printPdf?: PrintPdf;
  /** Shell-specific handlers (the desktop's folder dialog) that replace the core's defaults. */
  overrides?: Partial<Handlers>;
  /** How long a write waits for another process holding the project lock before failing with BUSY (default 2 s). */
  lockWaitMs?: number;
  /** Hears each time a write is still waiting for another process's project lock (a terminal says so). */
  onLockWait?: LockOptions['onWait'];
  /** How often to look for other processes' writes to the open project (default 500 ms; see external-changes.ts). */
  externalPollMs?: number;
  /** How often the app looks at the open project's inbox (default 2 s; see tracking/inbox.ts). */
  inboxPollMs?: number;
}

const INBOX_POLL_MS = 2000;

const HOLDERS: Record<CoreOptions['mode'], string> = {
  desktop: 'the Benchtop app',
  browser: 'benchtop ui',
  cli: 'benchtop',
};

export class Core {
  readonly events = new EventBus();
  readonly handlers: Handlers;
  /** The open project and what lives while it is open. */
  readonly lifecycle: ProjectLifecycle;
  /** Announces what a terminal's `benchtop` (or any other process) writes to the open project. */
  private external: ExternalChanges | null = null;
  /** The inbox's ingestion without the lock wrapper: takeInInbox holds the lock its own way. */
  private readonly ingestInbox: () => Promise<InboxIngest>;
  private readonly inboxLock: LockContext;
  /** What opening the project took in from the inbox (the CLI prints it), or why it could not. */
  inboxTaken: InboxIngest | null = null;
  inboxError: string | null = null;

  constructor(readonly options: CoreOptions) {
    const cli = options.mode === 'cli';
    const lockContext: LockContext = {
      projectDir: () => this.lifecycle.current?.dir ?? null,
      holder: HOLDERS[options.mode],
      waitMs: options.lockWaitMs ?? 2000,
      onWait: options.onLockWait,
    };
    const emit = this.events.emit.bind(this.events);
    const lc = new ProjectLifecycle({
      dataDir: options.dataDir,
      emit,
      lockForWrite: (what) => lockForWrite(lockContext, what),
      scheduler: options.scheduler,
      rememberRecent: !cli,
      followJobs: !cli,
      watch: cli ? undefined : (ws) => this.watchExternal(ws),
      beforeClose: (ws) => this.writeRecords(ws),
    });
    this.lifecycle = lc;
    const ctx = {
      project: () => lc.require(),
      emit,
      pipelines: () => lc.pipelines,
      metrics: () => lc.metrics,
      flushMetrics: () => lc.flushMetrics(),
      forgetMetrics: (runId: string) => lc.forgetMetrics(runId),
      cancelForeignRun: (ws: Workspace, runId: string) => cancelForeignRun(ws.dir, ws.db, runId),
      printPdf: options.printPdf,
      mode: options.mode,
      schedules: () => lc.schedules,
    };
    const handlers = combineHandlers(
      projectHandlers({ lifecycle: lc, emit, dataDir: options.dataDir, mode: options.mode }),
      trackingHandlers(ctx),
      dataHandlers(ctx),
      pipelineHandlers(ctx),
      modelHandlers(ctx),
      monitoringHandlers(ctx),
      predictionHandlers(ctx),
      reportHandlers(ctx),
      deploymentHandlers({
        project: () => lc.require(),
        db: () => lc.require().db,
        manager: () => lc.deployments,
        emit,
        mode: options.mode,
      }),
      tourHandlers(ctx),
      syncHandlers(ctx),
    );
    this.handlers = withProjectLock({ ...handlers, ...options.overrides }, lockContext);
    const ingest = handlers['runs.ingestInbox'];
    this.ingestInbox = async () => ingest({});
    // Taking in the inbox never waits for another process's lock: that process's command goes on,
    // and the inbox waits for the next command or the app's next look.
    this.inboxLock = { ...lockContext, waitMs: 0, onWait: undefined };
    this.events.subscribe((e) => this.external?.noteOwn(e));
  }

  /**
   * Writes the project's changed records to git (core/sync/): after every CLI command, a moment
   * after the app's writes, and before a project closes. Never fails the caller: when it cannot
   * (another process holds the lock, git is missing) the rows stay listed for the next time.
   */
  async writeRecords(ws: Workspace | null = this.project): Promise<void> {
    // One at a time in this process: the project lock lets this process's writes share it, and a
    // second flush would take over the first one's rows while it waits on git.
    while (this.writingRecords) await this.writingRecords;
    if (!ws?.db.open || unwrittenRecords(ws.db) === 0) return;
    const done = this.flushOnce(ws);
    this.writingRecords = done;
    try {
      await done;
    } finally {
      this.writingRecords = null;
    }
  }

  private writingRecords: Promise<void> | null = null;

  private async flushOnce(ws: Workspace): Promise<void> {
    let release: (() => void) | null = null;
    try {
      // Never waits: a process holding the lock writes the records itself when it is done.
      release = await lockForWrite({ ...this.inboxLock, projectDir: () => ws.dir }, 'records');
    } catch {
      return;
    }
    try {
      await flushRecords(ws);
      this.recordsError = null;
    } catch (err) {
      this.recordsError = err instanceof Error ? err.message : String(err);
    } finally {
      release();
    }
  }

  /** Why the last write of records to git failed, if it did (the CLI says so on stderr). */
  recordsError: string | null = null;

  private watchExternal(ws: Workspace): () => void {
    const watcher = new ExternalChanges(ws.db, {
      projectDir: ws.dir,
      emit: (e) => this.events.emit(e),
      intervalMs: this.options.externalPollMs,
    });
    this.external = watcher;
    watcher.start();
    // A notebook logging while the app is open but no server runs writes to the inbox: take it in
    // as it comes (a readdir per look while the inbox is empty).
    const look = (opening = false) => {
      if (this.project !== ws) return;
      if (inboxHasFiles(ws.dir)) void this.takeInInbox();
      // The app's writes (and its pipelines') reach git within a look or two; not while the
      // project opens, when the first view is what the user waits for.
      if (!opening) void this.writeRecords(ws);
    };
    // At once too: a project opened from the app's own menu (project.open) does not pass through open().
    const first = setImmediate(() => look(true));
    const inbox = setInterval(() => look(), this.options.inboxPollMs ?? INBOX_POLL_MS);
    inbox.unref();
    return () => {
      clearImmediate(first);
      clearInterval(inbox);
      watcher.stop();
      if (this.external === watcher) this.external = null;
    };
  }

  /**
   * Takes in what the helpers logged while no server ran (tracking/inbox.ts), holding the project
   * lock if no other process does; never fails: what it did or why not is kept on the Core.
   */
  async takeInInbox(): Promise<InboxIngest | null> {
    const ws = this.project;
    if (!ws || !inboxHasFiles(ws.dir)) return null;
    let release: (() => void) | null = null;
    try {
      release = await lockForWrite(this.inboxLock, 'runs.ingestInbox');
    } catch {
      return null; // another process is writing: the inbox keeps until next time
    }
    try {
      const taken = await this.ingestInbox();
      this.inboxTaken = taken;
      return taken;
    } catch (err) {
      this.inboxError = err instanceof Error ? err.message : String(err);
      return null;
    } finally {
      release();
    }
  }

  get project(): Workspace | null {
    return this.lifecycle.current;
  }

  /** The open project's pipeline service. */
  get pipelines(): PipelineService {
    return this.lifecycle.pipelines;
  }

  /**
   * Opens a project folder, replacing the open one only when the new one opened cleanly, and takes
   * in its inbox (what scripts logged while no server ran).
   */
  async open(dir: string): Promise<ProjectSummary> {
    const summary = await this.lifecycle.open(dir);
    await this.takeInInbox();
    return summary;
  }

  init(dir: string, demo: boolean): Promise<ProjectSummary> {
    return this.lifecycle.init(dir, demo);
  }

  /** With no project named: the default demo project in the user data folder (created once). */
  openDefault(): Promise<ProjectSummary> {
    return this.lifecycle.openDefault();
  }

  /** Cancels a running pipeline, waits for its stages to end, then closes the project. */
  shutdown(): Promise<void> {
    return this.lifecycle.shutdown();
  }

  close(): void {
    this.lifecycle.close();
  }
}
