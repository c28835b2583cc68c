// Runs in: main (core) and CLI. A monitor's timeline as a self-contained HTML report: drift share per
// batch against its threshold, each column's score against its threshold, the model's metrics, the
// batches and the alerts. Reads only the contract's monitorDetail.
import type { MonitorDetail } from '../../../shared/contract/schemas';
import { renderReport, type Block, type Report, type ReportSection } from './document';
import { timelineSvg } from './echarts-svg';
import { formatValue } from '../../../shared/format/number';
import { writeProjectReport } from './writer';

/** The one threshold the series share, or null when they differ (the chart then draws none). */
function common(values: readonly (number | null)[]): number | null {
  const set = new Set(values.filter((v): v is number => v !== null));
  return set.size === 1 ? [...set][0]! : null;
}

function columnCharts(m: MonitorDetail): Block[] {
  const x = m.batches.map((b) => b.label);
  const charts: Block[] = [];
  for (const kind of ['p_value', 'distance'] as const) {
    const names = [
      ...new Set(m.batches.flatMap((b) => b.columns.filter((c) => c.scoreKind === kind).map((c) => c.name))),
    ];
    if (!names.length) continue;
    const series = names.map((name) => ({
      name,
      values: m.batches.map((b) => b.columns.find((c) => c.name === name && c.scoreKind === kind)?.score ?? null),
    }));
    const threshold = common(
      m.batches.flatMap((b) => b.columns.filter((c) => c.scoreKind === kind).map((c) => c.threshold)),
    );
    const title =
      kind === 'p_value'
        ? 'Column p-values (drift below the threshold)'
        : 'Column distances (drift at or above the threshold)';
    charts.push({
      kind: 'chart',
      svg: timelineSvg({ title, x, series, threshold, yName: kind === 'p_value' ? 'p-value' : 'distance' }),
    });
  }
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
              text: open
                .slice(0, 5)
                .map((a) => `${a.rule}: ${a.message}`)
                .join('\n'),
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
