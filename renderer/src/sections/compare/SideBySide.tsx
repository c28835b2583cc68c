// Runs in: renderer. Params and latest metrics of the compared runs in columns, rows that differ
// marked, with an "Only differences" switch. Many runs scroll sideways, the row labels stay put.
import { useState } from 'react';
import type { MetricRow, ParamRow } from '../../../../shared/compare/side-by-side';
import { formatMetric } from './series-math';
import './compare.css';

export function SideBySide({ names, params, metrics }: { names: string[]; params: ParamRow[]; metrics: MetricRow[] }) {
  const [onlyDiff, setOnlyDiff] = useState(false);
  const shownParams = onlyDiff ? params.filter((p) => p.differs) : params;
  const shownMetrics = onlyDiff ? metrics.filter((m) => m.differs) : metrics;
  const head = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {names.map((n, i) => (
          <th scope="col" key={i} title={n}>
            {n}
          </th>
        ))}
      </tr>
    </thead>
  );
  return (
    <section aria-label="Side by side" className="side-by-side">
      <label className="only-diff">
        <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> Only differences
        <span className="muted">
          {' '}
          ({params.filter((p) => p.differs).length} of {params.length} params, {metrics.filter((m) => m.differs).length}{' '}
          of {metrics.length} metrics differ)
        </span>
      </label>
      <div className="table-scroll">
        <table className="grid compact" aria-label="Params side by side">
          {head('Param')}
          <tbody>
            {shownParams.map((p) => (
              <tr key={p.key} className={p.differs ? 'differs' : undefined}>
                <th scope="row">{p.key}</th>
                {p.values.map((v, i) => (
                  <td key={i} title={v ?? undefined}>
                    {v ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table className="grid compact" aria-label="Metrics side by side">
          {head('Metric (latest)')}
          <tbody>
            {shownMetrics.map((m) => (
              <tr key={m.key} className={m.differs ? 'differs' : undefined}>
                <th scope="row">{m.key}</th>
                {m.values.map((v, i) => (
                  <td key={i} className="num">
                    {formatMetric(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
