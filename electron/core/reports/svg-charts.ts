// Runs in: main (core) and CLI. Static SVG charts for self-contained reports: pure functions from
// data to markup, no script, no fonts to fetch. Every label goes through the escaping template.
import { html, join, type Html } from './html';
import { linearScale, logScale, tickLabel as defaultTickLabel, type Scale } from './scale';

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

const W = 600;
const H = 300;
const PAD = { top: 30, right: 18, bottom: 44, left: 62 };

const r1 = (v: number): string => String(Math.round(v * 10) / 10);

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

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function frame(width: number, height: number, title: string, body: Html): Html {
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}"><title>${title}</title><text class="chart-title" x="${PAD.left}" y="18">${truncate(title, 90)}</text>${body}</svg>`;
}

function emptyChart(title: string, why: string): Html {
  return frame(W, 120, title, html`<text class="chart-note" x="${PAD.left}" y="64">${why}</text>`);
}

function yAxis(scale: Scale, x0: number, x1: number, label: string): Html {
  const lines = scale.ticks.map(
    (t) =>
      html`<line class="grid" x1="${x0}" x2="${x1}" y1="${r1(scale(t))}" y2="${r1(scale(t))}"/><text class="tick" x="${x0 - 6}" y="${r1(scale(t) + 4)}" text-anchor="end">${defaultTickLabel(t)}</text>`,
  );
  const mid = (scale(scale.domain[0]) + scale(scale.domain[1])) / 2;
  return html`${join(lines)}<text class="axis-label" transform="translate(14 ${r1(mid)}) rotate(-90)" text-anchor="middle">${truncate(label, 40)}</text>`;
}

function xAxis(scale: Scale, y: number, y0: number, label: string, width: number): Html {
  const ticks = scale.ticks.map(
    (t) =>
      html`<line class="grid" x1="${r1(scale(t))}" x2="${r1(scale(t))}" y1="${y0}" y2="${y}"/><text class="tick" x="${r1(scale(t))}" y="${y + 16}" text-anchor="middle">${defaultTickLabel(t)}</text>`,
  );
  return html`${join(ticks)}<text class="axis-label" x="${r1((PAD.left + width - PAD.right) / 2)}" y="${y + 34}" text-anchor="middle">${truncate(label, 60)}</text>`;
}

/** A legend in rows under the plot; returns its markup and height. */
function legend(names: readonly string[], top: number, width: number): { svg: Html; height: number } {
  const items: Html[] = [];
  let x = PAD.left;
  let y = top;
  for (const [i, name] of names.entries()) {
    const label = truncate(name, 36);
    const w = 22 + label.length * 6.6 + 14;
    if (x + w > width - PAD.right && x > PAD.left) {
      x = PAD.left;
      y += 18;
    }
    items.push(
      html`<g class="legend-item"><rect x="${r1(x)}" y="${y - 9}" width="14" height="10" rx="2" fill="${colorAt(i)}"/><text x="${r1(x + 20)}" y="${y}">${label}<title>${name}</title></text></g>`,
    );
    x += w;
  }
  return { svg: html`<g class="legend">${join(items)}</g>`, height: names.length ? y - top + 22 : 0 };
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
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < Math.min(s.xs.length, s.ys.length); i++) {
      if (Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i])) {
        xs.push(s.xs[i]!);
        ys.push(s.ys[i]!);
      }
    }
    return { name: s.name, xs, ys };
  });
  const all = series.flatMap((s) => s.ys);
  if (all.length === 0) return emptyChart(spec.title, 'No finite values to draw.');
  const xsAll = series.flatMap((s) => s.xs);
  const leg = legend(
    series.map((s) => s.name),
    (spec.height ?? H) + 4,
    width,
  );
  const height = (spec.height ?? H) + leg.height;
  const plotBottom = (spec.height ?? H) - PAD.bottom;
  const [xMin, xMax] = extent(xsAll);
  const [yMin, yMax] = extent(all);
  const wantLog = spec.logY === true;
  const canLog = yMin > 0;
  const y =
    wantLog && canLog ? logScale(yMin, yMax, plotBottom, PAD.top) : linearScale(yMin, yMax, plotBottom, PAD.top);
  const x = linearScale(xMin, xMax, PAD.left, width - PAD.right, 6);
  const paths = series.map((s, i) => {
    if (s.xs.length === 0) return html``;
    if (s.xs.length === 1)
      return html`<circle cx="${r1(x(s.xs[0]!))}" cy="${r1(y(s.ys[0]!))}" r="3" fill="${colorAt(i)}"><title>${s.name}</title></circle>`;
    const d = s.xs.map((xv, j) => `${j === 0 ? 'M' : 'L'}${r1(x(xv))} ${r1(y(s.ys[j]!))}`).join('');
    return html`<path class="series" d="${d}" stroke="${colorAt(i)}"><title>${s.name}</title></path>`;
  });
  const note =
    wantLog && !canLog
      ? html`<text class="chart-note" x="${width - PAD.right}" y="18" text-anchor="end">log scale not possible: values ≤ 0</text>`
      : html``;
  return frame(
    width,
    height,
    spec.title,
    html`${yAxis(y, PAD.left, width - PAD.right, spec.yLabel + (y.log ? ' (log)' : ''))}${xAxis(x, plotBottom, PAD.top, spec.xLabel, width)}<g class="plot">${join(paths)}</g>${note}${leg.svg}`,
  );
}

export interface Bar {
  label: string;
  /** null: no value (the run never logged it). */
  value: number | null;
}

/** Vertical bars from zero; a bar whose value is NaN, ±∞ or missing is labelled instead of drawn. */
export function barChart(spec: { title: string; yLabel: string; bars: readonly Bar[]; width?: number }): Html {
  const width = spec.width ?? W;
  const finite = spec.bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (spec.bars.length === 0) return emptyChart(spec.title, 'Nothing to draw.');
  const plotBottom = H - PAD.bottom;
  const [lo, hi] = extent([0, ...finite]);
  const y = linearScale(lo, hi, plotBottom, PAD.top);
  const slot = (width - PAD.left - PAD.right) / spec.bars.length;
  const barW = Math.max(2, Math.min(60, slot * 0.7));
  const zero = y(0);
  const bars = spec.bars.map((b, i) => {
    const cx = PAD.left + slot * (i + 0.5);
    const label = html`<text class="tick" x="${r1(cx)}" y="${plotBottom + 16}" text-anchor="middle">${truncate(b.label, Math.max(4, Math.floor(slot / 6.5)))}<title>${b.label}</title></text>`;
    if (b.value === null || !Number.isFinite(b.value)) {
      const what = b.value === null ? 'none' : Number.isNaN(b.value) ? 'NaN' : b.value > 0 ? '∞' : '−∞';
      return html`${label}<text class="chart-note" x="${r1(cx)}" y="${r1(zero - 6)}" text-anchor="middle">${what}</text>`;
    }
    const top = Math.min(zero, y(b.value));
    const h = Math.abs(y(b.value) - zero);
    return html`<rect class="bar" x="${r1(cx - barW / 2)}" y="${r1(top)}" width="${r1(barW)}" height="${r1(Math.max(h, 0.5))}" fill="${colorAt(i)}"><title>${b.label}: ${defaultTickLabel(b.value)}</title></rect>${label}`;
  });
  return frame(
    width,
    H,
    spec.title,
    html`${yAxis(y, PAD.left, width - PAD.right, spec.yLabel)}<line class="axis" x1="${PAD.left}" x2="${width - PAD.right}" y1="${r1(zero)}" y2="${r1(zero)}"/>${join(bars)}`,
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
  const width = spec.width ?? W;
  const pts = spec.points.map((p, i) => ({ ...p, i })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (pts.length === 0) return emptyChart(spec.title, 'No point has finite values on both axes.');
  const plotBottom = H - PAD.bottom;
  // A margin around the points, so a dot on the extreme is not cut in half by the frame.
  const padded = (values: number[]): [number, number] => {
    const [lo, hi] = extent(values);
    const pad = (hi - lo) * 0.05;
    return [lo - pad, hi + pad];
  };
  const x = linearScale(...padded(pts.map((p) => p.x)), PAD.left, width - PAD.right, 6);
  const y = linearScale(...padded(pts.map((p) => p.y)), plotBottom, PAD.top);
  const dots = pts.map(
    (p) =>
      html`<circle class="dot" cx="${r1(x(p.x))}" cy="${r1(y(p.y))}" r="5" fill="${colorAt(p.i)}"><title>${p.label}: (${defaultTickLabel(p.x)}, ${defaultTickLabel(p.y)})</title></circle>`,
  );
  return frame(
    width,
    H,
    spec.title,
    html`${yAxis(y, PAD.left, width - PAD.right, spec.yLabel)}${xAxis(x, plotBottom, PAD.top, spec.xLabel, width)}${join(dots)}`,
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
 * non-finite value breaks the line there.
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
  const plotBottom = H - PAD.bottom;
  const left = PAD.left + 20;
  const right = width - PAD.right - 40;
  const gap = (right - left) / (spec.axes.length - 1);
  const axisX = (i: number) => left + gap * i;
  const positions = spec.axes.map((_, a) => {
    const vals = spec.lines
      .map((l) => l.values[a] ?? null)
      .filter((v): v is number | string => v !== null && (typeof v === 'string' || Number.isFinite(v)));
    const numeric = vals.length > 0 && vals.every((v) => typeof v === 'number');
    if (numeric) {
      const nums = vals as number[];
      const s = linearScale(...extent(nums), plotBottom, PAD.top, 5);
      return {
        pos: (v: number | string) => s(v as number),
        ticks: s.ticks.map((t) => ({ y: s(t), label: defaultTickLabel(t) })),
      };
    }
    const cats = [...new Set(vals.map(String))].sort();
    const step = cats.length > 1 ? (plotBottom - PAD.top) / (cats.length - 1) : 0;
    const at = (c: string) => (cats.length > 1 ? plotBottom - cats.indexOf(c) * step : (plotBottom + PAD.top) / 2);
    return {
      pos: (v: number | string) => at(String(v)),
      ticks: cats.map((c) => ({ y: at(c), label: truncate(c, 14) })),
    };
  });
  const axes = spec.axes.map((ax, a) => {
    const x0 = axisX(a);
    const ticks = positions[a]!.ticks.map(
      (t) =>
        html`<line class="axis" x1="${r1(x0 - 3)}" x2="${r1(x0)}" y1="${r1(t.y)}" y2="${r1(t.y)}"/><text class="tick" x="${r1(x0 - 5)}" y="${r1(t.y + 4)}" text-anchor="end">${t.label}</text>`,
    );
    return html`<line class="axis" x1="${r1(x0)}" x2="${r1(x0)}" y1="${PAD.top}" y2="${plotBottom}"/>${join(ticks)}<text class="axis-label" x="${r1(x0)}" y="${plotBottom + 18}" text-anchor="middle">${truncate(ax.name, Math.max(6, Math.floor(gap / 6.5)))}<title>${ax.name}</title></text>`;
  });
  const polylines = spec.lines.map((line, i) => {
    const segments: string[] = [];
    let current = '';
    spec.axes.forEach((_, a) => {
      const v = line.values[a] ?? null;
      if (v === null || (typeof v === 'number' && !Number.isFinite(v))) {
        if (current) segments.push(current);
        current = '';
        return;
      }
      current += `${current ? 'L' : 'M'}${r1(axisX(a))} ${r1(positions[a]!.pos(v))}`;
    });
    if (current) segments.push(current);
    return html`<path class="series" d="${segments.join('')}" stroke="${colorAt(i)}"><title>${line.name}</title></path>`;
  });
  const leg = legend(
    spec.lines.map((l) => l.name),
    H + 4,
    width,
  );
  return frame(width, H + leg.height, spec.title, html`${join(axes)}<g class="plot">${join(polylines)}</g>${leg.svg}`);
}
