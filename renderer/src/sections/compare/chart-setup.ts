// Runs in: renderer. Registers the echarts pieces the run page and Compare draw with (lines,
// scatter, parallel coordinates, legends, zoom); components/Chart.tsx registers bars only.
import { LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, LegendComponent, ParallelComponent } from 'echarts/components';
import * as echarts from 'echarts/core';

echarts.use([LineChart, ScatterChart, ParallelChart, LegendComponent, ParallelComponent, DataZoomComponent]);

/** The same Tableau 10 palette as the HTML reports, so a run has one colour everywhere. */
export const RUN_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export const runColor = (i: number): string => RUN_COLORS[i % RUN_COLORS.length]!;
