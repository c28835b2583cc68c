// Runs in: renderer. Past pipeline runs, and the stages of one as a timeline (a Gantt chart).
import { useMemo, useState } from 'react';
import type { PipelineRunRow } from '../../../../shared/contract';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatDate } from '../../components/format';

function gantt(run: PipelineRunRow): ChartOption | null {
  const ran = run.stages.filter((s) => s.startedAt && s.endedAt);
  if (ran.length === 0) return null;
  const t0 = Math.min(...ran.map((s) => Date.parse(s.startedAt!)));
  const rows = [...ran].reverse();
  return {
    grid: { left: 90, right: 16, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: 's', axisLabel: { formatter: (v: number) => `${(v / 1000).toFixed(1)}` } },
    yAxis: { type: 'category', data: rows.map((s) => s.name) },
    series: [
      // The invisible offset bar puts each stage's bar at its start time.
      {
        type: 'bar',
        stack: 't',
        itemStyle: { color: 'transparent' },
        data: rows.map((s) => Date.parse(s.startedAt!) - t0),
        tooltip: { show: false },
      },
      {
        type: 'bar',
        stack: 't',
        name: 'duration (ms)',
        data: rows.map((s) => ({
          value: Date.parse(s.endedAt!) - Date.parse(s.startedAt!),
          itemStyle: { color: s.status === 'succeeded' ? '#1f8a4c' : s.status === 'failed' ? '#c53030' : '#a0aec0' },
        })),
      },
    ],
  };
}

export function RunHistory({
  runs,
  onOpenLog,
}: {
  runs: PipelineRunRow[];
  onOpenLog: (runId: string, stage: string) => void;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const run = runs.find((r) => r.id === chosen) ?? runs[0] ?? null;
  const option = useMemo(() => (run ? gantt(run) : null), [run]);
  if (runs.length === 0) return <p className="muted">No pipeline runs yet. Press Run to start the first one.</p>;
  return (
    <div className="run-history">
      {/* A view narrower than the table (beside the tour at 1024 px) scrolls it rather than overflowing. */}
      <div className="table-scroll">
        <table className="grid compact pipeline-runs" aria-label="Pipeline runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Trigger</th>
              <th>Started</th>
              <th>Stages</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className={r.id === run?.id ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => setChosen(r.id)}>
                    {r.id}
                  </button>
                </td>
                <td>
                  <span className={`status status-${r.status}`}>{r.status}</span>
                </td>
                <td>
                  <span className="trigger-text" title={r.trigger}>
                    {r.trigger}
                  </span>
                </td>
                <td className="wraps">{formatDate(r.startedAt)}</td>
                <td className="wraps">
                  {r.stages.map((s) => (
                    <button
                      key={s.name}
                      type="button"
                      className={`chip status-${s.status}`}
                      title={`${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`}
                      onClick={() => onOpenLog(r.id, s.name)}
                    >
                      {s.name}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {run && option ? (
        <figure className="gantt">
          <figcaption className="muted">Timeline of {run.id}</figcaption>
          <Chart
            option={option}
            height={40 + 28 * run.stages.filter((s) => s.startedAt).length}
            label={`Timeline of the stages of ${run.id}`}
          />
        </figure>
      ) : null}
    </div>
  );
}
