// Runs in: renderer. One column of a drift report: reference and current distributions overlaid
// (histogram bins or category bars, from driftColumn.histogram), both sides' summaries, and the
// quality notes (missing values, new categories, values out of the reference's range).
import { useMemo } from 'react';
import type { DriftColumn } from '../../../../shared/contract';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatNumber } from '../../components/format';
import { InfoCard } from '../../components/InfoCard';
import { formatScore, formatShare } from './drift-format';
import { ReferenceCurrentTable, type ReferenceCurrentRow } from './ReferenceCurrentTable';

function binLabels(h: NonNullable<DriftColumn['histogram']>): string[] {
  if (h.keys) return h.keys;
  const edges = h.edges ?? [];
  return h.reference.map((_, i) => `${formatNumber(edges[i] ?? NaN)}–${formatNumber(edges[i + 1] ?? NaN)}`);
}

function distributionOption(h: NonNullable<DriftColumn['histogram']>): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatShare(v) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 48 },
    xAxis: { type: 'category', data: binLabels(h), axisLabel: { rotate: h.keys ? 30 : 0, hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    // Overlaid (barGap -100%) and translucent, so where the two differ is what stands out.
    series: [
      { name: 'Reference', type: 'bar', data: h.reference, barGap: '-100%', itemStyle: { opacity: 0.55 } },
      { name: 'Current', type: 'bar', data: h.current, itemStyle: { opacity: 0.55 } },
    ],
  };
}

function summaryRows(c: DriftColumn): ReferenceCurrentRow[] {
  const r = c.reference;
  const k = c.current;
  const num = (v: number | null) => (v === null ? '—' : formatNumber(v));
  const rows: ReferenceCurrentRow[] = [
    ['Rows', String(r.rows), String(k.rows)],
    ['Missing', String(r.missing), String(k.missing)],
    ['Distinct', String(r.distinct), String(k.distinct)],
  ];
  if (r.mean !== null || k.mean !== null) {
    rows.push(
      ['Mean', num(r.mean), num(k.mean)],
      ['Std', num(r.std), num(k.std)],
      ['Min', num(r.min), num(k.min)],
      ['Max', num(r.max), num(k.max)],
    );
  }
  if (r.top.length > 0 || k.top.length > 0) {
    const top = (t: typeof r.top) =>
      t
        .slice(0, 5)
        .map((x) => `${x.value} (${x.count})`)
        .join(', ') || '—';
    rows.push(['Most frequent', top(r.top), top(k.top)]);
  }
  return rows;
}

function qualityNotes(c: DriftColumn): string[] {
  const q = c.quality;
  const notes: string[] = [];
  if (q.missingShareReference > 0 || q.missingShareCurrent > 0)
    notes.push(
      `Missing values: ${formatShare(q.missingShareReference)} in reference, ${formatShare(q.missingShareCurrent)} in current.`,
    );
  if (q.newCategoryRows > 0)
    notes.push(
      `${q.newCategoryRows} current rows have categories the reference never had (${q.newCategories.join(', ')}).`,
    );
  if (q.outOfRangeShare !== null && q.outOfRangeShare > 0)
    notes.push(`${formatShare(q.outOfRangeShare)} of current values lie outside the reference's range.`);
  if (q.constantReference) notes.push('The reference is constant.');
  if (q.constantCurrent) notes.push('The current data is constant.');
  if (c.problem) notes.push(c.problem);
  return notes;
}

export function ColumnDetail({ column }: { column: DriftColumn }) {
  const option = useMemo(() => (column.histogram ? distributionOption(column.histogram) : null), [column]);
  const notes = qualityNotes(column);
  return (
    <div className="run-cards">
      <InfoCard title={`${column.name}: distributions`} wide>
        <p>
          {column.drifted ? <strong className="drift-flag">⚠ Drifted</strong> : 'No drift'}
          {column.test
            ? ` — ${column.test}, ${column.scoreKind === 'p_value' ? 'p-value' : 'distance'} ${formatScore(column.score)} against threshold ${formatScore(column.threshold)}`
            : ' — not tested'}
        </p>
        {option ? (
          <Chart
            option={option}
            height={260}
            label={`Shares of ${column.name} per ${column.histogram?.keys ? 'category' : 'bin'}, reference and current overlaid`}
          />
        ) : (
          <p className="muted">No distribution to draw for this column.</p>
        )}
      </InfoCard>
      <InfoCard title={`${column.name}: summaries`} wide>
        <ReferenceCurrentTable
          label={`Summaries of ${column.name}`}
          rowHeading="Statistic"
          rows={summaryRows(column)}
        />
      </InfoCard>
      <InfoCard title={`${column.name}: quality`}>
        {notes.length === 0 ? (
          <p className="muted">No quality problems.</p>
        ) : (
          <ul>
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </InfoCard>
    </div>
  );
}
