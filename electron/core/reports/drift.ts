// Runs in: main (core) and CLI. A drift report (the contract's driftReport) as a self-contained
// HTML page, as wire JSON, and written to the project's reports/ folder (HTML, JSON or PDF). Lives in
// the reports module, not in monitoring/: it reads only the contract shape, so the engine, the CLI
// and monitors all share one rendering.
import {
  driftReport as driftReportSchema,
  type DriftColumn,
  type DriftReport,
  type ModelPerformance,
} from '../../../shared/contract/schemas';
import { toWire } from '../../../shared/contract/wire';
import { renderReport, type Block, type Report, type ReportSection, type TableBlock } from './document';
import { confusionHeatmapSvg, histogramSvg, scoreBarsSvg } from './echarts-svg';
import { formatValue } from '../../../shared/format/number';
import { defaultPaper } from './paper';
import { type PdfOptions, type PrintPdf, printHtmlToPdf } from './pdf';
import { writeProjectReport, type ReportFormat } from './writer';
import type { Paper } from '../../../shared/contract/reports';

/** Every drift report file starts with this, which is how the Reports view knows its kind. */
export const DRIFT_REPORT_PREFIX = 'drift-';

const TEST_NAMES: Record<string, string> = {
  ks: 'Kolmogorov–Smirnov',
  wasserstein: 'Wasserstein (normed)',
  chisquare: 'chi-square',
  z: 'two-proportion z',
  jensenshannon: 'Jensen–Shannon',
  psi: 'PSI',
  kl_div: 'KL divergence',
  hellinger: 'Hellinger',
  anderson: 'Anderson–Darling',
  cramer_von_mises: 'Cramér–von Mises',
  t_test: 't-test',
  energy_distance: 'energy distance',
};

const testName = (c: DriftColumn): string => (c.test ? (TEST_NAMES[c.test] ?? c.test) : 'not tested');
const pct = (share: number): string =>
  Number.isFinite(share) ? `${formatValue(Math.round(share * 1000) / 10)}%` : formatValue(share);

/** How the score compares with its threshold, in words: p-values drift below it, distances at or above. */
function rule(c: DriftColumn): string {
  if (c.threshold === null || c.scoreKind === null) return '—';
  return c.scoreKind === 'p_value' ? `p < ${formatValue(c.threshold)}` : `≥ ${formatValue(c.threshold)}`;
}

function verdict(c: DriftColumn): string {
  if (c.test === null) return c.problem ? `not tested: ${c.problem}` : 'not tested';
  return c.drifted ? 'DRIFT' : 'no';
}

function summaryBlocks(r: DriftReport): Block[] {
  const s = r.summary;
  const word = s.datasetDrift ? 'Dataset drift detected' : 'No dataset drift';
  const blocks: Block[] = [
    {
      kind: 'callout',
      tone: s.datasetDrift ? 'alert' : 'ok',
      title: word,
      text: `${s.drifted} of ${s.tested} tested columns drifted (${pct(s.share)}); the dataset drifts when the share is at least ${pct(s.shareThreshold)}. ${s.columns} columns compared${s.columns > s.tested ? `, ${s.columns - s.tested} not tested` : ''}.`,
    },
    {
      kind: 'table',
      caption: 'Reference and current data',
      columns: ['Side', 'Source', 'Rows', 'Columns', 'SHA-256'],
      numeric: [2, 3],
      rows: (['reference', 'current'] as const).map((side) => {
        const src = r[side];
        return { cells: [side, src.label, String(src.rows), String(src.columns), src.hash ?? 'unknown'] };
      }),
    },
  ];
  return blocks;
}

function columnTable(r: DriftReport): TableBlock {
  return {
    kind: 'table',
    caption: 'Columns (drifted rows are highlighted and marked DRIFT)',
    columns: ['Column', 'Type', 'Role', 'Test', 'Score', 'Drift when', 'Drifted'],
    numeric: [4],
    rows: r.columns.map((c) => ({
      cells: [
        c.name,
        `${c.type}${c.typeGiven ? ' (given)' : ''}`,
        c.role,
        testName(c),
        c.score === null ? '—' : formatValue(c.score),
        rule(c),
        verdict(c),
      ],
      differs: c.drifted,
    })),
  };
}

function sideSummary(c: DriftColumn): TableBlock {
  const numeric = c.reference.mean !== null || c.current.mean !== null;
  const q = c.quality;
  const rows: [string, string, string][] = [
    ['rows', String(c.reference.rows), String(c.current.rows)],
    [
      'missing',
      `${c.reference.missing} (${pct(q.missingShareReference)})`,
      `${c.current.missing} (${pct(q.missingShareCurrent)})`,
    ],
    ['distinct', String(c.reference.distinct), String(c.current.distinct)],
  ];
  if (numeric) {
    for (const k of ['mean', 'std', 'min', 'max'] as const)
      rows.push([k, formatValue(c.reference[k]), formatValue(c.current[k])]);
  }
  const top = (side: 'reference' | 'current') =>
    c[side].top
      .slice(0, 3)
      .map((t) => `${t.value} (${t.count})`)
      .join(', ');
  if (c.reference.top.length || c.current.top.length)
    rows.push(['most frequent', top('reference') || '—', top('current') || '—']);
  return {
    kind: 'table',
    caption: 'Summary',
    columns: ['', 'Reference', 'Current'],
    numeric: numeric ? [1, 2] : [],
    rows: rows.map((cells) => ({ cells })),
  };
}

/** The data-quality findings for one column, as short sentences; empty when there is nothing to say. */
export function qualityNotes(c: DriftColumn): string[] {
  const q = c.quality;
  const notes: string[] = [];
  if (q.missingShareCurrent > 0 || q.missingShareReference > 0)
    notes.push(`Missing: ${pct(q.missingShareReference)} in reference, ${pct(q.missingShareCurrent)} in current.`);
  if (q.newCategoryRows > 0)
    notes.push(
      `${q.newCategoryRows} current rows have categories the reference never had${q.newCategories.length ? `: ${q.newCategories.slice(0, 10).join(', ')}${q.newCategories.length > 10 ? ', …' : ''}` : ''}.`,
    );
  if (q.outOfRangeShare !== null && q.outOfRangeShare > 0)
    notes.push(`${pct(q.outOfRangeShare)} of current values lie outside the reference range.`);
  if (q.constantReference) notes.push('Constant in reference.');
  if (q.constantCurrent) notes.push('Constant in current.');
  return notes;
}

function columnSection(c: DriftColumn): ReportSection {
  const head = `${c.name}: ${c.test === null ? 'not tested' : c.drifted ? 'DRIFT' : 'no drift'}`;
  const lines = [
    c.test === null
      ? `Not tested${c.problem ? `: ${c.problem}` : '.'}`
      : `${testName(c)} ${c.scoreKind === 'p_value' ? 'p-value' : 'distance'} ${formatValue(c.score)} (drift when ${rule(c)}${c.statistic !== null ? `; statistic ${formatValue(c.statistic)}` : ''}).`,
  ];
  if (c.test !== null && c.problem) lines.push(c.problem);
  const notes = qualityNotes(c);
  const blocks: Block[] = [
    {
      kind: 'text',
      text: [...lines, notes.length ? `Quality: ${notes.join(' ')}` : 'Quality: nothing to report.'].join('\n\n'),
    },
    sideSummary(c),
  ];
  if (c.histogram && (c.histogram.reference.length || c.histogram.current.length)) {
    blocks.push({
      kind: 'chart',
      svg: histogramSvg({
        title: `${c.name}: share per ${c.histogram.keys ? 'category' : 'bin'}`,
        edges: c.histogram.edges,
        keys: c.histogram.keys,
        reference: c.histogram.reference,
        current: c.histogram.current,
        width: 480,
      }),
    });
  }
  return { heading: head, blocks, grid: true, marked: c.drifted, pageBreak: 'avoid' };
}

function qualitySection(r: DriftReport): ReportSection {
  const rows = r.columns
    .filter((c) => qualityNotes(c).length > 0)
    .map((c) => ({
      cells: [
        c.name,
        pct(c.quality.missingShareReference),
        pct(c.quality.missingShareCurrent),
        c.quality.newCategoryRows
          ? `${c.quality.newCategoryRows} rows${c.quality.newCategories.length ? ` (${c.quality.newCategories.slice(0, 5).join(', ')})` : ''}`
          : '—',
        c.quality.outOfRangeShare === null ? '—' : pct(c.quality.outOfRangeShare),
        [c.quality.constantReference ? 'reference' : '', c.quality.constantCurrent ? 'current' : '']
          .filter(Boolean)
          .join(', ') || '—',
      ],
    }));
  return {
    heading: 'Data quality',
    blocks: [
      rows.length
        ? {
            kind: 'table',
            caption: 'Columns with missing values, new categories, values out of range or a constant value',
            columns: ['Column', 'Missing (ref)', 'Missing (cur)', 'New categories', 'Out of range', 'Constant in'],
            numeric: [1, 2, 4],
            rows,
          }
        : { kind: 'text', text: 'No missing values, new categories, out-of-range values or constant columns.' },
    ],
  };
}

function performanceBlocks(perf: { reference: ModelPerformance; current: ModelPerformance }): Block[] {
  const { reference: ref, current: cur } = perf;
  const f = (v: number | null | undefined) => formatValue(v);
  if (ref.kind === 'regression' && cur.kind === 'regression') {
    return [
      {
        kind: 'table',
        caption: 'Regression',
        columns: ['Metric', 'Reference', 'Current'],
        numeric: [1, 2],
        rows: [
          { cells: ['rows', String(ref.rows), String(cur.rows)] },
          { cells: ['MAE', f(ref.mae), f(cur.mae)] },
          { cells: ['RMSE', f(ref.rmse), f(cur.rmse)] },
          { cells: ['MAPE', f(ref.mape), f(cur.mape)] },
          { cells: ['R²', f(ref.r2), f(cur.r2)] },
        ],
      },
    ];
  }
  if (ref.kind === 'classification' && cur.kind === 'classification') {
    const labels = [...new Set([...ref.perClass.map((c) => c.label), ...cur.perClass.map((c) => c.label)])];
    const of = (p: typeof ref, label: string) => p.perClass.find((c) => c.label === label);
    const blocks: Block[] = [
      {
        kind: 'table',
        caption: 'Classification',
        columns: ['Metric', 'Reference', 'Current'],
        numeric: [1, 2],
        rows: [
          { cells: ['rows', String(ref.rows), String(cur.rows)] },
          { cells: ['accuracy', f(ref.accuracy), f(cur.accuracy)] },
          { cells: ['precision (macro)', f(ref.macro.precision), f(cur.macro.precision)] },
          { cells: ['recall (macro)', f(ref.macro.recall), f(cur.macro.recall)] },
          { cells: ['F1 (macro)', f(ref.macro.f1), f(cur.macro.f1)] },
          { cells: ['ROC AUC', f(ref.rocAuc), f(cur.rocAuc)] },
        ],
      },
      {
        kind: 'table',
        caption: 'Per class (reference → current)',
        columns: ['Class', 'Precision', 'Recall', 'F1', 'Support'],
        numeric: [1, 2, 3, 4],
        rows: labels.map((label) => {
          const a = of(ref, label);
          const b = of(cur, label);
          const pair = (k: 'precision' | 'recall' | 'f1' | 'support') => `${a ? f(a[k]) : '—'} → ${b ? f(b[k]) : '—'}`;
          return { cells: [label, pair('precision'), pair('recall'), pair('f1'), pair('support')] };
        }),
      },
    ];
    for (const [side, p] of [
      ['Reference', ref],
      ['Current', cur],
    ] as const) {
      if (p.confusion.labels.length)
        blocks.push({
          kind: 'chart',
          svg: confusionHeatmapSvg({
            title: `${side}: confusion matrix`,
            labels: p.confusion.labels,
            matrix: p.confusion.matrix,
          }),
        });
    }
    return blocks;
  }
  return [
    {
      kind: 'text',
      text: `The reference was evaluated as ${ref.kind} and the current data as ${cur.kind}; they cannot be compared side by side.`,
    },
  ];
}

/** Columns not tested because of their role or the request, each with why (column-roles.ts). */
function leftOutBlocks(r: DriftReport): Block[] {
  if (!r.leftOut.length) return [];
  return [
    {
      kind: 'text',
      text: ['Left out of the drift test:', ...r.leftOut.map((l) => `${l.name}: ${l.message}`)].join('\n'),
    },
  ];
}

/** The report as the reports module's document: summary, column table, scores chart, quality, performance, then a section per column. */
export function driftDocument(report: DriftReport, options: { project?: string; title?: string } = {}): Report {
  const r = report;
  const tested = r.columns.filter((c) => c.test !== null);
  const sections: ReportSection[] = [
    { heading: 'Summary', blocks: summaryBlocks(r) },
    { heading: 'Columns', blocks: [columnTable(r), ...leftOutBlocks(r)] },
  ];
  if (tested.length) {
    const pValues = tested.filter((c) => c.scoreKind === 'p_value');
    const distances = tested.filter((c) => c.scoreKind !== 'p_value');
    const charts: Block[] = [];
    // p-values and distances read in opposite directions, so they never share an axis.
    if (pValues.length)
      charts.push({
        kind: 'chart',
        svg: scoreBarsSvg({
          title: 'p-values (drift below the threshold tick)',
          axisName: 'p-value',
          bars: pValues.map((c) => ({ name: c.name, score: c.score, threshold: c.threshold, drifted: c.drifted })),
        }),
      });
    if (distances.length)
      charts.push({
        kind: 'chart',
        svg: scoreBarsSvg({
          title: 'Distances (drift at or above the threshold tick)',
          axisName: 'distance',
          bars: distances.map((c) => ({ name: c.name, score: c.score, threshold: c.threshold, drifted: c.drifted })),
        }),
      });
    sections.push({ heading: 'Scores against thresholds', blocks: charts, grid: true });
  }
  sections.push(qualitySection(r));
  if (r.performance)
    sections.push({ heading: 'Model performance', blocks: performanceBlocks(r.performance), grid: true });
  const problems: Block[] = [];
  if (r.problems.length)
    problems.push({
      kind: 'table',
      caption: 'Problems that did not stop the report',
      columns: ['Side', 'Problem'],
      rows: r.problems.map((p) => ({ cells: [p.source, p.message] })),
    });
  if (r.onlyInReference.length || r.onlyInCurrent.length) {
    problems.push({
      kind: 'table',
      caption: 'Columns on one side only (not compared)',
      columns: ['Side', 'Columns'],
      rows: [
        ...(r.onlyInReference.length ? [{ cells: ['only in reference', r.onlyInReference.join(', ')] }] : []),
        ...(r.onlyInCurrent.length ? [{ cells: ['only in current', r.onlyInCurrent.join(', ')] }] : []),
      ],
    });
  }
  if (problems.length) sections.push({ heading: 'Problems', blocks: problems });
  for (const c of r.columns) sections.push(columnSection(c));
  const meta: [string, string][] = [];
  if (options.project) meta.push(['Project', options.project]);
  meta.push(
    ['Created', r.createdAt],
    ['Reference', `${r.reference.label} (${r.reference.rows} rows)`],
    ['Current', `${r.current.label} (${r.current.rows} rows)`],
    ['Verdict', r.summary.datasetDrift ? 'dataset drift' : 'no dataset drift'],
  );
  return {
    title: options.title ?? `Drift report: ${r.current.label} against ${r.reference.label}`,
    kind: 'drift',
    meta,
    sections,
  };
}

/** One self-contained HTML page: inline CSS, charts as inline SVG, no script, nothing fetched. */
export function renderDriftHtml(report: DriftReport, options: { project?: string; title?: string } = {}): string {
  return renderReport(driftDocument(report, options));
}

/** The report as wire JSON: NaN and infinite scores survive (plain JSON would turn them into null). */
export function renderDriftJson(report: DriftReport): string {
  return `${toWire(driftReportSchema.parse(report))}\n`;
}

export interface DriftWriteOptions {
  format: ReportFormat;
  /** A file name inside reports/; by default drift-<current>-<date>.<ext>. */
  file?: string;
  project?: string;
  title?: string;
  pdf?: PdfOptions;
  /** The shell's printer (Electron's in the desktop app); headless Chromium when absent. */
  print?: PrintPdf;
  /** The paper a PDF is printed on; the locale's when left out. */
  paper?: Paper;
  now?: Date;
}

/** Writes the report into the project's reports/ folder, never over an existing file. */
export async function writeDriftReport(
  projectDir: string,
  report: DriftReport,
  options: DriftWriteOptions,
): Promise<{ path: string; size: number }> {
  const data =
    options.format === 'json'
      ? renderDriftJson(report)
      : options.format === 'pdf'
        ? await (options.print
            ? options.print(renderDriftHtml(report, options), options.paper ?? defaultPaper())
            : printHtmlToPdf(renderDriftHtml(report, options), {
                ...options.pdf,
                ...(options.paper ? { paper: options.paper } : {}),
              }))
        : renderDriftHtml(report, options);
  const base = report.current.label.split(/[\\/]/).pop() ?? 'data';
  const written = writeProjectReport(projectDir, data, {
    slug: `${DRIFT_REPORT_PREFIX}${base}`,
    name: options.file,
    ext: options.format,
    ...(options.now ? { now: options.now } : {}),
  });
  return { path: written.path, size: written.size };
}
