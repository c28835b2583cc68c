// Runs in: renderer. The Pipelines view: the DAG with live stage states, Run and Cancel, a stage's
// command, inputs and live log, and past runs with their timelines.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PipelineStage, PipelineView, StageJob, StagePlanView, StageRunStatus } from '../../../../shared/contract';
import { api } from '../../api/client';
import { CallView } from '../../components/CallView';
import { EmptyState } from '../../components/EmptyState';
import { useCall } from '../../hooks/use-call';
import { toastError } from '../../store/app-store';
import { useLiveRuns, type LogLine } from '../../store/live-runs';
import { DagGraph, type StageState } from './DagGraph';
import { liveStageState } from './live-job';
import { LogView } from './LogView';
import { RunHistory } from './RunHistory';
import { SweepPanel } from './SweepPanel';

function PathList({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="path-list">
      <span className="muted">{label}</span>
      <ul>
        {items.map((i) => (
          <li key={i}>
            <code>{i}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Problems({ view, reload }: { view: PipelineView; reload: () => void }) {
  return (
    <div className="problem" role="alert">
      <h2>
        {view.file} has {view.problems.length === 1 ? 'a problem' : `${view.problems.length} problems`}
      </h2>
      <ul className="problem-list">
        {view.problems.map((p, i) => (
          <li key={i}>
            <code>
              {p.file}
              {p.line ? `:${p.line}` : ''}
              {p.column ? `:${p.column}` : ''}
            </code>{' '}
            {p.message}
            <div className="hint">{p.hint}</div>
          </li>
        ))}
      </ul>
      <button type="button" onClick={reload}>
        Check again
      </button>
    </div>
  );
}

function StageDetail({
  stage,
  plan,
  live,
  logLines,
  durations,
}: {
  stage: PipelineStage;
  plan: StagePlanView | undefined;
  live: { status: StageRunStatus; reason: string; job?: StageJob } | undefined;
  logLines: LogLine[] | null;
  durations: number[];
}) {
  return (
    <section className="stage-card" aria-label={`Stage ${stage.name}`}>
      <header>
        <h3>{stage.name}</h3>
        <span className={`status status-${live?.status ?? plan?.state ?? ''}`}>
          {live ? liveStageState(live.status, live.job) : (plan?.state ?? '')}
        </span>
        <span className="muted">
          {live?.reason || (plan?.state === 'will-run' ? `would run: ${plan.reasons.join('; ')}` : '')}
        </span>
      </header>
      <pre className="command">
        <code>{stage.cmd.join('\n')}</code>
      </pre>
      <div className="stage-io">
        <PathList label="reads" items={stage.deps} />
        <PathList label="params" items={stage.params} />
        <PathList label="writes" items={stage.outs} />
        <PathList label="metrics" items={stage.metrics} />
      </div>
      <p className="muted" aria-label="Recent durations">
        {durations.length
          ? `Recent durations: ${durations.map((d) => `${(d / 1000).toFixed(d < 10_000 ? 2 : 0)} s`).join(', ')}`
          : 'No recorded runs of this stage yet.'}
      </p>
      {logLines ? <LogView lines={logLines} label={`Log of ${stage.name}`} /> : null}
    </section>
  );
}

function Pipeline({ view }: { view: PipelineView }) {
  const live = useLiveRuns();
  const [status, reloadStatus] = useCall('pipelines.status', {});
  const [runs, reloadRuns] = useCall('pipelines.runs', { limit: 10 });
  const [selected, setSelected] = useState<string | null>(view.stages[0]?.name ?? null);
  const [pastLog, setPastLog] = useState<{ runId: string; stage: string; lines: LogLine[] } | null>(null);
  const [force, setForce] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `live.epoch` changes when a run starts or ends: that is when to reload status and runs.
  useEffect(() => {
    reloadStatus();
    reloadRuns();
  }, [live.epoch, reloadStatus, reloadRuns]);

  const plans = status.status === 'ready' ? status.data.stages : [];
  const activeRunId = live.running ? live.runId : status.status === 'ready' ? status.data.activeRunId : null;
  const states = useMemo(() => {
    const out: Record<string, StageState> = {};
    for (const p of plans) out[p.name] = p.state;
    if (live.runId) for (const [name, s] of Object.entries(live.stages)) out[name] = s.status;
    return out;
  }, [plans, live.runId, live.stages]);

  const openLog = useCallback((runId: string, stage: string) => {
    setSelected(stage);
    api.call('pipelines.log', { runId, stage }).then(
      (r) =>
        setPastLog({
          runId,
          stage,
          lines: r.text
            .split('\n')
            .filter((l, i, a) => l !== '' || i < a.length - 1)
            .map((line) => ({ stream: 'stdout' as const, line })),
        }),
      (err: unknown) => toastError('Could not read the log', err),
    );
  }, []);

  const start = async () => {
    setPastLog(null);
    try {
      await api.call('pipelines.run', { force });
    } catch (err) {
      toastError('Could not start the pipeline', err);
    }
  };
  const cancel = async () => {
    if (!activeRunId) return;
    try {
      await api.call('pipelines.cancel', { runId: activeRunId });
    } catch (err) {
      toastError('Could not cancel the run', err);
    }
  };

  const stage = view.stages.find((s) => s.name === selected) ?? null;
  const liveLines =
    stage && live.runId && (live.logs[stage.name] || live.stages[stage.name]) ? (live.logs[stage.name] ?? []) : null;
  const logLines = pastLog && pastLog.stage === stage?.name ? pastLog.lines : liveLines;
  const willRun = plans.filter((p) => p.state === 'will-run').length;

  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Pipeline actions">
        <button type="button" className="primary" onClick={() => void start()} disabled={Boolean(activeRunId)}>
          ▶ Run
        </button>
        <button type="button" onClick={() => void cancel()} disabled={!activeRunId}>
          ■ Cancel
        </button>
        <label>
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (run every stage)
        </label>
        <span className="muted" role="status">
          {activeRunId
            ? `Running ${activeRunId}…`
            : status.status === 'ready'
              ? willRun
                ? `${willRun} of ${plans.length} stages would run`
                : 'Everything is up to date'
              : ''}
        </span>
      </div>
      <DagGraph
        stages={view.stages}
        states={states}
        selected={selected}
        onSelect={(s) => (setSelected(s), setPastLog(null))}
      />
      <div className="stage-tabs" role="tablist" aria-label="Stages">
        {view.stages.map((s) => (
          <button
            key={s.name}
            type="button"
            role="tab"
            aria-selected={s.name === selected}
            className={`chip status-${states[s.name] ?? ''}`}
            onClick={() => (setSelected(s.name), setPastLog(null))}
          >
            {s.name} ·{' '}
            {live.runId && live.stages[s.name]
              ? liveStageState(live.stages[s.name]!.status, live.stages[s.name]!.job)
              : (states[s.name] ?? '')}
          </button>
        ))}
      </div>
      {stage ? (
        <StageDetail
          stage={stage}
          plan={plans.find((p) => p.name === stage.name)}
          live={live.runId ? live.stages[stage.name] : undefined}
          logLines={logLines}
          durations={
            runs.status === 'ready'
              ? runs.data.runs
                  .flatMap((r) =>
                    r.stages
                      .filter((x) => x.name === stage.name && x.status === 'succeeded' && x.durationMs !== null)
                      .map((x) => x.durationMs!),
                  )
                  .slice(0, 8)
              : []
          }
        />
      ) : null}
      <h3>Sweep</h3>
      <SweepPanel slurmExecutors={view.slurmExecutors} />
      <h3>Past runs</h3>
      <CallView state={runs} reload={reloadRuns}>
        {(data) => <RunHistory runs={data.runs} onOpenLog={openLog} />}
      </CallView>
    </>
  );
}

export function Pipelines() {
  const [state, reload] = useCall('pipelines.get', {});
  const epoch = useLiveRuns((s) => s.epoch);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `epoch` changes when a run starts or ends: that is when to reload the pipeline.
  useEffect(() => reload(), [epoch, reload]);
  return (
    <CallView state={state} reload={reload}>
      {(view) => {
        if (!view.exists) {
          return (
            <EmptyState
              title="No pipeline yet"
              command={
                'stages:\n  train:\n    cmd: python3 train.py\n    deps: [train.py, data/train.csv]\n    outs: [model.json]'
              }
            >
              <p>
                Describe your stages in <code>benchtop.yaml</code> at the project root: a command each, the files it
                reads and the files it writes.
              </p>
            </EmptyState>
          );
        }
        if (view.problem) return <Problems view={view} reload={reload} />;
        return <Pipeline view={view} />;
      }}
    </CallView>
  );
}
