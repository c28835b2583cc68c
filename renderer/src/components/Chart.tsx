// Runs in: renderer. A small echarts wrapper that follows the light/dark theme and resizes.
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useDarkMode } from '../hooks/use-dark-mode';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 140,
  label,
  renderer = 'canvas',
}: {
  option: ChartOption;
  height?: number;
  label: string;
  /** SVG keeps a small chart's text (run names under bars) as text: selectable, findable, testable. */
  renderer?: 'canvas' | 'svg';
}) {
  const ref = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, dark ? 'dark' : undefined, { renderer });
    chart.setOption({ backgroundColor: 'transparent', animation: false, ...option });
    // The wrapper is the image, with its label; the SVG inside is its drawing, not a second image.
    ref.current.querySelector('svg')?.setAttribute('aria-hidden', 'true');
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option, dark, renderer]);
  return <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} />;
}
