// Runs in: renderer. The project's data files, and a preview with per-column summaries.
import { useMemo, useState } from 'react';
import type { ColumnSummary, DataFile, DataPreview } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { Chart, type ChartOption } from '../components/Chart';
import { EmptyState } from '../components/EmptyState';
import { formatBytes, formatDate, formatNumber, plural } from '../components/format';
import { Table, type Column } from '../components/Table';
import { useCall } from '../hooks/use-call';

function columnChart(c: ColumnSummary): ChartOption {
  if (c.kind === 'numeric') {
    const width = (c.max - c.min) / c.histogram.length;
    return {
      grid: { left: 30, right: 8, top: 8, bottom: 20 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: c.histogram.map((_, i) => formatNumber(c.min + i * width)), axisLabel: { fontSize: 9 } },
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

function Preview({ preview }: { preview: DataPreview }) {
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

function fileColumns(select: (path: string) => void, selected: string | null): Column<DataFile>[] {
  return [
    {
      header: 'File',
      cell: (f) => (
        <button type="button" className="link" onClick={() => select(f.path)} aria-pressed={f.path === selected}>
          {f.path}
        </button>
      ),
    },
    { header: 'Rows', cell: (f) => (f.rows === null ? '—' : f.rows.toLocaleString()), numeric: true },
    { header: 'Columns', cell: (f) => f.columns.length || '—', numeric: true },
    { header: 'Size', cell: (f) => formatBytes(f.size), numeric: true },
    { header: 'Git', cell: (f) => <span className={`status git-${f.gitStatus}`}>{f.gitStatus}</span> },
    { header: 'Modified', cell: (f) => formatDate(f.modifiedAt) },
  ];
}

export function Data() {
  const [state, reload] = useCall('data.list', {});
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, reloadPreview] = useCall('data.preview', { path: selected ?? 'none', limit: 20 }, selected !== null);
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.files.length === 0 ? (
          <EmptyState title="No data files yet" command="cp ~/Downloads/train.csv data/">
            <p>Put the datasets of this project in its <code>data/</code> folder. CSV files get row counts, column summaries and a preview here.</p>
          </EmptyState>
        ) : (
          <>
            <Table label="Data files" columns={fileColumns(setSelected, selected)} rows={data.files} rowKey={(f) => f.path} selectedKey={selected} />
            {selected ? (
              <CallView state={preview} reload={reloadPreview}>
                {(p) => <Preview preview={p} />}
              </CallView>
            ) : (
              <p className="muted">Choose a file to see its columns and first rows.</p>
            )}
          </>
        )
      }
    </CallView>
  );
}
