// Runs in: renderer. The pipeline DAG, laid out by dagre (left to right) and drawn by echarts, with
// each stage coloured by its live or planned state. Clicking a stage selects it.
import dagre from '@dagrejs/dagre';
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import type { PipelineStage } from '../../../../shared/contract';
import { useDarkMode } from '../../hooks/use-dark-mode';

echarts.use([GraphChart, TooltipComponent, CanvasRenderer]);

export type StageState =
  | 'will-run'
  | 'up-to-date'
  | 'frozen'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

const COLOURS: Record<StageState, { light: string; dark: string }> = {
  'up-to-date': { light: '#8a94a6', dark: '#6b7686' },
  frozen: { light: '#6b7bd1', dark: '#8090e0' },
  'will-run': { light: '#d69e2e', dark: '#ecc94b' },
  queued: { light: '#a0aec0', dark: '#718096' },
  running: { light: '#2f6fde', dark: '#5b93f5' },
  succeeded: { light: '#1f8a4c', dark: '#48bb78' },
  failed: { light: '#c53030', dark: '#fc8181' },
  skipped: { light: '#a0aec0', dark: '#4a5568' },
  cancelled: { light: '#718096', dark: '#a0aec0' },
};

const NODE_W = 150;
const NODE_H = 44;

export function layout(stages: PipelineStage[]): {
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
} {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 60, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of stages) g.setNode(s.name, { width: NODE_W, height: NODE_H });
  for (const s of stages) for (const a of s.after) g.setEdge(a, s.name);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const s of stages) {
    const n = g.node(s.name);
    positions.set(s.name, { x: n.x, y: n.y });
  }
  const graph = g.graph();
  return { positions, width: graph.width ?? 0, height: graph.height ?? 0 };
}

export function DagGraph({
  stages,
  states,
  selected,
  onSelect,
}: {
  stages: PipelineStage[];
  states: Record<string, StageState>;
  selected: string | null;
  onSelect: (stage: string) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const dark = useDarkMode();
  const { positions, height } = useMemo(() => layout(stages), [stages]);

  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, dark ? 'dark' : undefined);
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, [dark]);

  useEffect(() => {
    const chart = chartRef.current;
    // echarts' graph view cannot lay out in a zero-sized box (a hidden or detached element).
    if (!chart || !ref.current?.clientWidth || !ref.current.clientHeight) return;
    const colour = (name: string) => COLOURS[states[name] ?? 'up-to-date'][dark ? 'dark' : 'light'];
    chart.setOption(
      {
        backgroundColor: 'transparent',
        animation: false,
        tooltip: {
          formatter: (p: { data?: { name?: string; value?: string } }) =>
            p.data?.name ? `${p.data.name}: ${p.data.value ?? ''}` : '',
        },
        series: [
          {
            type: 'graph',
            layout: 'none',
            roam: false,
            symbol: 'roundRect',
            symbolSize: [NODE_W, NODE_H],
            edgeSymbol: ['none', 'arrow'],
            edgeSymbolSize: 8,
            label: { show: true, color: '#fff', fontWeight: 600, fontSize: 12 },
            lineStyle: { color: dark ? '#718096' : '#a0aec0', width: 1.5, curveness: 0.1 },
            data: stages.map((s) => ({
              name: s.name,
              value: states[s.name] ?? 'up-to-date',
              x: positions.get(s.name)!.x,
              y: positions.get(s.name)!.y,
              itemStyle: {
                color: colour(s.name),
                borderColor: s.name === selected ? (dark ? '#fff' : '#1d2330') : 'transparent',
                borderWidth: 3,
              },
            })),
            links: stages.flatMap((s) => s.after.map((a) => ({ source: a, target: s.name }))),
          },
        ],
      },
      { notMerge: true },
    );
    chart.off('click');
    chart.on('click', (p) => {
      if (p.dataType === 'node' && typeof p.name === 'string') onSelect(p.name);
    });
  }, [stages, states, selected, positions, dark, onSelect]);

  return (
    <div
      ref={ref}
      className="dag"
      style={{ height: Math.max(140, height + 20) }}
      role="img"
      aria-label={`Pipeline graph: ${stages.map((s) => `${s.name} ${states[s.name] ?? ''}`).join(', ')}`}
    />
  );
}
