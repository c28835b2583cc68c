// Runs in: main (core) and CLI. Charts for self-contained reports drawn by ECharts' server-side SVG
// renderer: the same library as the app's live charts, so a report looks like the screen, but the
// output is a static SVG string (no script, no fonts or images fetched, no animation).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EChartsOption } from 'echarts';
import { formatValue, html, trusted, type Html } from './html';
import { PALETTE } from './svg-charts';

type EChartsModule = Pick<typeof import('echarts'), 'init'>;
let echartsModule: EChartsModule | null = null;

/**
 * ECharts is large (about 250 ms to parse on a busy machine even when never called), so it is not
 * in main.cjs or cli.cjs: the built app loads dist/echarts-ssr.cjs on the first chart, and CLI
 * commands that draw nothing never read it. Run from source (tests), it comes from node_modules.
 */
function echarts(): EChartsModule {
  if (!echartsModule) {
    const bundled = path.join(__dirname, 'echarts-ssr.cjs');
    echartsModule = (existsSync(bundled) ? require(bundled) : require('echarts')) as EChartsModule;
  }
  return echartsModule;
}

export const REFERENCE_COLOR = PALETTE[0]!;
export const CURRENT_COLOR = PALETTE[1]!;
export const DRIFT_COLOR = PALETTE[2]!;
const TEXT = '#5f6b7a';
const LINE = '#d9dee5';
// Unquoted family names only: ECharts writes the font into a double-quoted style attribute.
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

/** Rounds every decimal number inside attribute values to one place: the bulk of an SVG's bytes. */
function roundAttributes(svg: string): string {
  return svg.replace(
    /="([^"]*)"/g,
    (_m, value: string) => `="${value.replace(/(-?\d+\.\d)\d+/g, '$1').replace(/(\d)\.0(?!\d)/g, '$1')}"`,
  );
}

/**
 * Turns ECharts' SSR output into a static, deterministic fragment: hover styles, the data attributes
 * its client runtime reads and pointer hints go (nothing reads them without script), and its ids,
 * numbered by a process-wide counter, are renamed after the chart's content so the same input gives
 * the same bytes and two charts on one page never share an id.
 */
export function staticSvg(raw: string, key: string, title: string): string {
  let svg = raw
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ pointer-events="[^"]*"/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ xmlns:xlink="[^"]*"| version="1\.1"| baseProfile="full"/g, '')
    .replace(/<rect width="\d+" height="\d+" x="0" y="0" fill="none"><\/rect>\n?/, '')
    // Hit areas and transparent backgrounds of the legend and title: invisible without interaction.
    .replace(/<path [^>]*><\/path>/g, (el) =>
      (/ fill="none"/.test(el) && !/ stroke=/.test(el)) || / fill-opacity="0" stroke="[^"]*" stroke-width="0"/.test(el)
        ? ''
        : el,
    )
    // One font declaration on the root (inherited) instead of one per label.
    .replace(/font-family:[^;"]*;?/g, '')
    .replace(/ style=""/g, '')
    .replace(/\bzr\d+-/g, `c${key}-`)
    .replace(/\n/g, '');
  svg = roundAttributes(svg);
  const label = html`${title}`.text;
  // The page's stylesheet frames charts by class; the title makes the chart readable to a screen reader.
  return svg
    .replace(/^<svg /, `<svg class="chart echart" role="img" aria-label="${label}" font-family="${FONT}" `)
    .replace(/^(<svg[^>]*>)/, `$1<title>${label}</title>`);
}

export interface ChartSize {
  width: number;
  height: number;
}

/** Renders one ECharts option to a static SVG string; the instance is disposed whatever happens. */
export function renderEchartsSvg(option: EChartsOption, size: ChartSize, title: string): Html {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT, fontSize: 11, color: TEXT },
      ...option,
    });
    const raw = chart.renderToSVGString();
    const key = createHash('sha256')
      .update(JSON.stringify(option))
      .update(`${size.width}x${size.height}`)
      .digest('hex')
      .slice(0, 8);
    return trusted(staticSvg(raw, key, title));
  } finally {
    chart.dispose();
  }
}

const titleOption = (text: string) => ({
  text: text.length > 80 ? `${text.slice(0, 79)}…` : text,
  left: 8,
  top: 4,
  textStyle: { fontSize: 13, fontWeight: 600 as const, color: '#1d2330', fontFamily: FONT },
});
const valueAxis = (extra: Record<string, unknown> = {}) => ({
  type: 'value' as const,
  splitNumber: 3,
  axisLabel: { color: TEXT, fontSize: 10, formatter: (v: number) => formatValue(v) },
  splitLine: { lineStyle: { color: LINE } },
  ...extra,
});
const short = (label: string, max = 14): string => (label.length > max ? `${label.slice(0, max - 1)}…` : label);
/** Non-finite values cannot be drawn; ECharts leaves a gap for '-'. */
const finite = (v: number | null | undefined): number | '-' =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : Number(v.toPrecision(4));

export interface HistogramSpec {
  title: string;
  /** Numeric: bin edges (one more than the shares). */
  edges?: readonly number[] | null;
  /** Categorical: one key per share. */
  keys?: readonly string[] | null;
  reference: readonly number[];
  current: readonly number[];
  width?: number;
}

/** Reference and current shares per bin, overlaid (translucent bars on one axis). */
export function histogramSvg(spec: HistogramSpec): Html {
  const n = Math.max(spec.reference.length, spec.current.length);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    if (spec.keys && spec.keys[i] !== undefined) labels.push(short(spec.keys[i]!));
    else if (spec.edges && spec.edges[i] !== undefined) labels.push(formatValue(Number(spec.edges[i]!.toPrecision(3))));
    else labels.push(String(i + 1));
  }
  const bar = (name: string, color: string, data: readonly number[]) => ({
    name,
    type: 'bar' as const,
    data: data.map((v) => finite(v)),
    barGap: '-100%',
    barCategoryGap: '8%',
    itemStyle: { color, opacity: 0.55 },
    silent: true,
  });
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      // Under the plot: a long column name in the title then never runs into it.
      legend: {
        bottom: 2,
        left: 'center',
        itemWidth: 14,
        itemHeight: 10,
        textStyle: { color: TEXT, fontSize: 11 },
        selectedMode: false,
      },
      grid: { left: 44, right: 12, top: 34, bottom: 46 },
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: TEXT, fontSize: 10, hideOverlap: true },
        axisTick: { show: false },
        axisLine: { lineStyle: { color: TEXT } },
      },
      yAxis: valueAxis(),
      series: [bar('reference', REFERENCE_COLOR, spec.reference), bar('current', CURRENT_COLOR, spec.current)],
    },
    { width: spec.width ?? 520, height: 236 },
    spec.title,
  );
}

export interface ScoreBar {
  name: string;
  score: number | null;
  threshold: number | null;
  drifted: boolean;
}

/**
 * One horizontal bar per column with its threshold as a tick across the bar. Drifted columns are
 * drawn in red and also carry "(drift)" in their label, so the chart reads without colour.
 */
export function scoreBarsSvg(spec: {
  title: string;
  bars: readonly ScoreBar[];
  width?: number;
  axisName?: string;
}): Html {
  const bars = [...spec.bars].reverse();
  const labels = bars.map((b) => `${short(b.name, 22)}${b.drifted ? ' (drift)' : ''}`);
  const height = Math.max(120, 56 + bars.length * 16);
  // Room for the longest label, measured here: ECharts cannot measure text without a canvas.
  const left = 12 + Math.round(Math.max(4, ...labels.map((l) => l.length)) * 5.8);
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      legend: {
        top: 4,
        right: 8,
        itemWidth: 14,
        itemHeight: 10,
        textStyle: { color: TEXT, fontSize: 11 },
        selectedMode: false,
        data: ['score', 'threshold'],
      },
      grid: { left, right: 16, top: 32, bottom: 30 },
      yAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: TEXT, fontSize: 10, interval: 0 },
        axisTick: { show: false },
        axisLine: { lineStyle: { color: TEXT } },
      },
      xAxis: valueAxis({
        name: spec.axisName ?? '',
        nameLocation: 'middle',
        nameGap: 20,
        nameTextStyle: { color: TEXT, fontSize: 10 },
      }),
      series: [
        {
          name: 'score',
          type: 'bar',
          barWidth: 9,
          silent: true,
          itemStyle: { color: REFERENCE_COLOR },
          data: bars.map((b) => ({
            value: finite(b.score),
            itemStyle: { color: b.drifted ? DRIFT_COLOR : REFERENCE_COLOR },
          })),
        },
        {
          name: 'threshold',
          type: 'scatter',
          symbol: 'rect',
          symbolSize: [2, 14],
          silent: true,
          itemStyle: { color: '#1d2330' },
          data: bars.map((b) => finite(b.threshold)),
        },
      ],
    },
    { width: spec.width ?? 560, height },
    spec.title,
  );
}

/** A confusion matrix as a heatmap: rows are the true class, columns the predicted one, counts in the cells. */
export function confusionHeatmapSvg(spec: {
  title: string;
  labels: readonly string[];
  matrix: readonly (readonly number[])[];
  width?: number;
}): Html {
  const labels = spec.labels.map((l) => short(l, 12));
  const data: [number, number, number][] = [];
  let max = 0;
  spec.matrix.forEach((row, t) =>
    row.forEach((count, p) => {
      // y runs bottom-up in ECharts; the first true class goes on top, as in a printed matrix.
      data.push([p, labels.length - 1 - t, count]);
      if (count > max) max = count;
    }),
  );
  const side = Math.min(44, Math.max(18, Math.floor(300 / Math.max(1, labels.length))));
  const left = 24 + Math.round(Math.max(3, ...labels.map((l) => l.length)) * 5.8);
  const width = spec.width ?? Math.max(340, left + 20 + side * labels.length);
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      grid: { left, right: 12, top: 34, bottom: 36 },
      xAxis: {
        type: 'category',
        data: labels,
        name: 'predicted',
        nameLocation: 'middle',
        nameGap: 22,
        nameTextStyle: { color: TEXT, fontSize: 10 },
        axisLabel: { color: TEXT, fontSize: 10, interval: 0, hideOverlap: true },
        axisTick: { show: false },
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        data: [...labels].reverse(),
        name: 'true',
        nameLocation: 'middle',
        nameGap: left - 14,
        nameTextStyle: { color: TEXT, fontSize: 10 },
        axisLabel: { color: TEXT, fontSize: 10, interval: 0 },
        axisTick: { show: false },
      },
      visualMap: { show: false, min: 0, max: Math.max(1, max), inRange: { color: ['#f2f5f9', REFERENCE_COLOR] } },
      series: [
        {
          type: 'heatmap',
          data,
          silent: true,
          label: { show: labels.length <= 12, fontSize: 10, color: '#1d2330' },
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
        },
      ],
    },
    { width, height: Math.max(180, 90 + side * labels.length) },
    spec.title,
  );
}

export interface TimelineSpec {
  title: string;
  /** One label per batch, in order. */
  x: readonly string[];
  series: readonly { name: string; values: readonly (number | null)[] }[];
  threshold?: number | null;
  yName?: string;
  width?: number;
}

/** Per-batch values as lines with a dashed threshold line: monitors draw their timelines with this. */
export function timelineSvg(spec: TimelineSpec): Html {
  const thresholdLine =
    spec.threshold !== null && spec.threshold !== undefined && Number.isFinite(spec.threshold)
      ? {
          silent: true,
          symbol: 'none',
          label: {
            formatter: `threshold ${formatValue(spec.threshold)}`,
            color: DRIFT_COLOR,
            fontSize: 10,
            position: 'insideEndTop' as const,
          },
          lineStyle: { color: DRIFT_COLOR, type: 'dashed' as const, width: 1 },
          data: [{ yAxis: spec.threshold }],
        }
      : undefined;
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      color: [...PALETTE],
      legend: {
        top: 4,
        right: 8,
        itemWidth: 14,
        itemHeight: 10,
        textStyle: { color: TEXT, fontSize: 11 },
        selectedMode: false,
      },
      grid: { left: 44, right: 16, top: 34, bottom: 28 },
      xAxis: {
        type: 'category',
        data: spec.x.map((x) => short(x, 12)),
        boundaryGap: false,
        axisLabel: { color: TEXT, fontSize: 10, hideOverlap: true },
        axisLine: { lineStyle: { color: TEXT } },
      },
      yAxis: valueAxis({ name: spec.yName ?? '', nameTextStyle: { color: TEXT, fontSize: 10 } }),
      series: spec.series.map((s, i) => ({
        name: s.name,
        type: 'line' as const,
        silent: true,
        symbolSize: 4,
        data: s.values.map((v) => finite(v)),
        ...(i === 0 && thresholdLine ? { markLine: thresholdLine } : {}),
      })),
    },
    { width: spec.width ?? 560, height: 220 },
    spec.title,
  );
}
