// Runs in: renderer. Which steps of the guided tour are done, derived from the project as the
// contract reports it (tracked data, runs, the registry, deployments, the monitor), never from
// clicks: a step is done when its outcome is true in the project, whoever made it true.
import type {
  DataStatusRow,
  Deployment,
  ModelDetail,
  ModelVersionSummary,
  MonitorAlert,
  MonitorDetail,
  PipelineRunRow,
  RunSearchRow,
  SweepView,
} from '../../../shared/contract';
import { DEMO } from './demo-names';

/** What the tour reads from the project (each part null or empty when it does not exist yet). */
export interface TourSnapshot {
  tracked: DataStatusRow[];
  /** Files under data/ (paths relative to the project). */
  dataFiles: string[];
  /** Tracked runs, newest first. */
  runs: RunSearchRow[];
  /** Pipeline runs, newest first. */
  pipelineRuns: PipelineRunRow[];
  model: ModelDetail | null;
  deployments: Deployment[];
  monitor: MonitorDetail | null;
  /** The running (or last) sweep of this session: between two runs of its queue none is running. */
  sweep: SweepView | null;
}

export const EMPTY_SNAPSHOT: TourSnapshot = {
  tracked: [],
  dataFiles: [],
  runs: [],
  pipelineRuns: [],
  model: null,
  deployments: [],
  monitor: null,
  sweep: null,
};

/** What the tour knows about the project; every step's outcome is one of these. */
export interface TourFacts {
  /** The demo's dataset tracked with a pointer that git has committed. */
  versioned: DataStatusRow | null;
  /** The latest pipeline run started by hand that succeeded. */
  pipelineRun: PipelineRunRow | null;
  /** The succeeded runs of the latest sweep (its runs carry the tag `sweep`), once every run of it ended. */
  sweepRuns: RunSearchRow[];
  /** A sweep is still running (a run of it, or its queue). */
  sweepRunning: boolean;
  /** The version the champion alias points at. */
  champion: ModelVersionSummary | null;
  /** The running deployment of the model. */
  deployment: Deployment | null;
  /** Production weeks that reached the monitor's folder through the endpoint, and those still waiting. */
  weeksDelivered: number;
  weeksWaiting: number;
  /** The newest alert of the demo's monitor. */
  alert: MonitorAlert | null;
  /** Batches the monitor checked, and the columns that drifted in the latest drifting one. */
  checkedBatches: number;
  driftedColumns: string[];
  /** A pipeline run started by an alert (its trigger is `triggered: …`), newest first; and whether one succeeded. */
  retrainRun: PipelineRunRow | null;
  /** The champion is a version the retraining run made. */
  newChampion: boolean;
}

const isRetrain = (r: PipelineRunRow) => r.trigger.startsWith('triggered');

export function tourFacts(s: TourSnapshot): TourFacts {
  const versioned =
    s.tracked.find((t) => t.path === DEMO.dataset && t.git === 'committed' && t.problem === null) ?? null;
  const pipelineRun = s.pipelineRuns.find((r) => r.status === 'succeeded' && r.trigger === 'manual') ?? null;
  const latestSweep = s.runs.find((r) => r.tags.sweep)?.tags.sweep;
  // Comparing needs the sweep finished: two runs that succeeded while a third still runs (or waits
  // in the queue, not yet a run) are not the sweep's result.
  const sweepRunning =
    s.sweep?.running === true ||
    s.runs.some((r) => r.tags.sweep === latestSweep && (r.status === 'running' || r.status === 'queued'));
  const sweepRuns =
    latestSweep && !sweepRunning ? s.runs.filter((r) => r.tags.sweep === latestSweep && r.status === 'succeeded') : [];
  const championVersion = s.model?.aliases.find((a) => a.alias === DEMO.alias)?.version;
  const champion = s.model?.versions.find((v) => v.version === championVersion) ?? null;
  const deployment = s.deployments.find((d) => d.model === DEMO.model && d.state === 'running') ?? null;
  const weekName = (f: string, dir: string) =>
    f.startsWith(dir) && /week-\d+\.csv$/.test(f) ? f.slice(dir.length) : null;
  const delivered = new Set(s.dataFiles.map((f) => weekName(f, DEMO.batches)).filter((w) => w !== null));
  const produced = s.dataFiles.map((f) => weekName(f, DEMO.production)).filter((w) => w !== null);
  const weeksWaiting = produced.filter((w) => !delivered.has(w)).length;
  // The alert that retrained first, then drift: the accuracy rule fires too, but the story is the drift.
  const alerts = s.monitor?.alerts ?? [];
  const alert =
    alerts.find((a) => a.runId !== null) ?? alerts.find((a) => a.rule.startsWith('drift')) ?? alerts[0] ?? null;
  const batches = s.monitor?.batches ?? [];
  const drifting = [...batches].reverse().find((b) => b.datasetDrift);
  const driftedColumns = drifting ? drifting.columns.filter((c) => c.drifted).map((c) => c.name) : [];
  const retrainRun =
    s.pipelineRuns.find((r) => isRetrain(r) && r.status === 'succeeded') ?? s.pipelineRuns.find(isRetrain) ?? null;
  const retrainIds = new Set(s.pipelineRuns.filter((r) => isRetrain(r) && r.status === 'succeeded').map((r) => r.id));
  const newChampion = champion?.runId != null && retrainIds.has(champion.runId);
  return {
    versioned,
    pipelineRun,
    sweepRuns,
    sweepRunning,
    champion,
    deployment,
    weeksDelivered: delivered.size,
    weeksWaiting,
    alert,
    checkedBatches: batches.length,
    driftedColumns,
    retrainRun,
    newChampion,
  };
}

/** The step ids, in the order of the loop. */
export const STEP_IDS = [
  'data',
  'pipeline',
  'compare',
  'register',
  'deploy',
  'traffic',
  'drift',
  'retrain',
  'champion',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** Whether each step's outcome holds in the project. */
export function stepsDone(f: TourFacts): Record<StepId, boolean> {
  return {
    data: f.versioned !== null,
    pipeline: f.pipelineRun !== null,
    compare: f.sweepRuns.length >= 2,
    // Registered by a run (the gate in benchtop.yaml, or by hand), not a version added from a file.
    register: f.champion !== null && f.champion.runId !== null,
    deploy: f.deployment !== null,
    traffic: f.weeksDelivered > 0,
    drift: f.alert !== null,
    retrain: f.retrainRun?.status === 'succeeded',
    champion: f.newChampion,
  };
}

/** The best version a run made, by the demo's metric (higher is better); null when none has it. */
export function bestVersion(model: ModelDetail | null): ModelVersionSummary | null {
  let best: ModelVersionSummary | null = null;
  for (const v of model?.versions ?? []) {
    const m = v.metrics[DEMO.metric];
    if (v.archived || v.runId === null || typeof m !== 'number' || Number.isNaN(m)) continue;
    if (!best || m > (best.metrics[DEMO.metric] as number)) best = v;
  }
  return best;
}
