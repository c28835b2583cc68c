// Runs in: main (core) and CLI. Two or more runs side by side: their params and latest metrics with
// what differs flagged, their metric series (downsampled), and the comparison as an HTML report.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { MetricSeries, RunDetail } from '../../../shared/contract/schemas';
import { numericValues, sideBySide, type MetricRow, type ParamRow } from '../../../shared/compare/side-by-side';
import type { Block, Report } from '../reports/document';
import { formatValue } from '../../../shared/format/number';
import { barChart, extent, lineChart, parallelCoordinates, scatterChart } from '../reports/echarts-svg';
import { metricHistory } from './history';
import { getRun } from './runs';

export const MAX_COMPARED = 50;

export interface ComparedRun {
  id: string;
  name: string;
  status: string;
  experiment: string;
  startTime: string | null;
  duration: number | null;
  gitCommit: string | null;
}

export interface Comparison {
  runs: ComparedRun[];
  params: ParamRow[];
  metrics: MetricRow[];
}

export function checkCompareIds(ids: readonly string[]): void {
  if (ids.length < 2)
    throw new BenchtopError(
      'INVALID_INPUT',
      `A comparison needs at least two runs; ${ids.length === 0 ? 'none was' : 'one was'} given.`,
      { field: 'ids', hint: 'Name two or more run ids.' },
    );
  if (ids.length > MAX_COMPARED)
    throw new BenchtopError('INVALID_INPUT', `${ids.length} runs are too many to compare at once.`, {
      field: 'ids',
      hint: `Compare at most ${MAX_COMPARED} runs.`,
    });
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup)
    throw new BenchtopError('INVALID_INPUT', `Run ${dup} is named twice.`, {
      field: 'ids',
      hint: 'Name each run once.',
    });
}

export function compareRuns(db: Database, ids: readonly string[]): Comparison {
  checkCompareIds(ids);
  const details: RunDetail[] = ids.map((id) => getRun(db, id));
  const { params, metrics } = sideBySide(
    details.map((d) => ({ params: d.params, metrics: Object.fromEntries(d.metrics.map((m) => [m.key, m.value])) })),
  );
  return {
    runs: details.map((d) => ({
      id: d.id,
      name: d.name,
      status: d.status,
      experiment: d.experiment,
      startTime: d.startTime,
      duration: d.duration,
      gitCommit: d.gitCommit,
    })),
    params,
    metrics,
  };
}

/** A log axis reads better when positive values span more than two decades (a loss, say). */
function spansDecades(values: readonly number[]): boolean {
  const [lo, hi] = extent(values);
  return values.length > 0 && lo > 0 && hi / lo > 100;
}

/** A 600-pixel chart cannot show more; it keeps a report of 50 runs × 24 metrics to a few MB. */
const REPORT_POINTS = 600;

/** Charts per metric are capped so a run with hundreds of metrics still gives a readable report. */
const MAX_METRIC_CHARTS = 24;

/** The report: runs, params (differences highlighted), metrics, curves, bars, params → metric. */
export function comparisonReport(
  db: Database,
  ids: readonly string[],
  options: { project: string; metric?: string | undefined; maxPoints?: number; now?: Date },
): Report {
  const cmp = compareRuns(db, ids);
  if (options.metric !== undefined && !cmp.metrics.some((m) => m.key === options.metric)) {
    throw new BenchtopError('INVALID_INPUT', `None of these runs logged a metric "${options.metric}".`, {
      field: 'metric',
      hint: cmp.metrics.length
        ? `Choose one of ${cmp.metrics
            .map((m) => m.key)
            .slice(0, 10)
            .join(', ')}.`
        : 'Leave the metric out.',
    });
  }
  const names = cmp.runs.map((r) => r.name);
  const metricKeys = cmp.metrics.map((m) => m.key);
  const charted = metricKeys.slice(0, MAX_METRIC_CHARTS);
  const series: MetricSeries[] = charted.length
    ? metricHistory(db, ids, charted, options.maxPoints ?? REPORT_POINTS)
    : [];
  const column = cmp.runs.map((r) => r.name);
  const diffCount = cmp.params.filter((p) => p.differs).length;

  const curves: Block[] = charted
    .filter((key) => series.some((s) => s.key === key && s.steps.length > 1))
    .map((key) => {
      const lines = cmp.runs.map((r) => {
        const s = series.find((x) => x.key === key && x.runId === r.id);
        return { name: r.name, xs: s?.steps ?? [], ys: s?.values ?? [] };
      });
      return {
        kind: 'chart',
        svg: lineChart({
          title: key,
          xLabel: 'step',
          yLabel: key,
          series: lines,
          logY: spansDecades(lines.flatMap((l) => l.ys)),
        }),
      };
    });
  const bars: Block[] = charted.map((key) => {
    const row = cmp.metrics.find((m) => m.key === key)!;
    return {
      kind: 'chart',
      svg: barChart({
        title: `${key} (latest)`,
        yLabel: key,
        bars: names.map((n, i) => ({ label: n, value: row.values[i] ?? null })),
        width: 420,
      }),
    };
  });

  // Params → a metric: the params that differ (numeric or not), then the chosen (or first) metric.
  const target = cmp.metrics.find((m) => m.key === options.metric) ?? cmp.metrics[0];
  const varying = cmp.params.filter((p) => p.differs).slice(0, 8);
  const relations: Block[] = [];
  if (target && varying.length > 0) {
    const axes = [...varying.map((p) => ({ name: p.key })), { name: target.key }];
    const lines = cmp.runs.map((r, i) => ({
      name: r.name,
      values: [...varying.map((p) => numericValues(p.values)?.[i] ?? p.values[i] ?? null), target.values[i] ?? null],
    }));
    relations.push({ kind: 'chart', svg: parallelCoordinates({ title: `Params → ${target.key}`, axes, lines }) });
    const numericParam = varying.find((p) => numericValues(p.values) !== null);
    if (numericParam) {
      const xs = numericValues(numericParam.values)!;
      relations.push({
        kind: 'chart',
        svg: scatterChart({
          title: `${target.key} by ${numericParam.key}`,
          xLabel: numericParam.key,
          yLabel: target.key,
          points: cmp.runs.map((r, i) => ({
            label: r.name,
            x: xs[i] ?? Number.NaN,
            y: target.values[i] ?? Number.NaN,
          })),
        }),
      });
    }
  }

  // A run without a name of its own is named by its id: an Id column would then repeat the Run column.
  const named = cmp.runs.some((r) => r.name !== r.id);
  const sections: Report['sections'][number][] = [
    {
      heading: 'Runs',
      blocks: [
        {
          kind: 'table',
          caption: `${cmp.runs.length} runs`,
          columns: ['Run', ...(named ? ['Id'] : []), 'Status', 'Experiment', 'Started', 'Duration (s)', 'Commit'],
          numeric: [named ? 5 : 4],
          rows: cmp.runs.map((r) => ({
            cells: [
              r.name,
              ...(named ? [r.id] : []),
              r.status,
              r.experiment,
              r.startTime ?? '—',
              formatValue(r.duration),
              r.gitCommit?.slice(0, 10) ?? '—',
            ],
          })),
        },
      ],
    },
    {
      heading: 'Params',
      blocks: cmp.params.length
        ? [
            {
              kind: 'table',
              caption: `${cmp.params.length} params, ${diffCount} differ`,
              columns: ['Param', ...column],
              diffToggle: true,
              rows: cmp.params.map((p) => ({ cells: [p.key, ...p.values.map((v) => v ?? '—')], differs: p.differs })),
            },
          ]
        : [{ kind: 'text', text: 'None of these runs logged params.' }],
    },
    {
      heading: 'Metrics (latest values)',
      blocks: cmp.metrics.length
        ? [
            {
              kind: 'table',
              caption: `${cmp.metrics.length} metrics`,
              columns: ['Metric', ...column],
              numeric: column.map((_, i) => i + 1),
              diffToggle: true,
              rows: cmp.metrics.map((m) => ({ cells: [m.key, ...m.values.map(formatValue)], differs: m.differs })),
            },
          ]
        : [{ kind: 'text', text: 'None of these runs logged metrics.' }],
    },
  ];
  if (curves.length) sections.push({ heading: 'Metric curves (by step)', grid: true, blocks: curves });
  if (bars.length) sections.push({ heading: 'Latest values', grid: true, blocks: bars });
  if (relations.length) sections.push({ heading: 'Params and results', grid: true, blocks: relations });
  if (metricKeys.length > MAX_METRIC_CHARTS)
    sections.push({
      heading: 'Note',
      blocks: [
        {
          kind: 'text',
          text: `Charts show the first ${MAX_METRIC_CHARTS} of ${metricKeys.length} metrics (alphabetically); the table above has them all.`,
        },
      ],
    });

  return {
    kind: 'comparison',
    title: `Comparison of ${cmp.runs.length} runs: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}`,
    meta: [
      ['Project', options.project],
      ['Generated', (options.now ?? new Date()).toISOString()],
      ['Runs', cmp.runs.map((r) => r.id).join(', ')],
    ],
    sections,
  };
}
