import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../electron/core/reports/document';
import { escapeHtml, html, trusted } from '../../../electron/core/reports/html';
import { formatValue } from '../../../shared/format/number';
import {
  barChart,
  colorAt,
  lineChart,
  parallelCoordinates,
  scatterChart,
} from '../../../electron/core/reports/echarts-svg';

const EVIL = '<script>alert(1)</script>';

describe('escaping', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('the html template escapes values but keeps nested templates and trusted markup', () => {
    const inner = html`<b>${EVIL}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${[1, ' & ', 2]}${null}${undefined}${false}</p>`.text).toBe(
      '<p title="&quot;x&quot;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b>1 &amp; 2</p>',
    );
    expect(html`${trusted('<i>ok</i>')}`.text).toBe('<i>ok</i>');
  });

  it('spells out NaN and infinities', () => {
    expect([Number.NaN, Infinity, -Infinity, null, 3, 0.123456789, 1e-7].map(formatValue)).toEqual([
      'NaN',
      '∞',
      '−∞',
      '—',
      '3',
      '0.12346',
      '1.000e-7',
    ]);
  });
});

// The charts are drawn by ECharts' server-side renderer, so the shapes counted are its own: a
// series line is an unfilled path, a legend item's icon a short path at the origin, a bar a filled
// closed path, a scatter dot a scaled unit circle, a parallel-coordinates line a polyline.
const SERIES_LINE = /<path d="M[^"]*" fill="none" stroke="#[0-9a-f]{6}" stroke-width="2" stroke-linejoin="bevel">/g;
const LINE_LEGEND_ITEM = /<path d="M0 5L14 5"/g;
const BAR = /<path d="M[^"]*Z" fill="#[0-9a-f]{6}">/g;
const DOT = /<path d="M1 0A1 1 0 1 1[^"]*" transform="matrix\(5,/g;
const POLYLINE_STROKE = /<polyline [^>]*stroke="(#[0-9a-f]{6})"/g;

describe('SVG charts', () => {
  const svgOf = (h: { text: string }) => h.text;

  it('line chart: a path per series, a legend with every name, escaped', () => {
    const svg = svgOf(
      lineChart({
        title: 'loss',
        xLabel: 'step',
        yLabel: 'loss',
        series: [
          { name: 'baseline', xs: [0, 1, 2], ys: [1, 0.5, 0.25] },
          { name: EVIL, xs: [0, 1, 2, 3], ys: [2, Number.NaN, 1, Infinity] },
        ],
      }),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(SERIES_LINE)).toHaveLength(2);
    expect(svg).toContain('baseline');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).not.toContain('<script');
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg.match(LINE_LEGEND_ITEM)).toHaveLength(2);
  });

  it('line chart on a log scale, and refused (drawn linear with a note) when a value is not positive', () => {
    const log = svgOf(
      lineChart({
        title: 'lr',
        xLabel: 'step',
        yLabel: 'lr',
        logY: true,
        series: [{ name: 'a', xs: [0, 1, 2], ys: [0.001, 0.1, 10] }],
      }),
    );
    expect(log).toContain('lr (log)');
    expect(log).toContain('>0.01<');
    const refused = svgOf(
      lineChart({
        title: 'x',
        xLabel: 'step',
        yLabel: 'x',
        logY: true,
        series: [{ name: 'a', xs: [0, 1], ys: [0, 1] }],
      }),
    );
    expect(refused).toContain('log scale not possible: values ≤ 0');
    expect(refused).not.toContain('(log)');
    expect(
      svgOf(lineChart({ title: 'none', xLabel: 's', yLabel: 'v', series: [{ name: 'a', xs: [0], ys: [Number.NaN] }] })),
    ).toContain('No finite values to draw.');
  });

  it('bar chart: bars from zero, non-finite values named instead of drawn', () => {
    const svg = svgOf(
      barChart({
        title: 'acc',
        yLabel: 'acc',
        bars: [
          { label: 'a', value: 0.5 },
          { label: 'b', value: -0.2 },
          { label: 'c', value: Number.NaN },
          { label: 'd', value: -Infinity },
          { label: 'e', value: null },
        ],
      }),
    );
    expect(svg.match(BAR)).toHaveLength(2);
    expect(svg).toContain('>NaN<');
    expect(svg).toContain('>−∞<');
    expect(svg).toContain('>none<');
  });

  it('scatter: one dot per finite point', () => {
    const svg = svgOf(
      scatterChart({
        title: 's',
        xLabel: 'lr',
        yLabel: 'acc',
        points: [
          { x: 0.1, y: 0.8, label: 'a' },
          { x: 0.2, y: 0.9, label: 'b' },
          { x: Number.NaN, y: 1, label: 'c' },
        ],
      }),
    );
    expect(svg.match(DOT)).toHaveLength(2);
  });

  it('parallel coordinates: an axis per dimension, numeric or categorical, a line per run', () => {
    const svg = svgOf(
      parallelCoordinates({
        title: 'p',
        axes: [{ name: 'lr' }, { name: 'model' }, { name: 'acc' }],
        lines: [
          { name: 'a', values: [0.1, 'rf', 0.8] },
          { name: 'b', values: [0.2, 'svm', 0.9] },
          { name: 'c', values: [0.3, null, 0.7] },
        ],
      }),
    );
    const strokes = [...svg.matchAll(POLYLINE_STROKE)].map((m) => m[1]!);
    expect(new Set(strokes).size).toBe(3);
    expect(svg).toContain('>rf<');
    expect(svg).toContain('>svm<');
    // The run without a model breaks its line there: two separate pieces (polylines in its colour).
    expect(strokes.filter((c) => c === colorAt(2))).toHaveLength(2);
  });
});

describe('report document', () => {
  it('is one self-contained file: inline CSS and SVG, no script, nothing fetched, user text escaped', () => {
    const page = renderReport({
      title: `Runs of ${EVIL}`,
      meta: [['Project', EVIL]],
      sections: [
        {
          heading: 'Params',
          blocks: [
            {
              kind: 'table',
              caption: 'p',
              columns: ['Param', EVIL],
              diffToggle: true,
              rows: [{ cells: ['lr', '0.1'], differs: true }, { cells: ['seed', EVIL] }],
            },
          ],
        },
        { heading: 'Notes', blocks: [{ kind: 'text', text: `first <b>para</b>\n\nsecond` }] },
        {
          heading: 'Charts',
          grid: true,
          blocks: [{ kind: 'chart', svg: barChart({ title: EVIL, yLabel: 'v', bars: [{ label: EVIL, value: 1 }] }) }],
        },
      ],
    });
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).toContain('<style>');
    expect(page).toContain('<svg');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<tr class="differs">');
    expect(page).toContain('<tr class="same">');
    expect(page).toContain('type="checkbox" class="only-diff"');
    expect(page).toContain('<p class="text">first &lt;b&gt;para&lt;/b&gt;</p><p class="text">second</p>');
  });
});
