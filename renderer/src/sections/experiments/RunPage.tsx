// Runs in: renderer. One run's page: header, params, metrics with a chart each, tags, notes,
// artifacts, stage logs and lineage (commit, parent and children, data inputs, deps, stages).
import { InfoCard } from '../../components/InfoCard';
import { KeyValueTable } from '../../components/KeyValueTable';
import { depHashLabel } from './dep-hash';
import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import { CallView } from '../../components/CallView';
import { formatBytes, formatDate } from '../../components/format';
import { useCall } from '../../hooks/use-call';
import { toastError, useApp } from '../../store/app-store';
import { useLiveRuns } from '../../store/live-runs';
import { MetricCurves } from '../compare/MetricCurves';
import { formatMetric } from '../compare/series-math';
import { RegisterDialog } from '../models/RegisterDialog';
import { ArtifactPreview } from './ArtifactPreview';
import { Notes } from './Notes';
import { RunId, RunTitle } from './RunTitle';
import { StageLogs } from './StageLogs';
import { stageWhere } from './stage-job';

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function RunLink({ id }: { id: string }) {
  const openRun = useApp((s) => s.openRun);
  return (
    <button type="button" className="link" onClick={() => openRun(id)}>
      {id}
    </button>
  );
}

function Lineage({ run }: { run: RunDetail }) {
  const deps = run.artifacts.filter((a) => a.role === 'dep');
  return (
    <>
      <KeyValueTable
        label="Lineage"
        empty=""
        entries={[
          [
            'Commit',
            run.gitCommit ? (
              <>
                <code>{run.gitCommit.slice(0, 12)}</code>
                {run.gitDirty ? (
                  <span className="status status-running"> uncommitted changes</span>
                ) : run.gitDirty === false ? (
                  <span className="muted"> clean tree</span>
                ) : null}
              </>
            ) : (
              'not in a git repository'
            ),
          ],
          ['Source', run.source],
          [
            'Trigger',
            // An alert's message can be long: it wraps in the card, and the title holds it whole.
            <span key="trigger" className="trigger-text" title={run.trigger}>
              {run.trigger}
            </span>,
          ],
          ['Parent run', run.parentId ? <RunLink key="parent" id={run.parentId} /> : '—'],
          [
            'Child runs',
            run.children.length ? (
              <span key="children" className="link-list">
                {run.children.map((c) => (
                  <RunLink key={c} id={c} />
                ))}
              </span>
            ) : (
              '—'
            ),
          ],
        ]}
      />
      {run.inputs.length ? (
        <table className="grid compact" aria-label="Data inputs">
          <thead>
            <tr>
              <th>Dataset</th>
              <th>Version</th>
              <th>Context</th>
            </tr>
          </thead>
          <tbody>
            {run.inputs.map((i) => (
              <tr key={`${i.dataset}:${i.context}`}>
                <td>{i.dataset}</td>
                <td>
                  <code>{i.version.slice(0, 12)}</code>
                </td>
                <td>{i.context}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {deps.length ? (
        <table className="grid compact" aria-label="Pipeline dependencies">
          <thead>
            <tr>
              <th>Stage</th>
              <th>Dependency</th>
              <th>Hash</th>
            </tr>
          </thead>
          <tbody>
            {deps.map((d) => (
              <tr key={`${d.stage}:${d.path}`}>
                <td>{d.stage}</td>
                <td>{d.path}</td>
                <td>{d.hash ? <code title={d.hash}>{depHashLabel(d.hash)}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {run.stages.length ? (
        <table className="grid compact" aria-label="Stages">
          <thead>
            <tr>
              <th>Stage</th>
              <th>Status</th>
              <th className="num">Duration</th>
              {run.stages.some((s) => s.job) ? <th>Where</th> : null}
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {run.stages.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>
                  <span className={`status status-${s.status}`}>{s.status}</span>
                </td>
                <td className="num">{s.durationMs === null ? '—' : formatDuration(s.durationMs / 1000)}</td>
                {run.stages.some((x) => x.job) ? <td>{stageWhere(s.job)}</td> : null}
                <td>{s.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function Artifacts({ run }: { run: RunDetail }) {
  const files = run.artifacts.filter((a) => a.role !== 'dep');
  const [open, setOpen] = useState<string | null>(null);
  if (files.length === 0)
    return <p className="muted">No artifacts: files a run logs, or a pipeline stage writes, are listed here.</p>;
  return (
    <>
      <table className="grid compact" aria-label="Artifacts">
        <thead>
          <tr>
            <th>Path</th>
            <th>Stage</th>
            <th>Type</th>
            <th className="num">Size</th>
            <th>Hash</th>
          </tr>
        </thead>
        <tbody>
          {files.map((a) => (
            <tr key={`${a.stage}:${a.role}:${a.path}`}>
              <td>
                <button type="button" className="link" onClick={() => setOpen(a.path)} title="Preview">
                  {a.path}
                </button>
              </td>
              <td>{a.stage || '—'}</td>
              <td>{a.type ?? '—'}</td>
              <td className="num">{a.size === null ? '—' : formatBytes(a.size)}</td>
              <td>{a.hash ? <code>{a.hash.slice(0, 12)}</code> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? <ArtifactPreview key={open} runId={run.id} path={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function RunView({ initial }: { initial: RunDetail }) {
  const [run, setRun] = useState(initial);
  const [registering, setRegistering] = useState(false);
  useEffect(() => setRun(initial), [initial]);
  const star = () =>
    api
      .call('runs.update', { id: run.id, starred: !run.starred })
      .then(setRun, (err: unknown) => toastError('Could not star the run', err));
  const curves = run.metrics.some((m) => m.points > 1);
  return (
    <>
      <header className="run-header">
        <RunTitle run={run} onRenamed={setRun} />
        <span className={`status status-${run.status}`}>{run.status}</span>
        <button
          type="button"
          className="star"
          aria-pressed={run.starred}
          onClick={star}
          title={run.starred ? 'Unstar' : 'Star'}
        >
          {run.starred ? '★ Starred' : '☆ Star'}
        </button>
        {run.deleted ? <span className="status status-failed">deleted</span> : null}
        <span className="spacer" />
        <button
          type="button"
          onClick={() => setRegistering(true)}
          disabled={run.deleted}
          title={
            run.deleted
              ? 'Restore the run to register its model'
              : 'Register an artifact of this run as a model version'
          }
        >
          Register model
        </button>
      </header>
      {registering ? <RegisterDialog run={run} onClose={() => setRegistering(false)} /> : null}
      <p className="run-meta muted">
        <span>Experiment {run.experiment}</span>
        <span>Started {formatDate(run.startTime)}</span>
        <span>Duration {formatDuration(run.duration)}</span>
        <RunId id={run.id} />
      </p>
      <div className="run-cards">
        <InfoCard title="Params">
          <KeyValueTable label="Params" entries={Object.entries(run.params)} empty="No params logged." />
        </InfoCard>
        <InfoCard title="Metrics">
          {run.metrics.length ? (
            <table className="grid compact" aria-label="Metrics">
              <thead>
                <tr>
                  <th>Metric</th>
                  <th className="num">Latest</th>
                  <th className="num">Step</th>
                  <th className="num">Points</th>
                </tr>
              </thead>
              <tbody>
                {run.metrics.map((m) => (
                  <tr key={m.key}>
                    <th scope="row">{m.key}</th>
                    <td className="num">{formatMetric(m.value)}</td>
                    <td className="num">{m.step}</td>
                    <td className="num">{m.points.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No metrics logged.</p>
          )}
        </InfoCard>
        <InfoCard title="Tags">
          {Object.keys(run.tags).length ? (
            <ul className="tag-list">
              {Object.entries(run.tags).map(([k, v]) => (
                <li key={k} className="badge">
                  {k} = {v}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No tags.</p>
          )}
        </InfoCard>
        <InfoCard title="Notes">
          <Notes run={run} onSaved={setRun} />
        </InfoCard>
        {curves ? (
          <InfoCard title="Metric charts" wide>
            <MetricCurves runs={[{ id: run.id, name: run.name }]} legend={false} />
          </InfoCard>
        ) : null}
        <InfoCard title="Artifacts" wide>
          <Artifacts run={run} />
        </InfoCard>
        <InfoCard title="Lineage" wide>
          <Lineage run={run} />
        </InfoCard>
        {run.stages.length > 0 ? (
          <InfoCard title="Logs" wide>
            <StageLogs run={run} />
          </InfoCard>
        ) : null}
      </div>
    </>
  );
}

export function RunPage({ id }: { id: string }) {
  const showRuns = useApp((s) => s.showRuns);
  const [state, reload] = useCall('runs.get', { id });
  // A run that starts or ends elsewhere (a pipeline, a script) shows its new state.
  const epoch = useLiveRuns((s) => s.epoch);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `epoch` changes when a run starts or ends elsewhere: that is when to reload.
  useEffect(() => reload(), [epoch, reload]);
  return (
    <article className="run-page" aria-labelledby="run-title">
      <nav className="crumbs">
        <button type="button" className="link" onClick={showRuns}>
          ← All runs
        </button>
      </nav>
      <CallView state={state} reload={reload}>
        {(run) => <RunView initial={run} />}
      </CallView>
    </article>
  );
}
