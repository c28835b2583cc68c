// Runs in: main (core). The engine that every shell (Electron IPC, browser-mode HTTP, CLI) wraps:
// the open project, the event bus, and the contract's handler map.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import type { Handlers } from '../../../shared/contract/dispatch';
import type { ProjectSummary } from '../../../shared/contract/schemas';
import { listDataFiles, insideProject } from '../files/list-files';
import { checkoutData } from '../data/checkout';
import { unlinkData } from '../data/materialize';
import { diffData } from '../data/diff/diff-data';
import { gcCache } from '../data/gc';
import { commitData, dataLog } from '../data/history';
import { dataUsage } from '../data/lineage';
import { addRemote, listRemotes, removeRemote } from '../data/remotes';
import { pullData, pushData } from '../data/transfer';
import { dataStatus } from '../data/status';
import { addData } from '../data/track';
import { runDoctor } from '../doctor/doctor';
import { previewCsv } from '../files/csv-summary';
import { listMonitors } from '../monitoring/list';
import { writeMonitorReport } from '../reports/monitor';
import {
  acknowledgeAlert,
  addMonitor,
  checkMonitor,
  deleteMonitor,
  getMonitor,
  listAlerts,
} from '../monitoring/monitors';
import { exportPredictions } from '../serving/export-predictions';
import { joinLabels } from '../serving/labels';
import { parseOverride } from '../pipeline/load';
import { PipelineScheduler, type SchedulerEvent } from '../pipeline/scheduler';
import { PipelineService } from '../pipeline/service';
import { readPipelineView } from '../pipeline/view';
import { modelHandlers } from '../registry/handlers';
import { DeploymentManager } from '../serving/deployments';
import { startEndpoint } from '../serving/endpoint';
import { deploymentHandlers } from '../serving/handlers';
import { renderReport } from '../reports/document';
import { writeDriftReport } from '../reports/drift';
import { listReports, requireReportFile } from '../reports/list';
import { writeProjectReport } from '../reports/writer';
import { SCHEMA_VERSION } from '../store/database';
import { listExperiments } from '../tracking/list';
import { deleteRuns, purgeRuns, restoreRuns } from '../tracking/delete';
import { searchRuns } from '../tracking/search';
import { previewArtifact } from '../tracking/artifact-preview';
import { logArtifactFile } from '../tracking/artifacts';
import { comparisonReport } from '../tracking/compare';
import { importMlflow } from '../tracking/import-mlflow';
import { metricHistory } from '../tracking/history';
import { MetricWriter } from '../tracking/metric-writer';
import {
  createRun,
  endRun,
  getRun,
  logInputs,
  logParams,
  requireRun,
  runKeys,
  setTags,
  updateRun,
} from '../tracking/runs';
import { headCommit, isDirty } from '../git/git';
import { packageVersion } from '../util/package-root';
import { openDefaultProject } from '../project/default-project';
import { computeDriftReport } from '../monitoring/drift';
import { initProject } from '../project/init';
import { DATA_DIR } from '../util/layout';
import { listRecent, rememberRecent } from '../project/recent';
import { Workspace } from '../workspace/workspace';
import { prepareFreshDemo, requireDemo, swapInFreshDemo } from '../project/demo-reset';
import { sendWeeks } from '../demo/send-weeks';
import { DEMO_MODEL } from '../demo/demo-monitor';
import { readTourState, saveTourState } from '../tour/tour-state';
import { EventBus } from './event-bus';
import { cancelForeignRun, ExternalChanges } from './external-changes';
import { lockForWrite, withProjectLock, type LockContext } from './method-access';

export interface CoreOptions {
  dataDir: string;
  mode: 'desktop' | 'browser';
  /** Run the open project's scheduled pipelines, reporting what the scheduler does. */
  scheduler?: (e: SchedulerEvent) => void;
  /** Prints a self-contained HTML report to PDF; the desktop uses Electron's own printing, others headless Chromium. */
  printPdf?: (html: string) => Promise<Buffer>;
  /** Shell-specific handlers (the desktop's folder dialog) that replace the core's defaults. */
  overrides?: Partial<Handlers>;
  /** How long a write waits for another process holding the project lock before failing with BUSY (default 2 s). */
  lockWaitMs?: number;
  /** How often to look for other processes' writes to the open project (default 500 ms; see external-changes.ts). */
  externalPollMs?: number;
}

export class Core {
  readonly events = new EventBus();
  readonly handlers: Handlers;
  private workspace: Workspace | null = null;
  private pipelineService: PipelineService | null = null;
  private scheduler: PipelineScheduler | null = null;
  private metricWriter: MetricWriter | null = null;
  private deploymentManager: DeploymentManager | null = null;
  /** Announces what a terminal's `benchtop` (or any other process) writes to the open project. */
  private external: ExternalChanges | null = null;

  private readonly lockContext: LockContext;

  constructor(readonly options: CoreOptions) {
    this.lockContext = {
      projectDir: () => this.workspace?.dir ?? null,
      holder: options.mode === 'desktop' ? 'the Benchtop app' : 'benchtop ui',
      waitMs: options.lockWaitMs ?? 2000,
    };
    this.handlers = withProjectLock({ ...this.baseHandlers(), ...options.overrides }, this.lockContext);
    this.events.subscribe((e) => this.external?.noteOwn(e));
  }

  private watchExternal(ws: Workspace): void {
    this.external?.stop();
    this.external = new ExternalChanges(ws.db, {
      projectDir: ws.dir,
      emit: (e) => this.events.emit(e),
      intervalMs: this.options.externalPollMs,
    });
    this.external.start();
  }

  private unwatchExternal(): void {
    this.external?.stop();
    this.external = null;
  }

  get project(): Workspace | null {
    return this.workspace;
  }

  private requireProject(): Workspace {
    if (!this.workspace) {
      throw new BenchtopError('NO_PROJECT', 'No project is open.', {
        hint: 'Open a project folder or create one first.',
      });
    }
    return this.workspace;
  }

  /** The open project's pipeline service. */
  get pipelines(): PipelineService {
    const ws = this.requireProject();
    this.pipelineService ??= new PipelineService(
      ws.dir,
      ws.db,
      (e) => this.events.emit(e),
      () => lockForWrite(this.lockContext, 'pipeline run'),
    );
    return this.pipelineService;
  }

  /** Batches metric points logged through the contract; live views hear the latest of each batch. */
  private get metrics(): MetricWriter {
    const ws = this.requireProject();
    this.metricWriter ??= new MetricWriter(ws.db, {
      onFlushed: (latest) => {
        for (const p of latest)
          this.events.emit({
            name: 'run.metric',
            payload: { runId: p.runId, key: p.key, step: p.step, value: p.value, at: p.at },
          });
      },
    });
    return this.metricWriter;
  }

  /** Progress events for long data work, at most every 100 ms per operation (and always the last). */
  private dataProgress(
    op: 'add' | 'checkout' | 'push' | 'pull' | 'verify',
  ): (path: string, done: number, total: number) => void {
    let last = 0;
    return (p, done, total) => {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      this.events.emit({ name: 'data.progress', payload: { op, path: p, done, total } });
    };
  }

  /** Endpoints started from the app run in this process, against the open project. */
  private get deployments(): DeploymentManager {
    this.requireProject();
    this.deploymentManager ??= new DeploymentManager({
      project: () => this.requireProject(),
      emit: (e) => this.events.emit(e),
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

  private async adopt(ws: Workspace): Promise<ProjectSummary> {
    const busy =
      this.pipelineService?.activeRunId ??
      (this.pipelineService?.sweepStatus()?.running ? this.pipelineService.sweepStatus()!.sweepId : null);
    if (busy) {
      ws.close();
      throw new BenchtopError('BUSY', `${busy} is still running in ${this.workspace?.dir}.`, {
        hint: 'Cancel it or wait for it to finish before switching projects.',
      });
    }
    this.scheduler?.stop();
    this.scheduler = null;
    this.unwatchExternal();
    this.dropMetricWriter();
    await this.stopDeployments('another project was opened');
    if (this.workspace && this.workspace !== ws) this.workspace.close();
    this.workspace = ws;
    this.pipelineService = null;
    this.watchExternal(ws);
    if (this.options.scheduler) {
      this.scheduler = new PipelineScheduler(ws.dir, ws.db, this.pipelines, this.options.scheduler);
      this.scheduler.start();
    }
    rememberRecent(this.options.dataDir, { path: ws.dir, name: ws.name });
    const summary = await ws.summary();
    this.events.emit({ name: 'project.changed', payload: { project: summary } });
    return summary;
  }

  /** Opens a project folder, replacing the open one only when the new one opened cleanly. */
  async open(dir: string): Promise<ProjectSummary> {
    const abs = path.resolve(dir);
    if (this.workspace?.dir === abs) return this.workspace.summary();
    return this.adopt(Workspace.open(abs));
  }

  async init(dir: string, demo: boolean): Promise<ProjectSummary> {
    const result = await initProject(dir, { demo });
    return this.adopt(result.workspace);
  }

  /** With no project named: the default demo project in the user data folder (created once). */
  async openDefault(): Promise<ProjectSummary> {
    return this.adopt(await openDefaultProject(this.options.dataDir));
  }

  /** The pipeline run or sweep running in the open project, if any. */
  private busyWith(): string | null {
    return (
      this.pipelineService?.activeRunId ??
      (this.pipelineService?.sweepStatus()?.running ? this.pipelineService.sweepStatus()!.sweepId : null)
    );
  }

  /**
   * Resets the open demo project: refused while a pipeline or sweep runs (nothing is stopped or
   * moved then). The fresh demo is made beside it first, while the old one still answers; then its
   * endpoints stop, and the old folder becomes a dated backup and the fresh one takes its path
   * without yielding in between, so no call meets a missing project.
   */
  async resetDemo(): Promise<{ project: ProjectSummary; backup: string }> {
    const ws = this.requireProject();
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
    this.scheduler?.stop();
    this.scheduler = null;
    this.unwatchExternal();
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
    const svc = this.pipelineService;
    if (svc) {
      if (svc.activeRunId) svc.cancel(svc.activeRunId);
      svc.cancelSweep();
      await svc.settle();
    }
    await this.stopDeployments('the app closed');
    this.close();
  }

  close(): void {
    // Without shutdown() to wait for them, endpoints are still stopped; their last log writes may not land.
    void this.stopDeployments('the app closed');
    this.dropMetricWriter();
    this.scheduler?.stop();
    this.scheduler = null;
    this.unwatchExternal();
    this.pipelineService = null;
    this.workspace?.close();
    this.workspace = null;
  }

  private baseHandlers(): Handlers {
    return {
      'app.info': () => ({
        name: 'Benchtop',
        version: packageVersion(),
        mode: this.options.mode,
        platform: process.platform,
        schemaVersion: SCHEMA_VERSION,
        dataDir: this.options.dataDir,
      }),
      'project.current': async () => (this.workspace ? this.workspace.summary() : null),
      'project.recent': () => listRecent(this.options.dataDir),
      'project.open': ({ path: p }) => this.open(p),
      'project.init': ({ path: p, demo }) => this.init(p, demo),
      'project.chooseFolder': () => ({ supported: false, path: null }),
      'project.doctor': ({ fix, quick }) => runDoctor(this.requireProject().dir, { fix, quick }),
      'experiments.list': () => listExperiments(this.requireProject().db),
      'runs.search': (q) => ({ runs: searchRuns(this.requireProject().db, q) }),
      'runs.delete': ({ ids }) => ({ changed: deleteRuns(this.requireProject().db, ids) }),
      'runs.restore': ({ ids }) => ({ changed: restoreRuns(this.requireProject().db, ids) }),
      'runs.purge': ({ ids }) => ({ changed: purgeRuns(this.requireProject().db, ids) }),
      'runs.get': ({ id }) => getRun(this.requireProject().db, id),
      'runs.update': ({ id, ...edit }) => {
        const db = this.requireProject().db;
        updateRun(db, id, edit);
        return getRun(db, id);
      },
      'runs.keys': () => runKeys(this.requireProject().db),
      'runs.history': ({ ids, keys, maxPoints }) => {
        this.metricWriter?.flush();
        return { series: metricHistory(this.requireProject().db, ids, keys, maxPoints) };
      },
      'runs.create': async ({ gitCommit, gitDirty, ...input }) => {
        const ws = this.requireProject();
        const runId = createRun(ws.db, {
          ...input,
          gitCommit: gitCommit !== undefined ? gitCommit : await headCommit(ws.dir),
          gitDirty: gitDirty !== undefined ? gitDirty : await isDirty(ws.dir),
        });
        this.events.emit({ name: 'run.status', payload: { runId, status: 'running', at: new Date().toISOString() } });
        return { runId };
      },
      'runs.log': ({ runId, metrics, params, tags, inputs }) => {
        const db = this.requireProject().db;
        if (requireRun(db, runId).deleted)
          throw new BenchtopError('CONFLICT', `Run ${runId} is deleted, so nothing more can be logged to it.`, {
            field: 'runId',
            hint: 'Restore it first.',
          });
        logParams(db, runId, params);
        setTags(db, runId, tags);
        logInputs(db, runId, inputs);
        metrics.forEach((m, i) => {
          let at: string | undefined;
          if (m.at !== undefined) {
            const t = Date.parse(m.at);
            if (Number.isNaN(t))
              throw new BenchtopError('INVALID_INPUT', `metrics.${i}.at "${m.at}" is not a date and time.`, {
                field: `metrics.${i}.at`,
                hint: 'Give an ISO time such as 2026-01-31T12:00:00Z, or leave it out.',
              });
            at = new Date(t).toISOString();
          }
          this.metrics.add({ runId, key: m.key, value: m.value, step: m.step, at });
        });
        // The batch is the caller's own: write it before answering, so a read after a log sees it.
        this.metrics.flush();
        // A full disk does not throw from the writer (it keeps the points): the caller still hears of it.
        const full = this.metrics.failure;
        if (full)
          throw new BenchtopError(
            'INTERNAL',
            `The metrics could not be saved yet (${full.message}); they are kept and written once there is room.`,
            { hint: 'Free some disk space; there is no need to send them again.' },
          );
        return { metrics: metrics.length };
      },
      'runs.end': ({ runId, status }) => {
        this.metricWriter?.flush();
        const ended = endRun(this.requireProject().db, runId, status);
        this.metricWriter?.forget(runId);
        this.events.emit({ name: 'run.status', payload: { runId, status: ended, at: new Date().toISOString() } });
        return { status: ended };
      },
      'runs.logArtifact': async ({ runId, path: rel, name }) => {
        const ws = this.requireProject();
        const logged = await logArtifactFile(ws.dir, ws.db, runId, name ?? rel, insideProject(ws.dir, rel));
        return { ...logged, stage: '', role: 'artifact' as const };
      },
      'runs.artifactPreview': async ({ runId, path: rel }) => {
        const ws = this.requireProject();
        return previewArtifact(ws.dir, ws.db, runId, rel);
      },
      'runs.importMlflow': async ({ path: folder }) => {
        const ws = this.requireProject();
        return importMlflow(ws.dir, ws.db, path.resolve(ws.dir, folder));
      },
      'data.list': async () => ({ folder: DATA_DIR, files: await listDataFiles(this.requireProject().dir) }),
      'data.preview': async ({ path: rel, limit }) => {
        const ws = this.requireProject();
        const abs = insideProject(ws.dir, rel);
        if (!/\.csv$/i.test(rel)) {
          throw new BenchtopError('UNSUPPORTED', `${rel} is not a CSV file, so it cannot be previewed.`, {
            field: 'path',
            hint: 'Preview works for .csv files.',
          });
        }
        return previewCsv(abs, rel, limit);
      },
      'data.tracked': async () => {
        const ws = this.requireProject();
        return { items: await dataStatus(ws.dir, ws.db) };
      },
      'data.add': async ({ paths }) => {
        const ws = this.requireProject();
        const progress = this.dataProgress('add');
        const results = await addData(ws.dir, ws.db, paths, { onProgress: (p) => progress(p.path, p.done, p.total) });
        return {
          results: results.map((r) => ({ path: r.path, pointer: r.pointer, status: r.status, data: r.pointerData })),
        };
      },
      'data.commit': async ({ message }) => {
        const result = await commitData(this.requireProject().dir, message);
        return result ?? { commit: null, pointers: [] };
      },
      'data.log': async ({ path: rel }) => ({ versions: await dataLog(this.requireProject().dir, rel) }),
      'data.checkout': async ({ rev, paths, force, link, verify }) => {
        const ws = this.requireProject();
        const progress = this.dataProgress('checkout');
        return checkoutData(ws.dir, ws.db, rev, paths, {
          force,
          verify,
          ...(link ? { link } : {}),
          onProgress: (p) => progress(p.path, p.done, p.total),
        });
      },
      'data.unlink': async ({ paths }) => ({ results: await unlinkData(this.requireProject().dir, paths) }),
      'data.diff': async ({ from, to, path: rel, key }) => {
        const ws = this.requireProject();
        return (await diffData(ws.dir, ws.db, { from, to, path: rel, key: key ?? null }))[0]!;
      },
      'data.remotes': () => ({ remotes: listRemotes(this.requireProject().dir) }),
      'data.remoteAdd': ({ name, path: p, default: makeDefault }) => ({
        remotes: addRemote(this.requireProject().dir, name, p, { makeDefault }),
      }),
      'data.remoteRemove': ({ name }) => ({ remotes: removeRemote(this.requireProject().dir, name) }),
      'data.push': async ({ remote, paths }) => {
        const progress = this.dataProgress('push');
        return pushData(this.requireProject().dir, {
          remote,
          paths,
          onProgress: (p) => progress(p.path, p.done, p.total),
        });
      },
      'data.pull': async ({ remote, paths, checkout, force }) => {
        const ws = this.requireProject();
        const progress = this.dataProgress('pull');
        return pullData(ws.dir, ws.db, {
          remote,
          paths,
          checkout,
          force,
          onProgress: (p) => progress(p.path, p.done, p.total),
        });
      },
      'data.gc': async ({ dryRun, graceMinutes }) => {
        const ws = this.requireProject();
        return gcCache(ws.dir, ws.db, { dryRun, graceMs: graceMinutes * 60_000 });
      },
      'data.usage': async ({ path: rel }) => {
        const ws = this.requireProject();
        return dataUsage(ws.dir, ws.db, rel);
      },
      'pipelines.get': () => readPipelineView(this.requireProject().dir),
      'pipelines.status': () => this.pipelines.status(),
      'pipelines.run': async ({ overrides, reason, ...opts }) => ({
        runId: (
          await this.pipelines.start({
            ...opts,
            overrides: overrides.map(parseOverride),
            trigger: reason ? `triggered: ${reason}` : 'manual',
          })
        ).runId,
      }),
      'pipelines.cancel': ({ runId }) => {
        const ws = this.requireProject();
        // A terminal's run, shown live here, is cancelled as Ctrl+C there would.
        return { cancelled: this.pipelines.cancel(runId) || cancelForeignRun(ws.dir, ws.db, runId) };
      },
      'pipelines.runs': ({ limit }) => ({ runs: this.pipelines.runs(limit) }),
      'pipelines.log': ({ runId, stage }) => this.pipelines.log(runId, stage),
      'pipelines.sweep': ({ sweeps, overrides, jobs }) =>
        this.pipelines.startSweep({ sweeps, overrides: overrides.map(parseOverride), jobs }),
      'pipelines.sweepStatus': () => this.pipelines.sweepStatus(),
      'pipelines.cancelSweep': () => ({ cancelled: this.pipelines.cancelSweep() }),
      ...modelHandlers({
        project: () => this.requireProject(),
        emit: (e) => this.events.emit(e),
        flushMetrics: () => this.metricWriter?.flush(),
        printPdf: this.options.printPdf,
      }),
      ...deploymentHandlers({ db: () => this.requireProject().db, manager: () => this.deployments }),
      'drift.export': async ({ format, file, ...request }) => {
        const ws = this.requireProject();
        const report = await computeDriftReport(ws.dir, ws.db, request);
        const written = await writeDriftReport(ws.dir, report, {
          format,
          project: ws.name,
          ...(file ? { file } : {}),
          ...(this.options.printPdf ? { print: this.options.printPdf } : {}),
        });
        return { ...written, datasetDrift: report.summary.datasetDrift, share: report.summary.share };
      },
      'drift.report': async (request) => {
        const ws = this.requireProject();
        return computeDriftReport(ws.dir, ws.db, request);
      },
      'monitors.list': () => listMonitors(this.requireProject().db),
      'monitors.add': (input) => {
        const ws = this.requireProject();
        return addMonitor(ws.dir, ws.db, input);
      },
      'monitors.get': ({ name }) => getMonitor(this.requireProject().db, name),
      'monitors.check': ({ name }) => {
        const ws = this.requireProject();
        return checkMonitor(ws.dir, ws.db, name, {
          project: ws.name,
          retrain: async (reason) => (await this.pipelines.start({ trigger: `triggered: ${reason}` })).runId,
          onAlert: (a) =>
            this.events.emit({
              name: 'monitors.alert',
              payload: {
                id: a.id,
                monitor: a.monitor,
                rule: a.rule,
                message: a.message,
                batch: a.batch,
                at: a.at,
                runId: a.runId,
              },
            }),
        });
      },
      'monitors.delete': ({ name }) => deleteMonitor(this.requireProject().db, name),
      'monitors.alerts': ({ name, open }) => ({ alerts: listAlerts(this.requireProject().db, name, open) }),
      'monitors.acknowledge': ({ id }) => acknowledgeAlert(this.requireProject().db, id),
      'monitors.report': ({ name, file }) => {
        const ws = this.requireProject();
        return writeMonitorReport(ws.dir, getMonitor(ws.db, name), { project: ws.name, ...(file ? { file } : {}) });
      },
      'predictions.label': (input) => {
        const ws = this.requireProject();
        return joinLabels(ws.dir, ws.db, input);
      },
      'predictions.export': (input) => {
        const ws = this.requireProject();
        return exportPredictions(ws.dir, ws.db, input);
      },
      'tour.get': () => readTourState(this.requireProject().dir),
      'tour.save': ({ step, open }) => saveTourState(this.requireProject().dir, { step, open }),
      'demo.reset': () => this.resetDemo(),
      'demo.sendWeeks': async ({ weeks }) => {
        const ws = this.requireProject();
        requireDemo(ws);
        const served = this.deployments.list(DEMO_MODEL).find((d) => d.managed && d.state === 'running');
        const sent = await sendWeeks(ws.dir, served, weeks);
        this.deployments.flushLogs();
        return sent;
      },
      'reports.list': () => listReports(this.requireProject().dir),
      // The desktop shell overrides this to open the file; the core cannot show anything itself.
      'reports.open': ({ path: reportPath }) => ({
        opened: false,
        file: requireReportFile(this.requireProject().dir, reportPath),
      }),
      'reports.compare': ({ ids, file, metric }) => {
        const ws = this.requireProject();
        this.metricWriter?.flush();
        const report = comparisonReport(ws.db, ids, { project: ws.name, metric });
        const written = writeProjectReport(ws.dir, renderReport(report), {
          slug: `compare-${ids.length}-runs`,
          name: file,
        });
        return { path: written.path, size: written.size };
      },
    };
  }
}
