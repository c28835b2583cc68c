// Runs in: renderer. Each metric's curves for one or more runs, overlaid: x by step, wall time or
// time since start; EMA smoothing; log scale. Series arrive downsampled from the core.
import { useEffect, useMemo, useState } from 'react';
import type { MetricSeries } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { Chart, type ChartOption } from '../../components/Chart';
import { useCall } from '../../hooks/use-call';
import { useLiveRuns } from '../../store/live-runs';
import { runColor } from './chart-setup';
import { smooth, xValues, type XAxisKind } from './series-math';

interface RunRef {
  id: string;
  name: string;
}

const X_LABELS: Record<XAxisKind, string> = { step: 'Step', wall: 'Wall time', relative: 'Relative time (s)' };

function curveOption(
  key: string,
  series: MetricSeries[],
  runs: readonly RunRef[],
  x: XAxisKind,
  weight: number,
  log: boolean,
): { option: ChartOption; logRefused: boolean } {
  const logRefused = log && series.some((s) => s.values.some((v) => v <= 0));
  const useLog = log && !logRefused;
  const lines = runs.flatMap((run, i) => {
    const s = series.find((p) => p.runId === run.id && p.key === key);
    if (!s || s.values.length === 0) return [];
    const xs = xValues(x, s.steps, s.times);
    const ys = smooth(s.values, weight);
    const base = {
      type: 'line',
      name: run.name,
      showSymbol: s.values.length === 1,
      symbolSize: 6,
      color: runColor(i),
      emphasis: { focus: 'series' },
    };
    const smoothed = { ...base, data: xs.map((xv, j) => [xv, ys[j]]), lineStyle: { width: 1.8 } };
    if (weight <= 0) return [smoothed];
    // The raw curve stays visible, faint, behind its smoothed version.
    return [
      {
        ...base,
        data: xs.map((xv, j) => [xv, s.values[j]]),
        lineStyle: { width: 1, opacity: 0.25 },
        tooltip: { show: false },
      },
      smoothed,
    ];
  });
  return {
    logRefused,
    option: {
      grid: { left: 56, right: 18, top: 14, bottom: 30 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(5))) : String(v)),
      },
      xAxis: {
        type: x === 'wall' ? 'time' : 'value',
        name: X_LABELS[x],
        nameLocation: 'middle',
        nameGap: 22,
        scale: true,
      },
      yAxis: { type: useLog ? 'log' : 'value', scale: !useLog },
      series: lines,
    },
  };
}

function CurveCard({
  metric,
  series,
  runs,
  x,
  weight,
  log,
}: {
  metric: string;
  series: MetricSeries[];
  runs: readonly RunRef[];
  x: XAxisKind;
  weight: number;
  log: boolean;
}) {
  const { option, logRefused } = useMemo(
    () => curveOption(metric, series, runs, x, weight, log),
    [metric, series, runs, x, weight, log],
  );
  const mine = series.filter((s) => s.key === metric);
  const dropped = mine.reduce((n, s) => n + s.nonFinite, 0);
  const total = mine.reduce((n, s) => n + s.total, 0);
  const shown = mine.reduce((n, s) => n + s.values.length, 0);
  return (
    <figure className="curve-card" aria-label={`Metric ${metric}`}>
      <figcaption>
        <strong>{metric}</strong>
        <span className="muted">
          {shown < total - dropped
            ? ` ${shown.toLocaleString()} of ${total.toLocaleString()} points drawn`
            : ` ${total.toLocaleString()} points`}
          {dropped ? `; ${dropped} NaN/∞ not drawable` : ''}
          {logRefused ? '; log scale needs values above zero, shown linear' : ''}
        </span>
      </figcaption>
      <Chart option={option} height={220} label={`Chart of ${metric}`} />
    </figure>
  );
}

export function MetricCurves({ runs, legend = true }: { runs: readonly RunRef[]; legend?: boolean }) {
  const [x, setX] = useState<XAxisKind>('step');
  const [weight, setWeight] = useState(0);
  const [log, setLog] = useState(false);
  const ids = useMemo(() => runs.map((r) => r.id), [runs]);
  const [state, reload] = useCall('runs.history', { ids, maxPoints: 2000 });
  const epoch = useLiveRuns((s) => s.epoch);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `epoch` changes when a run starts or ends elsewhere: that is when to reload.
  useEffect(() => reload(), [epoch, reload]);
  return (
    <section aria-label="Metric curves" className="metric-curves">
      <div className="toolbar curve-controls">
        <label>
          X axis
          <select className="field-input" value={x} onChange={(e) => setX(e.target.value as XAxisKind)}>
            <option value="step">Step</option>
            <option value="wall">Wall time</option>
            <option value="relative">Relative time</option>
          </select>
        </label>
        <label>
          Smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={weight}
            onChange={(e) => setWeight(Number(e.target.value))}
          />
          <output>{weight.toFixed(2)}</output>
        </label>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> Log scale
        </label>
      </div>
      {legend ? (
        <ul className="legend" aria-label="Legend">
          {runs.map((r, i) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: runColor(i) }} aria-hidden="true" />
              {r.name}
            </li>
          ))}
        </ul>
      ) : null}
      <CallView state={state} reload={reload}>
        {(data) => {
          const keys = [...new Set(data.series.filter((s) => s.total > 1).map((s) => s.key))];
          if (keys.length === 0)
            return (
              <p className="muted">
                No metric was logged at more than one step, so there are no curves; the latest values are in the table.
              </p>
            );
          return (
            <div className="curve-grid">
              {keys.map((k) => (
                <CurveCard key={k} metric={k} series={data.series} runs={runs} x={x} weight={weight} log={log} />
              ))}
            </div>
          );
        }}
      </CallView>
    </section>
  );
}
