// Runs in: renderer. A CSV file's first rows, with a chart and summary per column.
import { useMemo } from 'react';
import type { ColumnSummary, DataPreview } from '../../../../shared/contract';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatNumber, plural } from '../../components/format';

function columnChart(c: ColumnSummary): ChartOption {
  if (c.kind === 'numeric') {
    const width = (c.max - c.min) / c.histogram.length;
    return {
      grid: { left: 30, right: 8, top: 8, bottom: 20 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: c.histogram.map((_, i) => formatNumber(c.min + i * width)),
        axisLabel: { fontSize: 9 },
      },
      yAxis: { type: 'value', axisLabel: { fontSize: 9 } },
      series: [{ type: 'bar', data: c.histogram, barCategoryGap: '8%' }],
    };
  }
  return {
    grid: { left: 30, right: 8, top: 8, bottom: 20 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: c.top.map((t) => t.value), axisLabel: { fontSize: 9 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 9 } },
    series: [{ type: 'bar', data: c.top.map((t) => t.count) }],
  };
}

function ColumnCard({ summary }: { summary: ColumnSummary }) {
  const option = useMemo(() => columnChart(summary), [summary]);
  return (
    <figure className="column-card">
      <figcaption>
        <strong>{summary.name}</strong>
        <span className="muted">
          {summary.kind === 'numeric'
            ? `min ${formatNumber(summary.min)} · mean ${formatNumber(summary.mean)} · max ${formatNumber(summary.max)}`
            : `${plural(summary.distinct, 'distinct value')}`}
          {summary.missing ? ` · ${summary.missing} missing` : ''}
        </span>
      </figcaption>
      <Chart option={option} label={`Distribution of ${summary.name}`} height={110} />
    </figure>
  );
}

export function Preview({ preview }: { preview: DataPreview }) {
  return (
    <section className="preview" aria-label={`Preview of ${preview.path}`}>
      <h3>
        {preview.path} · {plural(preview.totalRows, 'row')} · {plural(preview.columns.length, 'column')}
      </h3>
      <div className="column-cards">
        {preview.summaries.map((s) => (
          <ColumnCard key={s.name} summary={s} />
        ))}
      </div>
      <div className="table-scroll">
        <table className="grid compact" aria-label="First rows">
          <thead>
            <tr>
              <th className="num">#</th>
              {preview.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>
                <td className="num muted">{i + 1}</td>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
