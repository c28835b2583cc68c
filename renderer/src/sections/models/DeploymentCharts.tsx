// Runs in: renderer. A deployed model's live charts over a time window: request rate, p50/p95/p99
// latency and the shares of 4xx and 5xx answers, one point per bucket from deployments.stats.
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { DeploymentStats } from '../../../../shared/contract';
import { Chart, type ChartOption } from '../../components/Chart';

echarts.use([LineChart, LegendComponent]);

function timeLabel(iso: string, bucketSeconds: number): string {
  const d = new Date(iso);
  const hm = d.toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    ...(bucketSeconds < 60 ? { second: '2-digit' } : {}),
  });
  return bucketSeconds >= 3600 ? `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${hm}` : hm;
}

function lines(
  labels: string[],
  unit: string,
  series: { name: string; data: (number | null)[] }[],
  dots = false,
): ChartOption {
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) =>
        typeof v === 'number' ? `${v.toLocaleString(undefined, { maximumFractionDigits: 2 })} ${unit}` : '—',
    },
    legend: { top: 0 },
    grid: { left: 52, right: 16, top: 30, bottom: 26 },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: { type: 'value', name: unit, nameGap: 8, min: 0 },
    // With gaps for empty buckets, a bucket between two empty ones is a lone point: a dot shows it.
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      data: s.data,
      showSymbol: dots,
      symbolSize: 4,
      connectNulls: false,
    })),
  };
}

const pct = (v: number | null): number | null => (v === null ? null : v * 100);

export function DeploymentCharts({ stats }: { stats: DeploymentStats }) {
  const options = useMemo(() => {
    const labels = stats.buckets.map((b) => timeLabel(b.at, stats.bucketSeconds));
    return {
      rate: lines(labels, 'req/s', [{ name: 'Requests', data: stats.buckets.map((b) => b.rate) }]),
      latency: lines(
        labels,
        'ms',
        [
          { name: 'p50', data: stats.buckets.map((b) => b.p50) },
          { name: 'p95', data: stats.buckets.map((b) => b.p95) },
          { name: 'p99', data: stats.buckets.map((b) => b.p99) },
        ],
        true,
      ),
      errors: lines(
        labels,
        '%',
        [
          { name: '5xx', data: stats.buckets.map((b) => pct(b.serverErrorRate)) },
          { name: '4xx', data: stats.buckets.map((b) => pct(b.clientErrorRate)) },
        ],
        true,
      ),
    };
  }, [stats]);
  const t = stats.totals;
  const ms = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} ms`);
  return (
    <div className="deploy-charts">
      <div className="deploy-chart" data-points={stats.buckets.filter((b) => b.requests > 0).length}>
        <h4 className="card-subtitle">Request rate</h4>
        <Chart
          option={options.rate}
          height={180}
          label={`Request rate per ${stats.bucketSeconds} s: ${t.requests} requests in the window`}
        />
      </div>
      <div className="deploy-chart" data-points={stats.buckets.filter((b) => b.p50 !== null).length}>
        <h4 className="card-subtitle">Latency</h4>
        <Chart
          option={options.latency}
          height={180}
          label={`Latency percentiles: p50 ${ms(t.p50)}, p95 ${ms(t.p95)}, p99 ${ms(t.p99)}`}
        />
      </div>
      <div className="deploy-chart" data-points={stats.buckets.filter((b) => b.serverErrorRate !== null).length}>
        <h4 className="card-subtitle">Error rate</h4>
        <Chart
          option={options.errors}
          height={180}
          label={`Error rate: ${t.serverErrors} answered 5xx, ${t.clientErrors} refused 4xx`}
        />
      </div>
    </div>
  );
}
