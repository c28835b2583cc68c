// Runs in: main (core) and CLI. A report as data (title, meta, sections of tables, charts and text)
// and its rendering to one self-contained HTML file: inline CSS, inline SVG, no script, no fetch.
import { escapeHtml, html, join, trusted, type Html } from './html';
import { markdownHtml } from './markdown';

export interface TableBlock {
  kind: 'table';
  caption: string;
  columns: readonly string[];
  rows: readonly {
    cells: readonly string[] /** Marked (highlighted, kept by "only differences"). */;
    differs?: boolean;
  }[];
  /** Offer a CSS-only "only differences" switch for this table. */
  diffToggle?: boolean;
  /** Columns (by index) holding numbers, aligned right. */
  numeric?: readonly number[];
}

export interface ChartBlock {
  kind: 'chart';
  /** Markup from echarts-svg.ts (charts) or svg-lineage.ts (the lineage diagram). */
  svg: Html;
}

export interface TextBlock {
  kind: 'text';
  /** Plain text; blank lines separate paragraphs. Never interpreted as markup. */
  text: string;
}

export interface MarkdownBlock {
  kind: 'markdown';
  /** Light markdown (headings, lists, paragraphs, `code`); rendered escaped, never as raw HTML. */
  text: string;
  /** Shown instead when the text is empty. */
  empty?: string;
}

/** A verdict that must be seen first: a framed box whose tone is also spelled out in its title. */
export interface CalloutBlock {
  kind: 'callout';
  tone: 'ok' | 'alert';
  title: string;
  text: string;
  /** One line each, as a list under the text (alerts, say): joined into the text they ran together. */
  items?: readonly string[];
}

export type Block = TableBlock | ChartBlock | TextBlock | MarkdownBlock | CalloutBlock;

export interface ReportSection {
  heading: string;
  blocks: readonly Block[];
  /** Lay charts out side by side where the page is wide enough. */
  grid?: boolean;
  /** Flag the section (a drifted column, say): a coloured rule beside it; the heading says why in words. */
  marked?: boolean;
  /** 'avoid': keep the section on one printed page where it fits. */
  pageBreak?: 'avoid';
}

export interface Report {
  title: string;
  /** What kind of report (drift, comparison, model-card): written into a meta tag the Reports list reads. */
  kind?: string;
  meta: readonly [label: string, value: string][];
  sections: readonly ReportSection[];
}

const CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5f6b7a;--bg:#fff;--line:#d9dee5;--diff:#fff4d6;--accent:#4e79a7}
@media (prefers-color-scheme:dark){:root{--fg:#e4e8ee;--muted:#9aa5b4;--bg:#16191f;--line:#343a45;--diff:#3d3416}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1360px;padding:24px 28px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 12px;color:var(--muted)}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.table-wrap{overflow-x:auto;margin:8px 0 16px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:4px 0;color:var(--muted)}
table{table-layout:auto}
/* Cells wrap between words only, so a column is never narrower than its longest word: never "Row s". */
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top;max-width:360px;overflow-wrap:break-word;word-break:normal;hyphens:manual}
/* Hashes, paths and ids longer than a word may break anywhere: they would widen the table past the page. */
th.tok,td.tok{overflow-wrap:anywhere}
th.nowrap,td.num{white-space:nowrap}
td.num{text-align:right}
tr.differs td{background:var(--diff)}
.diff-switch{display:inline-block;margin:4px 0 4px 4px;color:var(--muted)}
.only-diff:checked+.diff-switch+.table-wrap tr.same{display:none}
.charts{display:flex;flex-wrap:wrap;gap:16px}
svg.chart{max-width:100%;height:auto;font:11px system-ui,sans-serif;border:1px solid var(--line);border-radius:6px;background:var(--bg)}
/* ECharts writes fixed colours: its charts stay on white in dark mode too. */
svg.echart{background:#fff;border-color:#d9dee5}
svg .chart-title{font-size:13px;font-weight:600;fill:var(--fg)}
svg .tick{fill:var(--muted)}
svg .edge{stroke:var(--muted);stroke-width:1.4}svg .node-label{fill:var(--fg);font-weight:600}svg .node rect:first-child{fill:var(--bg)}
p.text{white-space:pre-wrap}p.empty{color:var(--muted);font-style:italic}
.md p.md{white-space:pre-wrap;margin:6px 0}.md code,td code{font:12px ui-monospace,Menlo,Consolas,monospace;background:var(--line);padding:0 3px;border-radius:3px}
.md h3,.md h4,.md h5,.md h6{font-size:15px;margin:14px 0 6px}
.callout{border:2px solid var(--line);border-radius:8px;padding:10px 14px;margin:8px 0 16px}.callout strong{display:block;font-size:17px;margin-bottom:2px}
.callout ul{margin:4px 0 0;padding-left:20px}.callout li{margin:2px 0}
.callout.alert{border-color:#c0392b}.callout.alert strong{color:#c0392b}.callout.ok{border-color:#2e8b57}.callout.ok strong{color:#2e8b57}
section.marked{border-left:4px solid #c0392b;padding-left:12px}
@media print{.table-wrap{overflow:visible}body{max-width:none;padding:0;font-size:12px;-webkit-print-color-adjust:exact;print-color-adjust:exact}.only-diff,.diff-switch{display:none}h2{break-after:avoid}tr,svg.chart,.callout{break-inside:avoid}section.keep{break-inside:avoid}thead{display:table-header-group}svg.chart{border:none}}
footer{margin-top:40px;color:var(--muted);font-size:12px}
`;

/** Longer than this without a space, a token is a hash, a path or an id rather than a word. */
const LONG_TOKEN = 24;
/** Headers up to this long stay on one line: wrapping "Duration (s)" saves little and reads worse. */
const SHORT_HEADER = 20;

const hasLongToken = (text: string): boolean => text.split(/\s+/).some((t) => t.length > LONG_TOKEN);

/** The class of a cell: long tokens may break anywhere; numbers and short headers never wrap. */
function cellClass(text: string, kind: 'num' | 'header' | 'text'): string {
  if (hasLongToken(text)) return 'tok';
  if (kind === 'num') return 'num';
  if (kind === 'header' && text.length <= SHORT_HEADER) return 'nowrap';
  return '';
}

function table(block: TableBlock, index: number): Html {
  const numeric = new Set(block.numeric ?? []);
  const cls = (c: string) => {
    const name = cellClass(c, 'header');
    return name ? html` class="${name}"` : '';
  };
  const head = html`<tr>${block.columns.map((c) => html`<th scope="col"${cls(c)}>${c}</th>`)}</tr>`;
  const rows = block.rows.map(
    (r) =>
      html`<tr class="${r.differs ? 'differs' : 'same'}">${r.cells.map((c, i) => (i === 0 ? html`<th scope="row"${hasLongToken(c) ? html` class="tok"` : ''}>${c}</th>` : html`<td class="${cellClass(c, numeric.has(i) ? 'num' : 'text')}">${c}</td>`))}</tr>`,
  );
  const body = html`<div class="table-wrap"><table><caption>${block.caption}</caption><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
  if (!block.diffToggle) return body;
  // A checkbox and a sibling selector: the switch works with no script at all.
  const id = `only-diff-${index}`;
  return html`<input type="checkbox" class="only-diff" id="${id}"><label class="diff-switch" for="${id}">Only differences (highlighted rows)</label>${body}`;
}

function block(b: Block, index: number): Html {
  if (b.kind === 'table') return table(b, index);
  if (b.kind === 'chart') return b.svg;
  if (b.kind === 'callout')
    return html`<div class="callout ${b.tone}" role="status"><strong>${b.title}</strong>${b.text}${b.items?.length ? html`<ul>${b.items.map((i) => html`<li>${i}</li>`)}</ul>` : ''}</div>`;
  if (b.kind === 'markdown')
    return b.text.trim() === ''
      ? html`<p class="text empty">${b.empty ?? 'Not written yet.'}</p>`
      : html`<div class="md">${markdownHtml(b.text)}</div>`;
  return join(
    b.text
      .split(/\n\s*\n/)
      .filter((p) => p.trim() !== '')
      .map((p) => html`<p class="text">${p.trim()}</p>`),
  );
}

/** Side by side: runs of tables and charts share a row; text and callouts keep the full width. */
function gridded(source: readonly Block[], rendered: readonly Html[]): Html {
  const out: Html[] = [];
  let row: Html[] = [];
  const flush = () => {
    if (row.length) out.push(html`<div class="charts">${row}</div>`);
    row = [];
  };
  source.forEach((b, i) => {
    if (b.kind === 'table' || b.kind === 'chart') row.push(rendered[i]!);
    else {
      flush();
      out.push(rendered[i]!);
    }
  });
  flush();
  return join(out);
}

export function renderReport(report: Report, generator = 'Benchtop'): string {
  let n = 0;
  const sections = report.sections.map((s) => {
    const blocks = s.blocks.map((b) => block(b, n++));
    const cls = [s.marked ? 'marked' : '', s.pageBreak === 'avoid' ? 'keep' : ''].filter(Boolean).join(' ');
    return html`<section${cls ? html` class="${cls}"` : ''}><h2>${s.heading}</h2>${s.grid ? gridded(s.blocks, blocks) : blocks}</section>`;
  });
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${generator}">${report.kind ? html`<meta name="benchtop-report" content="${report.kind}">` : ''}
<title>${report.title}</title><style>${trusted(CSS)}</style></head>
<body><header><h1>${report.title}</h1><dl class="meta">${report.meta.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></header>
${sections}
<footer>${generator}: a self-contained report (no scripts, nothing fetched).</footer>
</body></html>
`;
  return page.text;
}

export { escapeHtml };
