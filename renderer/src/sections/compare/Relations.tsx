// Runs in: renderer. How params relate to a chosen metric across the compared runs: parallel
// coordinates (params → metric), a scatter of one numeric param against it, and its latest values.
import { useMemo, useState } from 'react';
import { numericValues, type MetricRow, type ParamRow } from '../../../../shared/compare/side-by-side';
import { Chart, type ChartOption } from '../../components/Chart';
import { runColor } from './chart-setup';
import { formatMetric } from './series-math';

const finiteOrNull = (v: number | null | undefined): number | null =>
  v !== null && v !== undefined && Number.isFinite(v) ? v : null;

function parallelOption(names: string[], dims: ParamRow[], metric: MetricRow): ChartOption {
  const axes = dims.map((p, i) => {
    const nums = numericValues(p.values);
    return nums
      ? { dim: i, name: p.key }
      : { dim: i, name: p.key, type: 'category', data: [...new Set(p.values.map((v) => v ?? '—'))].sort() };
  });
  axes.push({ dim: dims.length, name: metric.key });
  return {
    parallel: { left: 70, right: 90, top: 40, bottom: 30 },
    parallelAxis: axes.map((a) => ({ ...a, nameTextStyle: { fontWeight: 600 } })),
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 2.5, opacity: 0.9 },
        data: names.map((name, r) => ({
          name,
          lineStyle: { color: runColor(r) },
          value: [
            ...dims.map((p) => numericValues(p.values)?.[r] ?? p.values[r] ?? '—'),
            finiteOrNull(metric.values[r]) ?? '-',
          ],
        })),
      },
    ],
  };
}

function scatterOption(names: string[], param: ParamRow, metric: MetricRow): ChartOption {
  const xs = numericValues(param.values) ?? [];
  return {
    grid: { left: 56, right: 18, top: 28, bottom: 36 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: param.key, nameLocation: 'middle', nameGap: 24, scale: true },
    yAxis: { type: 'value', name: metric.key, scale: true },
    series: names.map((name, r) => ({
      type: 'scatter',
      name,
      symbolSize: 12,
      color: runColor(r),
      data: xs[r] !== null && finiteOrNull(metric.values[r]) !== null ? [[xs[r], metric.values[r]]] : [],
    })),
  };
}

function barOption(names: string[], metric: MetricRow): ChartOption {
  return {
    // Past three runs the names lean, so each stays whole under its bar instead of overlapping.
    grid: { left: 56, right: 18, top: 28, bottom: names.length > 3 ? 84 : 40 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: names,
      axisLabel: { interval: 0, overflow: 'truncate', width: 130, rotate: names.length > 3 ? 30 : 0 },
    },
    yAxis: { type: 'value', name: metric.key },
    series: [
      {
        type: 'bar',
        barMaxWidth: 56,
        data: names.map((_, r) => ({
          value: finiteOrNull(metric.values[r]) ?? '-',
          itemStyle: { color: runColor(r) },
        })),
        label: {
          show: true,
          position: 'top',
          formatter: (p: { dataIndex: number }) => formatMetric(metric.values[p.dataIndex]),
        },
      },
    ],
  };
}

export function Relations({
  names,
  params,
  metrics,
  metricKey,
  onMetric,
}: {
  names: string[];
  params: ParamRow[];
  metrics: MetricRow[];
  metricKey: string;
  onMetric: (key: string) => void;
}) {
  const numericParams = useMemo(() => params.filter((p) => p.differs && numericValues(p.values) !== null), [params]);
  const [paramKey, setParamKey] = useState(numericParams[0]?.key ?? '');
  const metric = metrics.find((m) => m.key === metricKey) ?? metrics[0];
  const param = numericParams.find((p) => p.key === paramKey) ?? numericParams[0];
  const dims = useMemo(() => {
    const differing = params.filter((p) => p.differs);
    return (differing.length ? differing : params).slice(0, 8);
  }, [params]);
  const parallel = useMemo(
    () => (metric && dims.length ? parallelOption(names, dims, metric) : null),
    [names, dims, metric],
  );
  const scatter = useMemo(() => (metric && param ? scatterOption(names, param, metric) : null), [names, param, metric]);
  const bars = useMemo(() => (metric ? barOption(names, metric) : null), [names, metric]);
  if (!metric) return <p className="muted">None of these runs logged a metric.</p>;
  return (
    <section aria-label="Params and results" className="relations">
      <div className="toolbar">
        <label>
          Metric
          <select className="field-input" value={metric.key} onChange={(e) => onMetric(e.target.value)}>
            {metrics.map((m) => (
              <option key={m.key}>{m.key}</option>
            ))}
          </select>
        </label>
        {numericParams.length ? (
          <label>
            Param for the scatter
            <select className="field-input" value={param?.key} onChange={(e) => setParamKey(e.target.value)}>
              {numericParams.map((p) => (
                <option key={p.key}>{p.key}</option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="relation-grid">
        {parallel ? (
          <figure className="curve-card wide">
            <figcaption>
              <strong>Params → {metric.key}</strong>{' '}
              <span className="muted">
                (parallel coordinates{params.some((p) => p.differs) ? ', params that differ' : ''})
              </span>
            </figcaption>
            <Chart option={parallel} height={280} label={`Parallel coordinates from params to ${metric.key}`} />
          </figure>
        ) : null}
        {scatter && param ? (
          <figure className="curve-card">
            <figcaption>
              <strong>
                {metric.key} by {param.key}
              </strong>
            </figcaption>
            <Chart option={scatter} height={240} label={`Scatter of ${metric.key} by ${param.key}`} />
          </figure>
        ) : null}
        {bars ? (
          <figure className="curve-card">
            <figcaption>
              <strong>{metric.key}</strong> <span className="muted">latest value per run</span>
            </figcaption>
            <Chart option={bars} height={240} label={`Latest ${metric.key} per run`} renderer="svg" />
          </figure>
        ) : null}
      </div>
    </section>
  );
}
