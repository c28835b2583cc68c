// Runs in: main (core) and CLI. The monitor report's drift heatmap, drawn by ECharts' SSR renderer like
// every report chart: column × batch, each cell coloured by its severity against its own test's
// threshold (shared/charts/drift-cells.ts, the app's heatmap uses the same cells), × on a drift.
import { NO_SCORE_COLOR, SEVERITY_BANDS, type DriftGrid } from '../../../shared/charts/drift-cells';
import { renderEchartsSvg, titleOption } from './echarts-svg';
import type { Html } from './html';

const TEXT = '#5f6b7a';
const short = (label: string, max: number): string => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

export function driftHeatmapSvg(spec: { title: string; grid: DriftGrid; width?: number }): Html {
  const { grid } = spec;
  const rows = grid.columns.length;
  const names = grid.columns.map((n) => short(n, 22));
  const left = 20 + Math.round(Math.max(4, ...names.map((n) => n.length)) * 6.2);
  const cell = 26;
  const width = spec.width ?? Math.max(560, Math.min(1100, left + 24 + grid.batches.length * 44));
  // Batch labels turn when they would not fit side by side under their cells.
  const slot = (width - left - 16) / Math.max(1, grid.batches.length);
  const longest = Math.max(1, ...grid.batches.map((b) => short(b, 14).length));
  const rotate = longest * 6 > slot - 4 ? 40 : 0;
  const xLabels = rotate ? Math.round(longest * 4.6) + 10 : 18;
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      grid: { left, right: 16, top: 36, bottom: xLabels + 34 },
      xAxis: {
        type: 'category',
        data: grid.batches.map((b) => short(b, 14)),
        axisLabel: { color: TEXT, fontSize: 10, interval: 0, rotate, hideOverlap: true },
        axisTick: { show: false },
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        // y runs bottom-up in ECharts; the first column goes on top, as in the tables.
        data: [...names].reverse(),
        axisLabel: { color: TEXT, fontSize: 10, interval: 0 },
        axisTick: { show: false },
      },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 4,
        itemWidth: 14,
        itemHeight: 10,
        itemGap: 14,
        selectedMode: false,
        textStyle: { color: TEXT, fontSize: 11 },
        pieces: SEVERITY_BANDS.map((b) => ({ min: b.min, max: b.max, label: b.label, color: b.color })),
        outOfRange: { color: NO_SCORE_COLOR },
      },
      series: [
        {
          type: 'heatmap',
          silent: true,
          data: grid.cells.map((c) => ({
            value: [c.x, rows - 1 - c.y, c.severity === null ? '-' : c.severity],
            label: { show: c.drifted },
          })),
          label: { show: false, formatter: '×', color: '#1d2330', fontSize: 13, fontWeight: 700 },
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
        },
      ],
    },
    { width, height: 36 + rows * cell + xLabels + 34 + 8 },
    spec.title,
  );
}
