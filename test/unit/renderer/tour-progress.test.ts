// Runs in: tests (Node). The guided tour's progress, derived from a project snapshot: each step is
// done only when its outcome holds (a committed pointer, a manual run that succeeded, a finished
// sweep, a champion made by a run, a running deployment, delivered weeks, an alert, a succeeded
// retraining run, a champion from that run), and the best version by the demo's metric.
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../../renderer/src/tour/demo-names';
import {
  EMPTY_SNAPSHOT,
  bestVersion,
  stepsDone,
  tourFacts,
  type TourSnapshot,
} from '../../../renderer/src/tour/progress';
import type {
  Deployment,
  ModelDetail,
  ModelVersionSummary,
  MonitorAlert,
  MonitorDetail,
  PipelineRunRow,
  RunSearchRow,
} from '../../../shared/contract/schemas';

const pipelineRun = (id: string, status: PipelineRunRow['status'], trigger = 'manual'): PipelineRunRow => ({
  id,
  status,
  trigger,
  startedAt: null,
  endedAt: null,
  gitCommit: null,
  stages: [],
});
const run = (id: string, status: string, tags: Record<string, string> = {}): RunSearchRow => ({
  id,
  name: id,
  status,
  experiment: 'x',
  startTime: null,
  endTime: null,
  duration: null,
  params: {},
  metrics: {},
  tags,
  starred: false,
  source: 'pipeline',
});
const version = (v: number, runId: string | null, metric?: number, archived = false): ModelVersionSummary => ({
  name: DEMO.model,
  version: v,
  aliases: [],
  format: 'json',
  size: 1,
  files: 1,
  source: runId ? 'run' : 'path',
  runId,
  runName: null,
  description: '',
  metrics: metric === undefined ? {} : { [DEMO.metric]: metric },
  archived,
  createdAt: '',
});
const model = (versions: ModelVersionSummary[], champion: number): ModelDetail => ({
  name: DEMO.model,
  description: '',
  createdAt: '',
  updatedAt: '',
  aliases: [{ alias: DEMO.alias, version: champion }],
  versions,
  aliasLog: [],
});
const deployment = (state: Deployment['state']): Deployment =>
  ({
    id: 'd1',
    ref: `${DEMO.model}@${DEMO.alias}`,
    model: DEMO.model,
    host: '127.0.0.1',
    port: 1,
    url: 'http://127.0.0.1:1',
    workers: 1,
    pid: 1,
    startedAt: '',
    seenAt: '',
    stoppedAt: null,
    stopReason: null,
    state,
    version: 2,
    managed: true,
    token: null,
    requests: 1,
    errors: 0,
  }) as Deployment;
const alert = (rule: string, runId: string | null): MonitorAlert => ({
  id: 1,
  monitor: DEMO.monitor,
  batchId: 1,
  batch: 'week-06.csv',
  rule,
  message: 'm',
  value: null,
  threshold: null,
  at: '',
  acknowledgedAt: null,
  runId,
});
const monitor = (alerts: MonitorAlert[]): MonitorDetail => ({
  id: 1,
  name: DEMO.monitor,
  kind: 'batches',
  createdAt: '',
  config: {} as MonitorDetail['config'],
  batches: [],
  alerts,
});

const doneSteps = (s: Partial<TourSnapshot>) =>
  Object.entries(stepsDone(tourFacts({ ...EMPTY_SNAPSHOT, ...s })))
    .filter(([, v]) => v)
    .map(([k]) => k);

describe('tour progress', () => {
  it('has nothing done in an empty project', () => {
    expect(doneSteps({})).toEqual([]);
  });

  it('counts the data as versioned only when its pointer is committed and readable', () => {
    const row = {
      path: DEMO.dataset,
      pointer: `${DEMO.dataset}.bt`,
      kind: 'file',
      size: 1,
      files: 1,
      rows: 1,
      hash: 'h',
      workspace: 'unchanged',
      inCache: true,
      git: 'committed',
      problem: null,
    } as const;
    expect(doneSteps({ tracked: [row] })).toEqual(['data']);
    expect(doneSteps({ tracked: [{ ...row, git: 'new' }] })).toEqual([]);
    expect(doneSteps({ tracked: [{ ...row, path: 'data/other.csv' }] })).toEqual([]);
  });

  it('needs a manual run that succeeded, and two finished runs of the latest sweep', () => {
    expect(doneSteps({ pipelineRuns: [pipelineRun('a', 'failed'), pipelineRun('b', 'running')] })).toEqual([]);
    expect(doneSteps({ pipelineRuns: [pipelineRun('a', 'succeeded', 'sweep s1')] })).toEqual([]);
    expect(doneSteps({ pipelineRuns: [pipelineRun('a', 'succeeded')] })).toEqual(['pipeline']);
    // Newest first: the latest sweep (s2) has one finished run, so comparing is not done yet.
    const runs = [
      run('r4', 'running', { sweep: 's2' }),
      run('r3', 'succeeded', { sweep: 's2' }),
      run('r2', 'succeeded', { sweep: 's1' }),
      run('r1', 'succeeded', { sweep: 's1' }),
    ];
    expect(doneSteps({ runs })).toEqual([]);
    expect(doneSteps({ runs: runs.slice(2) })).toEqual(['compare']);
  });

  it('ticks the comparison only once every run of the sweep has ended', () => {
    const two = [run('r2', 'succeeded', { sweep: 's1' }), run('r1', 'succeeded', { sweep: 's1' })];
    // Two runs succeeded while the third still runs: the sweep has not finished.
    expect(doneSteps({ runs: [run('r3', 'running', { sweep: 's1' }), ...two] })).toEqual([]);
    expect(doneSteps({ runs: [run('r3', 'queued', { sweep: 's1' }), ...two] })).toEqual([]);
    // Between two runs of the queue nothing runs, but the sweep says it is still going.
    const sweep = (running: boolean) => ({
      sweepId: 's1',
      running,
      items: [
        { params: {}, status: 'succeeded' as const, runId: 'r1', error: null, metrics: {} },
        { params: {}, status: 'succeeded' as const, runId: 'r2', error: null, metrics: {} },
        {
          params: {},
          status: running ? ('queued' as const) : ('succeeded' as const),
          runId: running ? null : 'r3',
          error: null,
          metrics: {},
        },
      ],
    });
    expect(doneSteps({ runs: two, sweep: sweep(true) })).toEqual([]);
    const ended = [run('r3', 'succeeded', { sweep: 's1' }), ...two];
    expect(doneSteps({ runs: ended, sweep: sweep(false) })).toEqual(['compare']);
    expect(tourFacts({ ...EMPTY_SNAPSHOT, runs: ended, sweep: sweep(false) }).sweepRuns).toHaveLength(3);
    // A run that failed has ended too: the two that succeeded are enough to compare.
    expect(doneSteps({ runs: [run('r3', 'failed', { sweep: 's1' }), ...two] })).toEqual(['compare']);
  });

  it('registers only a champion a run made, and names the best version by the metric', () => {
    const versions = [
      version(4, 'r4', 0.7, true),
      version(3, 'r3', 0.66),
      version(2, 'r2', Number.NaN),
      version(1, null, 0.9),
    ];
    expect(doneSteps({ model: model(versions, 1) })).toEqual([]);
    expect(doneSteps({ model: model(versions, 3) })).toEqual(['register']);
    // Archived, NaN and file-registered versions are never "the best".
    expect(bestVersion(model(versions, 1))?.version).toBe(3);
    expect(bestVersion(null)).toBeNull();
  });

  it('deploys when a deployment of the model runs, and counts production by the weeks that arrived', () => {
    expect(doneSteps({ deployments: [deployment('stopped')] })).toEqual([]);
    expect(doneSteps({ deployments: [deployment('running')] })).toEqual(['deploy']);
    const weeks = [`${DEMO.production}week-01.csv`, `${DEMO.production}week-02.csv`];
    const facts = tourFacts({
      ...EMPTY_SNAPSHOT,
      dataFiles: [...weeks, `${DEMO.batches}week-01.csv`, `${DEMO.batches}README.md`],
    });
    expect([facts.weeksDelivered, facts.weeksWaiting]).toEqual([1, 1]);
    expect(stepsDone(facts).traffic).toBe(true);
    expect(stepsDone(tourFacts({ ...EMPTY_SNAPSHOT, dataFiles: weeks })).traffic).toBe(false);
  });

  it('prefers the alert that retrained, and a new champion is one the retraining run made', () => {
    const alerts = [alert('accuracy < 0.7', null), alert('drift_share >= 0.5 for 2 retrain', 'p2')];
    expect(tourFacts({ ...EMPTY_SNAPSHOT, monitor: monitor(alerts) }).alert?.runId).toBe('p2');
    const retrain = pipelineRun('p2', 'succeeded', 'triggered: loan-weekly: drift');
    const snapshot = { monitor: monitor(alerts), pipelineRuns: [retrain, pipelineRun('p1', 'succeeded')] };
    expect(doneSteps({ ...snapshot, model: model([version(3, 'p2', 0.7), version(2, 'p1', 0.68)], 2) })).toEqual([
      'pipeline',
      'register',
      'drift',
      'retrain',
    ]);
    expect(doneSteps({ ...snapshot, model: model([version(3, 'p2', 0.7), version(2, 'p1', 0.68)], 3) })).toEqual([
      'pipeline',
      'register',
      'drift',
      'retrain',
      'champion',
    ]);
    // A retraining run still going is not done, and its version does not count yet.
    const going = {
      ...snapshot,
      pipelineRuns: [{ ...retrain, status: 'running' as const }, pipelineRun('p1', 'succeeded')],
    };
    expect(doneSteps({ ...going, model: model([version(3, 'p2', 0.7)], 3) })).toEqual([
      'pipeline',
      'register',
      'drift',
    ]);
  });
});
