import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  confusionHeatmapSvg,
  histogramSvg,
  scoreBarsSvg,
  staticSvg,
  timelineSvg,
} from '../../../electron/core/reports/echarts-svg';
import { ROOT } from '../../support/helpers';

const EVIL = '<img src=x onerror=alert(1)>';

/** What every chart must be: one well-formed static SVG element with nothing that runs or fetches. */
function expectStaticSvg(svg: string): void {
  expect(svg.startsWith('<svg ')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(svg.match(/<svg\b/g)).toHaveLength(1);
  // Markup only: quoted attribute values and text content are inert, whatever they spell.
  const markup = svg.replace(/"[^"]*"/g, '""').replace(/>[^<]*</g, '><');
  expect(markup).not.toMatch(/<script|<foreignObject|<img|<image|\son[a-z]+=|javascript:/i);
  expect(svg).not.toMatch(/(?:href|src)=["']?(?:https?:)?\/\//i);
  expect(svg).not.toMatch(/<style|ecmeta_|zr\d+-/);
  // Balanced tags: every opened element is closed (SSR output has no self-closing elements).
  const opened = (svg.match(/<(?!\/)[a-zA-Z]+\b/g) ?? []).length;
  const closed = (svg.match(/<\/[a-zA-Z]+>/g) ?? []).length + (svg.match(/\/>/g) ?? []).length;
  expect(closed).toBe(opened);
}

describe('ECharts server-side SVG charts', () => {
  const histogram = () =>
    histogramSvg({
      title: `income ${EVIL}`,
      edges: [0, 10.123456, 20, 30.5],
      keys: null,
      reference: [0.2, 0.5, 0.3],
      current: [0.1, 0.3, 0.6],
    });

  it('histogram: static SVG, escaped title, both sides in the legend', () => {
    const svg = histogram().text;
    expectStaticSvg(svg);
    expect(svg).toContain('<title>income &lt;img src=x onerror=alert(1)&gt;</title>');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('>reference</text>');
    expect(svg).toContain('>current</text>');
    expect(svg).toMatch(/^<svg [^>]*font-family="system-ui,/);
    expect(svg).not.toContain('Segoe UI"');
  });

  it('is deterministic: the same input gives the same bytes, other input other ids', () => {
    const a = histogram().text;
    const b = histogram().text;
    expect(b).toBe(a);
    const other = histogramSvg({ title: 'x', keys: ['a', 'b'], reference: [0.5, 0.5], current: [1, 0] }).text;
    const idsOf = (s: string) => new Set([...s.matchAll(/id="([^"]+)"/g)].map((m) => m[1]));
    for (const id of idsOf(other)) expect(idsOf(a).has(id)).toBe(false);
  });

  it('rounds coordinates to one decimal place', () => {
    const svg = histogram().text;
    const attrs = [...svg.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    expect(attrs.some((v) => /\d\.\d\d/.test(v))).toBe(false);
  });

  it('score bars mark drifted columns in text, skip NaN scores without failing', () => {
    const svg = scoreBarsSvg({
      title: 'Drift scores',
      bars: [
        { name: 'age', score: 0.01, threshold: 0.05, drifted: true },
        { name: `city ${EVIL}`, score: Number.NaN, threshold: 0.1, drifted: false },
        { name: 'income', score: 0.3, threshold: 0.1, drifted: false },
      ],
    }).text;
    expectStaticSvg(svg);
    expect(svg).toContain('age (drift)');
    expect(svg).toContain('city &lt;img');
    expect(svg).not.toContain('NaN');
  });

  it('confusion heatmap: a cell label per count, first true class on top', () => {
    const svg = confusionHeatmapSvg({
      title: 'Confusion',
      labels: ['cat', 'dog'],
      matrix: [
        [7, 1],
        [2, 9],
      ],
    }).text;
    expectStaticSvg(svg);
    for (const n of ['7', '1', '2', '9']) expect(svg).toContain(`>${n}</text>`);
    const y = (label: string) =>
      Number(new RegExp(`translate\\([\\d.]+ ([\\d.]+)\\)"[^>]*>${label}</text>`).exec(svg)?.[1]);
    expect(y('cat')).toBeLessThan(y('dog'));
  });

  it('timeline: a line per series and the threshold labelled', () => {
    const svg = timelineSvg({
      title: 'Drift share',
      x: ['w1', 'w2', 'w3', 'w4'],
      series: [{ name: 'share', values: [0.1, 0.2, null, 0.6] }],
      threshold: 0.5,
    }).text;
    expectStaticSvg(svg);
    expect(svg).toContain('threshold 0.5');
    expect(svg).toContain('>w4</text>');
  });

  it('staticSvg renames ids per key and keeps references to them consistent', () => {
    const raw =
      '<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><clipPath id="zr7-c0"></clipPath></defs><g clip-path="url(#zr7-c0)"><path d="M1.234 5.678L3 4" class="zr7-cls-0"></path></g><style>.zr7-cls-0:hover{cursor:pointer}</style></svg>';
    const svg = staticSvg(raw, 'abc', 'T');
    expect(svg).toContain('id="cabc-c0"');
    expect(svg).toContain('url(#cabc-c0)');
    expect(svg).toContain('d="M1.2 5.6L3 4"');
    expect(svg).not.toContain('<style');
  });
});

describe('the separate ECharts bundle of the built app', () => {
  it('dist/echarts-ssr.cjs draws exactly what echarts from node_modules draws', () => {
    const file = path.join(ROOT, 'dist', 'echarts-ssr.cjs');
    expect(existsSync(file)).toBe(true);
    const bundled = require(file) as { init: typeof import('echarts').init };
    const direct = require('echarts') as typeof import('echarts');
    const option = {
      animation: false,
      xAxis: { type: 'category' as const, data: ['a', 'b'] },
      yAxis: { type: 'value' as const },
      series: [{ type: 'bar' as const, data: [1, 2] }],
    };
    const draw = (init: typeof import('echarts').init) => {
      const chart = init(null, null, { renderer: 'svg', ssr: true, width: 200, height: 100 });
      chart.setOption(option);
      const svg = staticSvg(chart.renderToSVGString(), 'k', 't');
      chart.dispose();
      return svg;
    };
    expect(draw(bundled.init)).toBe(draw(direct.init));
    // Neither the CLI nor the main process carries ECharts itself (they call it; they do not contain it):
    // registerPreprocessor is part of ECharts' own API, which Benchtop never uses.
    expect(readFileSync(file, 'utf8')).toContain('registerPreprocessor');
    for (const f of ['cli.cjs', 'main.cjs'])
      expect(readFileSync(path.join(ROOT, 'dist', f), 'utf8')).not.toContain('registerPreprocessor');
  });
});
