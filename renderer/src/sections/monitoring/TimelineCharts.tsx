// Runs in: renderer. A monitor's timeline as line charts: drift share per batch against its
// threshold, each column's score, and the model's metrics when the batches carry them.
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { MonitorBatch } from '../../../../shared/contract';
import { Chart, type ChartOption } from '../../components/Chart';
import { InfoCard } from '../../components/InfoCard';

echarts.use([LineChart, LegendComponent]);

function lineOption(labels: string[], series: { name: string; data: (number | null)[]; dashed?: boolean }[], yMax?: number): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', ...(yMax !== undefined ? { max: yMax, min: 0 } : {}) },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      data: s.data,
      connectNulls: false,
      symbolSize: s.dashed ? 0 : 6,
      lineStyle: s.dashed ? { type: 'dashed' } : undefined,
    })),
  };
}

/** A NaN score cannot be drawn: a gap says "not computed" where a zero would lie. */
function finite(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

export function TimelineCharts({ batches }: { batches: MonitorBatch[] }) {
  const { share, scores, performance, columnNames, metricNames } = useMemo(() => {
    const labels = batches.map((b) => b.label);
    const columnNames = [...new Set(batches.flatMap((b) => b.columns.map((c) => c.name)))];
    const metricNames = [...new Set(batches.flatMap((b) => Object.keys(b.performance?.metrics ?? {})))];
    return {
      columnNames,
      metricNames,
      share: lineOption(
        labels,
        [
          { name: 'Drift share', data: batches.map((b) => b.share) },
          { name: 'Threshold', data: batches.map((b) => b.shareThreshold), dashed: true },
        ],
        1,
      ),
      scores: lineOption(labels, columnNames.map((name) => ({ name, data: batches.map((b) => finite(b.columns.find((c) => c.name === name)?.score)) }))),
      performance: lineOption(labels, metricNames.map((name) => ({ name, data: batches.map((b) => finite(b.performance?.metrics[name])) }))),
    };
  }, [batches]);
  const shareText = batches.map((b) => `${b.label} ${(b.share * 100).toFixed(0)}%${b.datasetDrift ? ' drift' : ''}`).join(', ');
  return (
    <div className="run-cards">
      <InfoCard title="Drift share per batch" wide>
        <Chart option={share} height={220} label={`Drift share per batch against the threshold: ${shareText}`} />
      </InfoCard>
      <InfoCard title="Column scores" wide>
        <p className="muted field-help">p-values (a drift when below the threshold) or distances (a drift when above), per batch.</p>
        <Chart option={scores} height={240} label={`Scores per batch of ${columnNames.length} columns`} />
      </InfoCard>
      {metricNames.length > 0 ? (
        <InfoCard title="Model performance" wide>
          <Chart option={performance} height={220} label={`Model metrics per batch: ${metricNames.join(', ')}`} />
        </InfoCard>
      ) : null}
    </div>
  );
}
