// Runs in: main (core) and CLI. A monitor's timeline as a self-contained HTML report: drift share per
// batch against its threshold, drift per column and batch as a heatmap with the most drifted column's
// score as a line, the model's metrics, the batches and the alerts. Reads only the contract's
// monitorDetail.
import { driftCells, mostDrifted } from '../../../shared/charts/drift-cells';
import type { MonitorDetail } from '../../../shared/contract/schemas';
import { renderReport, type Block, type Report, type ReportSection } from './document';
import { timelineSvg } from './echarts-svg';
import { driftHeatmapSvg } from './monitor-charts';
import { formatValue } from '../../../shared/format/number';
import { writeProjectReport } from './writer';

/** The one threshold the series share, or null when they differ (the chart then draws none). */
function common(values: readonly (number | null)[]): number | null {
  const set = new Set(values.filter((v): v is number => v !== null));
  return set.size === 1 ? [...set][0]! : null;
}

/**
 * Drift per column and batch as one heatmap (p-values and distances each measured against their own
 * threshold, so they share a colour scale but never an axis), then the column that drifted most as a
 * line of its own score against its threshold.
 */
function columnCharts(m: MonitorDetail): Block[] {
  const grid = driftCells(m.batches);
  const top = mostDrifted(grid);
  if (!top) return [];
  const charts: Block[] = [{ kind: 'chart', svg: driftHeatmapSvg({ title: 'Drift per column and batch', grid }) }];
  const cells = m.batches.map((b) => b.columns.find((c) => c.name === top && c.test !== null));
  const first = cells.find((c) => c !== undefined)!;
  const kind = first.scoreKind === 'p_value' ? 'p-value' : 'distance';
  charts.push({
    kind: 'chart',
    svg: timelineSvg({
      title: `${top}: ${first.test} ${kind} per batch (the most drifted column)`,
      x: m.batches.map((b) => b.label),
      series: [{ name: top, values: cells.map((c) => c?.score ?? null) }],
      threshold: common(cells.map((c) => c?.threshold ?? null)),
      yName: kind,
    }),
  });
  return charts;
}

export function monitorDocument(m: MonitorDetail, options: { project?: string } = {}): Report {
  const x = m.batches.map((b) => b.label);
  const open = m.alerts.filter((a) => a.acknowledgedAt === null);
  const last = m.batches[m.batches.length - 1];
  const sections: ReportSection[] = [
    {
      heading: 'Summary',
      blocks: [
        open.length
          ? {
              kind: 'callout',
              tone: 'alert',
              title: `${open.length} open alert${open.length === 1 ? '' : 's'}`,
              text: 'Newest first:',
              items: open.map((a) => `${a.rule}: ${a.message}`),
            }
          : {
              kind: 'callout',
              tone: 'ok',
              title: 'No open alerts',
              text: last
                ? `Last batch ${last.label}: drift share ${formatValue(last.share)}.`
                : 'No batch checked yet.',
            },
      ],
    },
  ];
  if (m.batches.length) {
    const charts: Block[] = [
      {
        kind: 'chart',
        svg: timelineSvg({
          title: 'Drift share per batch',
          x,
          series: [{ name: 'drift share', values: m.batches.map((b) => b.share) }],
          threshold: common(m.batches.map((b) => b.shareThreshold)),
          yName: 'share',
        }),
      },
      ...columnCharts(m),
    ];
    const perf = m.batches.find((b) => b.performance)?.performance;
    if (perf) {
      const keys = Object.keys(perf.metrics);
      charts.push({
        kind: 'chart',
        svg: timelineSvg({
          title: `Model performance (${perf.kind})`,
          x,
          series: keys.map((k) => ({ name: k, values: m.batches.map((b) => b.performance?.metrics[k] ?? null) })),
        }),
      });
    }
    sections.push({ heading: 'Timeline', blocks: charts, grid: true });
    sections.push({
      heading: 'Batches',
      blocks: [
        {
          kind: 'table',
          caption: 'Each checked batch, oldest first (drifting batches marked)',
          columns: ['Batch', 'Checked', 'Rows', 'Drift share', 'Threshold', 'Drifted columns', 'Performance', 'Report'],
          numeric: [2, 3, 4],
          rows: m.batches.map((b) => ({
            differs: b.datasetDrift,
            cells: [
              b.label,
              b.checkedAt,
              String(b.rows),
              formatValue(b.share),
              formatValue(b.shareThreshold),
              b.columns
                .filter((c) => c.drifted)
                .map((c) => c.name)
                .join(', ') || '-',
              b.performance
                ? Object.entries(b.performance.metrics)
                    .map(([k, v]) => `${k} ${formatValue(v)}`)
                    .join(', ')
                : '-',
              b.report ?? '-',
            ],
          })),
        },
      ],
    });
  }
  if (m.alerts.length) {
    sections.push({
      heading: 'Alerts',
      blocks: [
        {
          kind: 'table',
          caption: 'Newest first (open alerts marked)',
          columns: ['#', 'At', 'Batch', 'Rule', 'Message', 'Pipeline run', 'Acknowledged'],
          rows: m.alerts.map((a) => ({
            differs: a.acknowledgedAt === null,
            cells: [String(a.id), a.at, a.batch ?? '-', a.rule, a.message, a.runId ?? '-', a.acknowledgedAt ?? 'no'],
          })),
        },
      ],
    });
  }
  const c = m.config;
  const meta: [string, string][] = [];
  if (options.project) meta.push(['Project', options.project]);
  if (c.model) meta.push(['Model', c.model]);
  meta.push(
    ['Reference', c.reference],
    ['Batches', c.folder !== null ? `every table file in ${c.folder}` : c.files.join(', ')],
    ['Rules', c.rules.join('; ') || 'none'],
  );
  return { title: `Monitor ${m.name}`, kind: 'drift', meta, sections };
}

/** Writes reports/monitor-<name>-<date>.html (never over an existing file). */
export function writeMonitorReport(
  projectDir: string,
  m: MonitorDetail,
  options: { project?: string; file?: string } = {},
): { path: string; size: number } {
  const w = writeProjectReport(projectDir, renderReport(monitorDocument(m, options)), {
    slug: `monitor-${m.name}`,
    name: options.file,
  });
  return { path: w.path, size: w.size };
}
