// Runs in: renderer. The chart options of a monitor's timeline, built from its batches (kept apart
// from the component so tests can check what each chart is given without a DOM).
import type { MonitorBatch } from '../../../../shared/contract';
import type { EChartsCoreOption as ChartOption } from 'echarts/core';

export function lineOption(
  labels: string[],
  series: { name: string; data: (number | null)[]; dashed?: boolean }[],
  yMax?: number,
): ChartOption {
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
export function finite(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

export interface TimelineOptions {
  share: ChartOption;
  scores: ChartOption;
  performance: ChartOption;
  latency: ChartOption;
  errors: ChartOption;
  columnNames: string[];
  metricNames: string[];
  /** The batches are windows of a prediction log with the endpoint's figures. */
  hasServing: boolean;
}

export function timelineOptions(batches: MonitorBatch[]): TimelineOptions {
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
    scores: lineOption(
      labels,
      columnNames.map((name) => ({
        name,
        data: batches.map((b) => finite(b.columns.find((c) => c.name === name)?.score)),
      })),
    ),
    performance: lineOption(
      labels,
      metricNames.map((name) => ({ name, data: batches.map((b) => finite(b.performance?.metrics[name])) })),
    ),
    hasServing: batches.some((b) => Boolean(b.serving)),
    latency: lineOption(
      labels,
      (['latency_p50', 'latency_p95', 'latency_p99'] as const).map((key) => ({
        name: key.replace('latency_', ''),
        data: batches.map((b) => finite(b.serving?.[key])),
      })),
    ),
    errors: lineOption(labels, [{ name: 'Error rate', data: batches.map((b) => finite(b.serving?.error_rate)) }], 1),
  };
}
