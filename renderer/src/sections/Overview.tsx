// Runs in: renderer. The landing view: how the project stands (each model's champion and its key
// metric across versions, open alerts, the last pipeline run, this week's data versions), each
// item a link to the view that shows it in full.
import { useMemo, type MouseEvent, type ReactNode } from 'react';
import type { ProjectOverview } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { Chart, type ChartOption } from '../components/Chart';
import { EmptyState } from '../components/EmptyState';
import { formatDate, plural } from '../components/format';
import { useCall } from '../hooks/use-call';
import { useEvent } from '../hooks/use-event';
import { useApp } from '../store/app-store';
import { formatRoute, type Route } from '../store/routes';
import { formatMetric } from './compare/series-math';
import { keyMetrics } from './models/key-metrics';
import './overview/overview.css';

type ModelItem = ProjectOverview['models'][number];

/** A link to a place in the app: a real href, so it can be copied or opened in a new tab. */
function RouteLink({ to, children, label }: { to: Route; children: ReactNode; label?: string }) {
  return (
    <a href={formatRoute(to)} aria-label={label}>
      {children}
    </a>
  );
}

/** The metric the versions table leads with, among those the champion has. */
export function championMetric(model: ModelItem): { key: string; value: number } | null {
  const champion = model.versions.find((v) => v.version === model.champion);
  if (!champion) return null;
  const key = keyMetrics(model.versions.filter((v) => !v.archived)).find((k) => Object.hasOwn(champion.metrics, k));
  const fallback = Object.keys(champion.metrics).sort()[0];
  const chosen = key ?? fallback;
  return chosen === undefined ? null : { key: chosen, value: champion.metrics[chosen]! };
}

function MetricBars({ model, metric }: { model: ModelItem; metric: string }) {
  const versions = useMemo(
    () => model.versions.filter((v) => !v.archived && Object.hasOwn(v.metrics, metric)),
    [model, metric],
  );
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 8, top: 18, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: versions.map((v) => `v${v.version}`), axisTick: { show: false } },
      // From zero, so that a bar's height compares with the others' (a scaled axis hides the lowest).
      yAxis: { type: 'value', show: false, min: 0 },
      series: [
        {
          type: 'bar',
          name: metric,
          barMaxWidth: 28,
          label: {
            show: true,
            position: 'top',
            fontSize: 11,
            formatter: (p: { value: number | null }) => formatMetric(p.value),
          },
          data: versions.map((v) => {
            const x = v.metrics[metric]!;
            // The champion's bar stands out; NaN and ±∞ have none.
            return {
              value: Number.isFinite(x) ? x : null,
              itemStyle: { color: v.version === model.champion ? '#2f6fde' : '#9db4d9' },
            };
          }),
        },
      ],
    }),
    [versions, metric, model.champion],
  );
  if (versions.length < 2) return null;
  return (
    <Chart
      option={option}
      height={96}
      label={`${metric} across versions of ${model.name}: ${versions.map((v) => `v${v.version} ${formatMetric(v.metrics[metric])}`).join(', ')}`}
    />
  );
}

function ModelsCard({ models }: { models: ModelItem[] }) {
  return (
    <section className="overview-card" aria-labelledby="overview-models">
      <h2 id="overview-models">Champions</h2>
      {models.length === 0 ? (
        <p className="muted">
          No model is registered yet. A pipeline stage registers one (<code>register:</code> in benchtop.yaml), or
          register a run's artifact from its page.
        </p>
      ) : (
        <ul className="overview-models">
          {models.map((m) => {
            const metric = championMetric(m);
            return (
              <li key={m.name}>
                <div className="overview-model-head">
                  <RouteLink to={{ section: 'models', view: { kind: 'model', name: m.name } }}>
                    <strong>{m.name}</strong>
                  </RouteLink>
                  {m.champion === null ? (
                    <span className="muted">no version</span>
                  ) : (
                    <span>
                      <RouteLink
                        to={{ section: 'models', view: { kind: 'version', name: m.name, version: m.champion } }}
                        label={`Champion of ${m.name}: version ${m.champion}`}
                      >
                        v{m.champion}
                      </RouteLink>{' '}
                      {m.alias ? <span className="badge">@{m.alias}</span> : <span className="muted">latest</span>}
                    </span>
                  )}
                </div>
                {metric ? (
                  <>
                    <p className="overview-metric" aria-label={`${m.name} ${metric.key}`}>
                      <span className="muted">{metric.key}</span> <strong>{formatMetric(metric.value)}</strong>
                      <span className="muted"> · {plural(m.versions.length, 'version')}</span>
                    </p>
                    <MetricBars model={m} metric={metric.key} />
                  </>
                ) : (
                  <p className="muted">{plural(m.versions.length, 'version')}; the champion has no metrics.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function AlertsCard({ data }: { data: ProjectOverview }) {
  const watched = data.monitors;
  return (
    <section className="overview-card" aria-labelledby="overview-alerts">
      <h2 id="overview-alerts">Monitors</h2>
      <p className={data.openAlerts > 0 ? 'overview-figure bad' : 'overview-figure'} aria-label="Open alerts">
        <strong>{data.openAlerts.toLocaleString()}</strong> open {data.openAlerts === 1 ? 'alert' : 'alerts'}
      </p>
      {watched.length === 0 ? (
        <p className="muted">No monitor watches this project's data yet.</p>
      ) : (
        <ul className="overview-list">
          {watched.map((m) => (
            <li key={m.name}>
              <RouteLink to={{ section: 'monitoring', view: { kind: 'monitor', name: m.name } }}>{m.name}</RouteLink>
              <span className={`monitor-${m.lastStatus}`}>
                {m.lastStatus === 'never-run' ? 'never checked' : m.lastStatus}
              </span>
              <span className="muted">
                {m.openAlerts > 0 ? plural(m.openAlerts, 'open alert') : 'no open alert'}
                {m.lastRunAt ? ` · checked ${formatDate(m.lastRunAt)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const RAN = new Set(['succeeded', 'failed', 'running']);
const SKIPPED = new Set(['skipped', 'up-to-date']);

function PipelineCard({ data }: { data: ProjectOverview }) {
  const run = data.lastPipelineRun;
  return (
    <section className="overview-card" aria-labelledby="overview-pipeline">
      <h2 id="overview-pipeline">Last pipeline run</h2>
      {run === null ? (
        <p className="muted">
          {data.hasPipeline ? 'The pipeline has not run yet.' : 'This project has no pipeline (benchtop.yaml) yet.'}{' '}
          <RouteLink to={{ section: 'pipelines' }}>Open Pipelines</RouteLink>
        </p>
      ) : (
        <>
          <p className="overview-run" aria-label="Last pipeline run">
            <RouteLink to={{ section: 'experiments', view: { kind: 'run', id: run.id } }}>
              {formatDate(run.startedAt)}
            </RouteLink>{' '}
            <span className={`status status-${run.status}`}>{run.status}</span>
          </p>
          <p className="muted overview-message" title={run.trigger}>
            {run.trigger}
          </p>
          <p aria-label="What it changed">
            {plural(run.stages.filter((s) => RAN.has(s.status)).length, 'stage')} ran,{' '}
            {run.stages.filter((s) => SKIPPED.has(s.status)).length.toLocaleString()} skipped
          </p>
          <ul className="overview-stages" aria-label="Stages">
            {run.stages.map((s) => (
              <li key={s.name} title={s.reason}>
                <span className={`status status-${s.status}`}>{s.name}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DataCard({ data }: { data: ProjectOverview }) {
  const openData = (e: MouseEvent, path: string) => {
    e.preventDefault();
    useApp.getState().openData(path);
  };
  return (
    <section className="overview-card" aria-labelledby="overview-data">
      <h2 id="overview-data">Data versions this week</h2>
      {data.dataVersions.length === 0 ? (
        <p className="muted">
          No tracked data was committed since {formatDate(data.since)}.{' '}
          <RouteLink to={{ section: 'data' }}>Open Data</RouteLink>
        </p>
      ) : (
        <ul className="overview-list" aria-label="Recent data versions">
          {data.dataVersions.map((v) => (
            <li key={`${v.path}@${v.commit}`}>
              <a href={formatRoute({ section: 'data' })} onClick={(e) => openData(e, v.path)}>
                {v.path}
              </a>
              <code title={v.commit}>{v.commit.slice(0, 7)}</code>
              <span className="muted overview-message" title={v.message}>
                {formatDate(v.date)} · {v.message.split('\n')[0]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EmptyProject({ data }: { data: ProjectOverview }) {
  const go = (route: Route) => () => useApp.getState().goTo(route);
  return (
    <EmptyState title="Nothing to report yet">
      <p>
        This page will say how the project stands: the champion of each model, the monitors' open alerts, the last
        pipeline run and the data versions of the week. Start with one of these:
      </p>
      <div className="overview-actions">
        <button type="button" onClick={go({ section: 'data' })}>
          Track data
        </button>
        <button type="button" onClick={go({ section: 'pipelines' })}>
          {data.hasPipeline ? 'Run the pipeline' : 'Set up a pipeline'}
        </button>
        <button type="button" onClick={go({ section: 'experiments', view: { kind: 'runs' } })}>
          See experiments
        </button>
      </div>
    </EmptyState>
  );
}

export function Overview() {
  const [state, reload] = useCall('project.overview', {});
  // What the page sums up changes elsewhere: a run ends, a model is registered, an alert is raised.
  useEvent((event) => {
    if (event.name === 'run.status' || event.name === 'models.changed' || event.name === 'monitors.alert') reload();
  });
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.models.length === 0 &&
        data.monitors.length === 0 &&
        data.lastPipelineRun === null &&
        data.dataVersions.length === 0 ? (
          <EmptyProject data={data} />
        ) : (
          <div className="overview-grid">
            <ModelsCard models={data.models} />
            <AlertsCard data={data} />
            <PipelineCard data={data} />
            <DataCard data={data} />
          </div>
        )
      }
    </CallView>
  );
}
