// Runs in: main (core) and CLI. Charts for self-contained reports drawn by ECharts' server-side SVG
// renderer: the same library as the app's live charts, so a report looks like the screen, but the
// output is a static SVG string (no script, no fonts or images fetched, no animation).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EChartsOption } from 'echarts';
import { formatValue } from '../../../shared/format/number';
import { html, trusted, type Html } from './html';

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

/** Tableau 10: distinct in print and for most colour-vision deficiencies. */
export const PALETTE = [
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

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length]!;

/** [min, max] without spreading into Math.min (which overflows the stack on long arrays). */
export function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
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

/**
 * Drops what ECharts adds for drawing in motion: the clip paths its series are wrapped in (with
 * animation off they clip nothing inside the auto-ranged axes, and a page stays free of url()
 * references), and the points of a polyline at a '-' value (NaN: a parallel-coordinates line is
 * broken there, see parallelCoordinates). The SVG namespace goes too: inside an HTML page the parser
 * gives <svg> its namespace, and the report then names no address at all.
 */
function unclipped(svg: string): string {
  return svg
    .replace(/ xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, '')
    .replace(/<clipPath id="[^"]*">[\s\S]*?<\/clipPath>/g, '')
    .replace(/<defs><\/defs>/g, '')
    .replace(/ clip-path="url\(#[^)]*\)"/g, '')
    .replace(/ points="([^"]*)"/g, (_m, points: string) => {
      const xy = points.trim().split(/\s+/);
      const kept: string[] = [];
      for (let i = 0; i + 1 < xy.length; i += 2)
        if (xy[i] !== 'NaN' && xy[i + 1] !== 'NaN') kept.push(`${xy[i]} ${xy[i + 1]}`);
      return ` points="${kept.join(' ')}"`;
    });
}

/** Renders one ECharts option to a static SVG string; the instance is disposed whatever happens. */
export function renderEchartsSvg(
  option: EChartsOption,
  size: ChartSize,
  title: string,
  opts: { unclip?: boolean } = {},
): Html {
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
    const svg = staticSvg(raw, key, title);
    return trusted(opts.unclip ? unclipped(svg) : svg);
  } finally {
    chart.dispose();
  }
}

export const titleOption = (text: string) => ({
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
  const width = spec.width ?? 560;
  // The legend goes under the plot and the axis name beside it: at the top they ran into the title.
  const rows = legendRows(
    spec.series.map((x) => x.name),
    width,
  );
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      color: [...PALETTE],
      legend: legendBelow(spec.series.map((x) => x.name)),
      grid: { left: spec.yName ? 62 : 48, right: 16, top: 36, bottom: 30 + rows * 18 },
      xAxis: {
        type: 'category',
        data: spec.x.map((x) => short(x, 12)),
        boundaryGap: false,
        axisLabel: { color: TEXT, fontSize: 10, hideOverlap: true },
        axisLine: { lineStyle: { color: TEXT } },
      },
      yAxis: valueAxis({
        name: spec.yName ?? '',
        nameLocation: 'middle',
        nameGap: 42,
        nameTextStyle: { color: TEXT, fontSize: 10 },
      }),
      series: spec.series.map((s, i) => ({
        name: short(s.name, 36),
        type: 'line' as const,
        silent: true,
        symbolSize: 4,
        data: s.values.map((v) => finite(v)),
        ...(i === 0 && thresholdLine ? { markLine: thresholdLine } : {}),
      })),
    },
    { width, height: 212 + rows * 18 },
    spec.title,
  );
}

// Charts of run comparisons and model cards. Series are told apart by colour and named in a legend
// under the plot; a long name is cut there and in axis labels (the full one is in the table beside).
const W = 600;
const H = 300;
const NOTE = '#8a94a3';

const legendBelow = (names: readonly string[]) => ({
  bottom: 2,
  left: 'center' as const,
  itemWidth: 14,
  itemHeight: 10,
  textStyle: { color: TEXT, fontSize: 11 },
  selectedMode: false,
  data: names.map((n) => short(n, 36)),
});
/** Rows the legend takes under the plot (its items wrap), so the plot keeps its height. */
const legendRows = (names: readonly string[], width: number): number => {
  let rows = names.length ? 1 : 0;
  let x = 0;
  for (const n of names) {
    const w = 22 + short(n, 36).length * 6.6 + 14;
    if (x + w > width - 40 && x > 0) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return rows;
};
const note = (text: string, where: Record<string, number | string>) => ({
  type: 'text' as const,
  ...where,
  silent: true,
  style: { text, fill: NOTE, fontSize: 11, fontFamily: FONT },
});
const nameAxis = (name: string, extra: Record<string, unknown> = {}) =>
  valueAxis({
    name: short(name, 40),
    nameLocation: 'middle',
    nameGap: 40,
    nameTextStyle: { color: TEXT, fontSize: 11 },
    ...extra,
  });

/** A chart with nothing to plot: its title and why. */
function emptyChart(title: string, why: string): Html {
  return renderEchartsSvg(
    { title: titleOption(title), graphic: [note(why, { left: 62, top: 56 })] },
    { width: W, height: 120 },
    title,
    { unclip: true },
  );
}

export interface LineSeries {
  name: string;
  xs: readonly number[];
  ys: readonly number[];
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** Log10 y axis; refused (drawn linear, with a note) when a value is zero or negative. */
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Several series overlaid on shared axes, with a legend. Non-finite points are left out. */
export function lineChart(spec: LineChartSpec): Html {
  const width = spec.width ?? W;
  const series = spec.series.map((s) => {
    const points: [number, number][] = [];
    for (let i = 0; i < Math.min(s.xs.length, s.ys.length); i++)
      if (Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i])) points.push([s.xs[i]!, s.ys[i]!]);
    return { name: s.name, points };
  });
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  if (ys.length === 0) return emptyChart(spec.title, 'No finite values to draw.');
  const wantLog = spec.logY === true;
  const log = wantLog && extent(ys)[0] > 0;
  const names = series.map((s) => s.name);
  const rows = legendRows(names, width);
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      color: [...PALETTE],
      legend: legendBelow(names),
      grid: { left: 62, right: 18, top: 34, bottom: 50 + rows * 18 },
      xAxis: nameAxis(spec.xLabel, { scale: true, nameGap: 24 }),
      yAxis: nameAxis(
        `${spec.yLabel}${log ? ' (log)' : ''}`,
        log ? { type: 'log', splitNumber: undefined } : { scale: true },
      ),
      series: series.map((s) => ({
        name: short(s.name, 36),
        type: 'line' as const,
        silent: true,
        // A run with one point is a dot; longer ones are lines without markers.
        showSymbol: s.points.length === 1,
        symbolSize: 6,
        clip: false,
        data: s.points,
      })),
      ...(wantLog && !log ? { graphic: [note('log scale not possible: values ≤ 0', { right: 18, top: 8 })] } : {}),
    },
    { width, height: (spec.height ?? H) + rows * 18 },
    spec.title,
    { unclip: true },
  );
}

export interface Bar {
  label: string;
  /** null: no value (the run never logged it). */
  value: number | null;
}

/** Vertical bars from zero; a bar whose value is NaN, ±∞ or missing is labelled instead of drawn. */
export function barChart(spec: { title: string; yLabel: string; bars: readonly Bar[]; width?: number }): Html {
  if (spec.bars.length === 0) return emptyChart(spec.title, 'Nothing to draw.');
  const labels = spec.bars.map((b) => short(b.label, 14));
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      grid: { left: 62, right: 18, top: 34, bottom: 30 },
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: TEXT, fontSize: 10, interval: 0, hideOverlap: true },
        axisTick: { show: false },
        axisLine: { onZero: true, lineStyle: { color: TEXT } },
      },
      yAxis: nameAxis(spec.yLabel, { nameGap: 44 }),
      series: [
        {
          type: 'bar',
          silent: true,
          barMaxWidth: 60,
          clip: false,
          data: spec.bars.map((b, i) => {
            if (b.value !== null && Number.isFinite(b.value))
              return { value: Number(b.value.toPrecision(6)), itemStyle: { color: colorAt(i) } };
            // No bar: the reason, written at zero.
            const what = b.value === null ? 'none' : Number.isNaN(b.value) ? 'NaN' : b.value > 0 ? '∞' : '−∞';
            return {
              value: 0,
              itemStyle: { color: 'transparent' },
              label: { show: true, position: 'top' as const, formatter: what, color: NOTE, fontSize: 11 },
            };
          }),
        },
      ],
    },
    { width: spec.width ?? W, height: H },
    spec.title,
    { unclip: true },
  );
}

export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
}

/** One dot per point (a run, say), coloured in order; non-finite points are left out. */
export function scatterChart(spec: {
  title: string;
  xLabel: string;
  yLabel: string;
  points: readonly ScatterPoint[];
  width?: number;
}): Html {
  const pts = spec.points.map((p, i) => ({ ...p, i })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (pts.length === 0) return emptyChart(spec.title, 'No point has finite values on both axes.');
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      grid: { left: 62, right: 18, top: 34, bottom: 50 },
      xAxis: nameAxis(spec.xLabel, { scale: true, nameGap: 24 }),
      yAxis: nameAxis(spec.yLabel, { scale: true }),
      series: [
        {
          type: 'scatter',
          silent: true,
          symbolSize: 10,
          clip: false,
          data: pts.map((p) => ({ value: [p.x, p.y], name: p.label, itemStyle: { color: colorAt(p.i) } })),
        },
      ],
    },
    { width: spec.width ?? W, height: H },
    spec.title,
    { unclip: true },
  );
}

export interface ParallelAxis {
  name: string;
}

export interface ParallelLine {
  name: string;
  /** One value per axis: a number, a category, or null where the line has no value. */
  values: readonly (number | string | null)[];
}

/**
 * Parallel coordinates: one vertical axis per dimension (numeric ones scaled with nice ticks,
 * categorical ones with their values spread evenly), one polyline per line; a missing or
 * non-finite value breaks the line there (each unbroken piece is drawn as a line of its own).
 */
export function parallelCoordinates(spec: {
  title: string;
  axes: readonly ParallelAxis[];
  lines: readonly ParallelLine[];
  width?: number;
}): Html {
  const width = spec.width ?? W;
  if (spec.axes.length < 2 || spec.lines.length === 0)
    return emptyChart(spec.title, 'Needs at least two dimensions and one line.');
  const present = (v: number | string | null | undefined): v is number | string =>
    v !== null && v !== undefined && (typeof v === 'string' || Number.isFinite(v));
  const axes = spec.axes.map((ax, a) => {
    const vals = spec.lines.map((l) => l.values[a]).filter(present);
    const numeric = vals.length > 0 && vals.every((v) => typeof v === 'number');
    const gap = (width - 140) / Math.max(1, spec.axes.length - 1);
    const common = {
      dim: a,
      name: short(ax.name, Math.max(6, Math.floor(gap / 6.5))),
      nameLocation: 'start' as const,
      nameGap: 14,
      nameTextStyle: { color: TEXT, fontSize: 11 },
      axisLabel: { color: TEXT, fontSize: 10 },
      axisLine: { lineStyle: { color: TEXT } },
    };
    return numeric
      ? { ...common, type: 'value' as const, scale: true, axisLabel: { ...common.axisLabel, formatter: formatValue } }
      : { ...common, type: 'category' as const, data: [...new Set(vals.map(String))].sort().map((c) => short(c, 14)) };
  });
  const cell = (v: number | string, a: number): number | string =>
    axes[a]!.type === 'category' ? short(String(v), 14) : (v as number);
  // Each unbroken run of values is a piece: a row with '-' in every other dimension would be drawn
  // through them, so pieces are series of their own, coloured like their line.
  const series = spec.lines.flatMap((line, i) => {
    const pieces: (number | string)[][] = [];
    let piece: (number | string)[] | null = null;
    spec.axes.forEach((_, a) => {
      const v = line.values[a];
      if (!present(v)) {
        piece = null;
        return;
      }
      if (!piece) {
        piece = spec.axes.map(() => '-');
        pieces.push(piece);
      }
      piece[a] = cell(v, a);
    });
    return pieces.map((data) => ({
      name: short(line.name, 36),
      type: 'parallel' as const,
      silent: true,
      lineStyle: { color: colorAt(i), width: 2, opacity: 0.9 },
      data: [data],
    }));
  });
  const names = spec.lines.map((l) => l.name);
  const rows = legendRows(names, width);
  return renderEchartsSvg(
    {
      title: titleOption(spec.title),
      legend: {
        ...legendBelow(names),
        data: names.map((n, i) => ({ name: short(n, 36), itemStyle: { color: colorAt(i) } })),
      },
      parallel: { left: 60, right: 80, top: 40, bottom: 44 + rows * 18 },
      parallelAxis: axes,
      series,
    },
    { width, height: H + rows * 18 },
    spec.title,
    { unclip: true },
  );
}
