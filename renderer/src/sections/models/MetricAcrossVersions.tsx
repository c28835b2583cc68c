// Runs in: renderer. One snapshot metric across the compared versions as bars (versions in order),
// the metric picked from those any of them has. NaN and ±∞ have no bar and are named in the label.
import { useId, useMemo, useState } from 'react';
import type { ModelVersionDetail } from '../../../../shared/contract';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatMetric } from '../compare/series-math';

export function MetricAcrossVersions({ versions }: { versions: ModelVersionDetail[] }) {
  const keys = useMemo(() => [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort(), [versions]);
  const [picked, setPicked] = useState(keys[0] ?? '');
  const selectId = useId();
  const metric = keys.includes(picked) ? picked : (keys[0] ?? '');
  const values = useMemo(
    () => versions.map((v) => (Object.hasOwn(v.metrics, metric) ? v.metrics[metric]! : null)),
    [versions, metric],
  );
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 24, bottom: 28 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: versions.map((v) => `v${v.version}${v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}`),
      },
      yAxis: { type: 'value', name: metric },
      series: [
        {
          type: 'bar',
          name: metric,
          data: values.map((x) => (x !== null && Number.isFinite(x) ? x : null)),
          label: { show: true, position: 'top', formatter: (p: { value: number | null }) => formatMetric(p.value) },
          itemStyle: { color: '#4e79a7' },
        },
      ],
    }),
    [versions, metric, values],
  );
  if (keys.length === 0) return <p className="muted">None of these versions has metrics in its snapshot.</p>;
  return (
    <div className="version-metric">
      <div className="toolbar">
        <label htmlFor={selectId}>Metric</label>
        <select id={selectId} className="field-input" value={metric} onChange={(e) => setPicked(e.target.value)}>
          {keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </div>
      <Chart
        option={option}
        height={260}
        label={`${metric} across versions: ${versions.map((v, i) => `v${v.version} ${formatMetric(values[i])}`).join(', ')}`}
      />
    </div>
  );
}
