// Runs in: renderer. Compare 2..N runs: params and metrics side by side, curves overlaid, params
// against a metric, and an HTML report exported into the project's reports/ folder.
import { useMemo, useState } from 'react';
import { sideBySide } from '../../../../shared/compare/side-by-side';
import type { RunDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import { CallView } from '../../components/CallView';
import { formatBytes } from '../../components/format';
import { toastError, useApp } from '../../store/app-store';
import { runColor } from './chart-setup';
import { runLabels } from './labels';
import { MetricCurves } from './MetricCurves';
import { Relations } from './Relations';
import { SideBySide } from './SideBySide';
import { useRuns } from './use-runs';

function ExportReport({ ids, metric }: { ids: string[]; metric: string | undefined }) {
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<{ path: string; size: number } | null>(null);
  const run = () => {
    setBusy(true);
    api.call('reports.compare', metric ? { ids, metric } : { ids }).then(
      (w) => {
        setWritten(w);
        setBusy(false);
      },
      (err: unknown) => {
        toastError('Could not write the report', err);
        setBusy(false);
      },
    );
  };
  return (
    <div className="export-report">
      <button type="button" onClick={run} disabled={busy}>
        {busy ? 'Writing…' : 'Export HTML report'}
      </button>
      {written ? (
        <span role="status" className="muted">
          Written to <code>{written.path}</code> ({formatBytes(written.size)}), a self-contained file; it is listed
          under Reports.
        </span>
      ) : null}
    </div>
  );
}

function CompareRuns({ runs }: { runs: RunDetail[] }) {
  const openRun = useApp((s) => s.openRun);
  const names = useMemo(() => runLabels(runs), [runs]);
  const refs = useMemo(() => runs.map((r, i) => ({ id: r.id, name: names[i]! })), [runs, names]);
  const table = useMemo(
    () =>
      sideBySide(
        runs.map((r) => ({ params: r.params, metrics: Object.fromEntries(r.metrics.map((m) => [m.key, m.value])) })),
      ),
    [runs],
  );
  // The metric params are plotted against, here and in the exported report.
  const [metric, setMetric] = useState(table.metrics[0]?.key ?? '');
  return (
    <>
      <div className="compare-head">
        <ul className="run-chips" aria-label="Compared runs">
          {runs.map((r, i) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: runColor(i) }} aria-hidden="true" />
              <button type="button" className="link" onClick={() => openRun(r.id)} title={r.id}>
                {names[i]}
              </button>
              <span className={`status status-${r.status}`}>{r.status}</span>
            </li>
          ))}
        </ul>
        <ExportReport
          ids={runs.map((r) => r.id)}
          metric={table.metrics.some((m) => m.key === metric) ? metric : undefined}
        />
      </div>
      <h3>Params and metrics</h3>
      <SideBySide names={names} params={table.params} metrics={table.metrics} />
      <h3>Metric curves</h3>
      <MetricCurves runs={refs} />
      <h3>Params and results</h3>
      <Relations names={names} params={table.params} metrics={table.metrics} metricKey={metric} onMetric={setMetric} />
    </>
  );
}

export function Compare({ ids }: { ids: string[] }) {
  const showRuns = useApp((s) => s.showRuns);
  const [state, reload] = useRuns(ids);
  return (
    <article className="compare" aria-labelledby="compare-title">
      <nav className="crumbs">
        <button type="button" className="link" onClick={showRuns}>
          ← All runs
        </button>
      </nav>
      <h2 id="compare-title">Compare {ids.length} runs</h2>
      {ids.length < 2 ? (
        <p className="muted">Select two or more runs in the runs table to compare them.</p>
      ) : (
        <CallView state={state} reload={reload}>
          {(runs) => <CompareRuns runs={runs} />}
        </CallView>
      )}
    </article>
  );
}
