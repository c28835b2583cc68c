// Runs in: renderer. The chart options of a monitor's timeline, built from its batches (kept apart
// from the component so tests can check what each chart is given without a DOM).
import type { EChartsCoreOption as ChartOption } from 'echarts/core';
import { cellText, driftCells, NO_SCORE_COLOR, SEVERITY_BANDS } from '../../../../shared/charts/drift-cells';
import type { MonitorBatch } from '../../../../shared/contract';
import { formatValue } from '../../../../shared/format/number';

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
  /** Drift per column (rows) and batch (columns), coloured by severity against each test's threshold. */
  heatmap: ChartOption;
  performance: ChartOption;
  latency: ChartOption;
  errors: ChartOption;
  /** The tested columns, in the heatmap's order (top first). */
  columnNames: string[];
  /** How many cells drifted, for the chart's label. */
  driftedCells: number;
  metricNames: string[];
  /** The batches are windows of a prediction log with the endpoint's figures. */
  hasServing: boolean;
}

export function timelineOptions(batches: MonitorBatch[]): TimelineOptions {
  const labels = batches.map((b) => b.label);
  const grid = driftCells(batches);
  const metricNames = [...new Set(batches.flatMap((b) => Object.keys(b.performance?.metrics ?? {})))];
  return {
    columnNames: grid.columns,
    driftedCells: grid.cells.filter((c) => c.drifted).length,
    metricNames,
    share: lineOption(
      labels,
      [
        { name: 'Drift share', data: batches.map((b) => b.share) },
        { name: 'Threshold', data: batches.map((b) => b.shareThreshold), dashed: true },
      ],
      1,
    ),
    heatmap: heatmapOption(batches),
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

type HeatItem = { value: [number, number, number | '-']; drifted: boolean; text: string };

/**
 * Column × batch, each cell coloured by its band of severity (shared/charts/drift-cells.ts), so a
 * p-value and a distance mean the same colour when equally far past their thresholds. Drifted cells
 * carry a × so the verdict does not rest on colour alone; hover says the score and the test.
 */
export function heatmapOption(batches: MonitorBatch[]): ChartOption {
  const grid = driftCells(batches);
  const rows = grid.columns.length;
  const data: HeatItem[] = grid.cells.map((c) => ({
    // y runs bottom-up in ECharts; the first column goes on top.
    value: [c.x, rows - 1 - c.y, c.severity === null ? '-' : c.severity],
    drifted: c.drifted,
    text: cellText(c, formatValue),
  }));
  const longest = Math.max(4, ...grid.columns.map((n) => Math.min(n.length, 22)));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: HeatItem }) => (p.data ? p.data.text : ''),
    },
    // About 8 px a character at the app's 12 px labels, so a name is cut only past 22 characters.
    grid: { left: 20 + longest * 8, right: 16, top: 8, bottom: 64 },
    xAxis: { type: 'category', data: grid.batches, splitArea: { show: false }, axisTick: { show: false } },
    yAxis: {
      type: 'category',
      data: [...grid.columns].reverse(),
      axisTick: { show: false },
      axisLabel: { interval: 0, width: 8 + longest * 8, overflow: 'truncate' },
    },
    visualMap: {
      type: 'piecewise',
      dimension: 2,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 14,
      itemHeight: 10,
      selectedMode: false,
      pieces: SEVERITY_BANDS.map((b) => ({ min: b.min, max: b.max, label: b.label, color: b.color })),
      outOfRange: { color: NO_SCORE_COLOR },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: true,
          color: '#1d2330',
          fontWeight: 700,
          formatter: (p: { data?: HeatItem }) => (p.data?.drifted ? '×' : ''),
        },
        itemStyle: { borderColor: 'rgba(128,128,128,0.35)', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#1d2330', borderWidth: 2 } },
      },
    ],
  };
}

/** One column's score per batch against its threshold (dashed); a NaN score is a gap. */
export function columnLineOption(batches: MonitorBatch[], column: string): ChartOption {
  const of = batches.map((b) => b.columns.find((c) => c.name === column && c.test !== null));
  const first = of.find((c) => c !== undefined);
  const kind = first?.scoreKind === 'p_value' ? 'p-value' : 'distance';
  const option = lineOption(
    batches.map((b) => b.label),
    [
      { name: `${column} (${first?.test ?? ''} ${kind})`, data: of.map((c) => finite(c?.score)) },
      { name: 'Threshold', data: of.map((c) => c?.threshold ?? null), dashed: true },
    ],
  );
  return { ...option, yAxis: { type: 'value', name: kind, nameTextStyle: { align: 'left' } } };
}
