// Runs in: main (core) and CLI (Node). The open project and the services that live as long as it
// stays open (pipelines, scheduler, metric writer, endpoints, the watch on other processes' writes):
// opening, creating, switching, resetting the demo and closing, each tearing down what belonged to
// the project before. The Core wires it to the handlers; a CLI process uses it without the watch,
// the scheduler or the recent-projects list.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { ProjectSummary } from '../../../shared/contract/schemas';
import { PipelineScheduler, type SchedulerEvent } from '../pipeline/scheduler';
import { PipelineService } from '../pipeline/service';
import { DeploymentManager } from '../serving/deployments';
import { startEndpoint } from '../serving/endpoint';
import { MetricWriter } from '../tracking/metric-writer';
import { Workspace } from '../workspace/workspace';
import { openDefaultProject } from './default-project';
import { prepareFreshDemo, requireDemo, swapInFreshDemo } from './demo-reset';
import { initProject } from './init';
import { rememberRecent } from './recent';

export interface LifecycleOptions {
  dataDir: string;
  emit(e: BenchtopEvent): void;
  /** Takes the project lock for a pipeline run (shared with the process's other writes). */
  lockForWrite(what: string): Promise<() => void>;
  /** Run the open project's scheduled pipelines, reporting what the scheduler does. */
  scheduler?: (e: SchedulerEvent) => void;
  /** Add each opened project to the user's recent list (the app and `benchtop ui`, not one CLI command). */
  rememberRecent: boolean;
  /**
   * Take over, on open, the runs whose process stopped while their Slurm jobs ran, and follow them
   * to their end (the app and `benchtop ui`: processes that stay; a CLI command leaves them).
   */
  followJobs?: boolean;
  /** Starts watching an opened project for other processes' writes; what it returns stops it. */
  watch?: (ws: Workspace) => () => void;
  /** Last work on a project before it closes cleanly: its changed records written to git. */
  beforeClose?: (ws: Workspace) => Promise<void>;
}

export class ProjectLifecycle {
  private workspace: Workspace | null = null;
  private pipelineService: PipelineService | null = null;
  private scheduler: PipelineScheduler | null = null;
  private metricWriter: MetricWriter | null = null;
  private deploymentManager: DeploymentManager | null = null;
  private unwatch: (() => void) | null = null;

  constructor(private readonly options: LifecycleOptions) {}

  get current(): Workspace | null {
    return this.workspace;
  }

  require(): Workspace {
    if (!this.workspace) {
      throw new BenchtopError('NO_PROJECT', 'No project is open.', {
        hint: 'Open a project folder or create one first.',
      });
    }
    return this.workspace;
  }

  /** The open project's pipeline service. */
  get pipelines(): PipelineService {
    const ws = this.require();
    this.pipelineService ??= new PipelineService(
      ws.dir,
      ws.db,
      (e) => this.options.emit(e),
      () => this.options.lockForWrite('pipeline run'),
    );
    return this.pipelineService;
  }

  /** Batches metric points logged through the contract; live views hear the latest of each batch. */
  get metrics(): MetricWriter {
    const ws = this.require();
    this.metricWriter ??= new MetricWriter(ws.db, {
      onFlushed: (latest) => {
        for (const p of latest)
          this.options.emit({
            name: 'run.metric',
            payload: { runId: p.runId, key: p.key, step: p.step, value: p.value, at: p.at },
          });
      },
    });
    return this.metricWriter;
  }

  /** Writes buffered metric points, if any, so a read that follows sees them. */
  flushMetrics(): void {
    this.metricWriter?.flush();
  }

  forgetMetrics(runId: string): void {
    this.metricWriter?.forget(runId);
  }

  /** Endpoints started from the app run in this process, against the open project. */
  get deployments(): DeploymentManager {
    this.require();
    this.deploymentManager ??= new DeploymentManager({
      project: () => this.require(),
      emit: (e) => this.options.emit(e),
      start: startEndpoint,
    });
    return this.deploymentManager;
  }

  /** Stops the app's endpoints (their logs flushed into the project they serve). */
  private async stopDeployments(reason: string): Promise<void> {
    const m = this.deploymentManager;
    this.deploymentManager = null;
    await m?.closeAll(reason);
  }

  private dropMetricWriter(): void {
    this.metricWriter?.flush();
    this.metricWriter = null;
  }

  /** Stops what works on the project in the background: the scheduler, the watch, the following of jobs. */
  private stopWatching(): void {
    this.pipelineService?.detachFollowers();
    this.scheduler?.stop();
    this.scheduler = null;
    this.unwatch?.();
    this.unwatch = null;
  }

  /** The schedules the scheduler has armed, with their next run; null when no scheduler runs. */
  get schedules(): { cron: string; next: string | null }[] | null {
    return this.scheduler?.schedules ?? null;
  }

  /** The pipeline run or sweep running in the open project, if any. */
  busyWith(): string | null {
    return (
      this.pipelineService?.activeRunId ??
      (this.pipelineService?.sweepStatus()?.running ? this.pipelineService.sweepStatus()!.sweepId : null)
    );
  }

  private async adopt(ws: Workspace): Promise<ProjectSummary> {
    const busy = this.busyWith();
    if (busy) {
      ws.close();
      throw new BenchtopError('BUSY', `${busy} is still running in ${this.workspace?.dir}.`, {
        hint: 'Cancel it or wait for it to finish before switching projects.',
      });
    }
    this.stopWatching();
    this.dropMetricWriter();
    await this.stopDeployments('another project was opened');
    if (this.workspace && this.workspace !== ws) {
      await this.options.beforeClose?.(this.workspace);
      this.workspace.close();
    }
    this.workspace = ws;
    this.pipelineService = null;
    this.unwatch = this.options.watch?.(ws) ?? null;
    if (this.options.scheduler) {
      this.scheduler = new PipelineScheduler(ws.dir, ws.db, this.pipelines, this.options.scheduler);
      this.scheduler.start();
    }
    // A project that cannot be locked now (another process writes) keeps its runs for the next open.
    if (this.options.followJobs) this.pipelines.followLeftRuns().catch(() => undefined);
    if (this.options.rememberRecent) rememberRecent(this.options.dataDir, { path: ws.dir, name: ws.name });
    const summary = await ws.summary();
    this.options.emit({ name: 'project.changed', payload: { project: summary } });
    return summary;
  }

  /** Opens a project folder, replacing the open one only when the new one opened cleanly. */
  async open(dir: string): Promise<ProjectSummary> {
    const abs = path.resolve(dir);
    if (this.workspace?.dir === abs) return this.workspace.summary();
    return this.adopt(Workspace.open(abs));
  }

  /** Creates (or adopts) and opens a project; says what init did, for `benchtop init` to report. */
  async init(
    dir: string,
    demo: boolean,
  ): Promise<ProjectSummary & { created: boolean; repoCreated: boolean; written: string[]; commit: string | null }> {
    const result = await initProject(dir, { demo });
    const summary = await this.adopt(result.workspace);
    return {
      ...summary,
      created: result.created,
      repoCreated: result.repoCreated,
      written: result.written,
      commit: result.commit,
    };
  }

  /** With no project named: the default demo project in the user data folder (created once). */
  async openDefault(): Promise<ProjectSummary> {
    return this.adopt(await openDefaultProject(this.options.dataDir));
  }

  /**
   * Resets the open demo project: refused while a pipeline or sweep runs (nothing is stopped or
   * moved then). The fresh demo is made beside it first, while the old one still answers; then its
   * endpoints stop, and the old folder becomes a dated backup and the fresh one takes its path
   * without yielding in between, so no call meets a missing project.
   */
  async resetDemo(): Promise<{ project: ProjectSummary; backup: string }> {
    const ws = this.require();
    requireDemo(ws);
    const refuseBusy = () => {
      const busy = this.busyWith();
      if (busy)
        throw new BenchtopError('BUSY', `${busy} is still running in the demo project, so it was not reset.`, {
          hint: 'Cancel it or wait for it to finish, then reset the demo.',
        });
    };
    refuseBusy();
    const dir = ws.dir;
    const fresh = await prepareFreshDemo(dir);
    try {
      refuseBusy();
      await this.stopDeployments('the demo was reset');
      refuseBusy();
    } catch (err) {
      rmSync(fresh, { recursive: true, force: true });
      throw err;
    }
    this.stopWatching();
    this.dropMetricWriter();
    ws.close();
    let backup: string;
    try {
      backup = swapInFreshDemo(dir, fresh);
    } catch (err) {
      this.workspace = Workspace.open(dir);
      this.pipelineService = null;
      rmSync(fresh, { recursive: true, force: true });
      await this.adopt(this.workspace);
      throw err;
    }
    this.workspace = Workspace.open(dir);
    this.pipelineService = null;
    return { project: await this.adopt(this.workspace), backup };
  }

  /** Cancels a running pipeline, waits for its stages to end, then closes the project. */
  async shutdown(): Promise<void> {
    // No scheduled run may start while the last one is being cancelled and waited for.
    this.scheduler?.stop();
    const svc = this.pipelineService;
    if (svc) {
      if (svc.activeRunId) svc.cancel(svc.activeRunId);
      svc.cancelSweep();
      await svc.settle();
    }
    await this.stopDeployments('the app closed');
    this.metricWriter?.flush();
    if (this.workspace) await this.options.beforeClose?.(this.workspace);
    this.close();
  }

  close(): void {
    // Without shutdown() to wait for them, endpoints are still stopped; their last log writes may not land.
    void this.stopDeployments('the app closed');
    this.dropMetricWriter();
    this.stopWatching();
    this.pipelineService = null;
    this.workspace?.close();
    this.workspace = null;
  }
}
