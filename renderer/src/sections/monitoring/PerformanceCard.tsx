// Runs in: renderer. Model performance on reference and current, side by side: classification
// (accuracy, macro F1, ROC AUC, confusion matrices) or regression (MAE, RMSE, MAPE, R²).
import type { ModelPerformance } from '../../../../shared/contract';
import { formatNumber } from '../../components/format';
import { InfoCard } from '../../components/InfoCard';
import { ReferenceCurrentTable, type ReferenceCurrentRow } from './ReferenceCurrentTable';

function metricRows(p: ModelPerformance): [string, number | null][] {
  if (p.kind === 'classification')
    return [
      ['Accuracy', p.accuracy],
      ['Macro precision', p.macro.precision],
      ['Macro recall', p.macro.recall],
      ['Macro F1', p.macro.f1],
      ['ROC AUC', p.rocAuc],
      ['Rows', p.rows],
    ];
  return [
    ['MAE', p.mae],
    ['RMSE', p.rmse],
    ['MAPE', p.mape],
    ['R²', p.r2],
    ['Rows', p.rows],
  ];
}

function Confusion({ side, p }: { side: string; p: Extract<ModelPerformance, { kind: 'classification' }> }) {
  return (
    <table className="grid compact" aria-label={`Confusion matrix, ${side}`}>
      <caption>{side}: rows are true labels, columns predicted</caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {p.confusion.labels.map((l) => (
            <th key={l} scope="col" className="num">
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.confusion.matrix.map((row, i) => (
          <tr key={p.confusion.labels[i]}>
            <th scope="row">{p.confusion.labels[i]}</th>
            {row.map((n, j) => (
              <td key={j} className="num">
                {n}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Reference's metrics in order; a metric the current side lacks (the kinds differ) shows as missing. */
function comparisonRows(reference: ModelPerformance, current: ModelPerformance): ReferenceCurrentRow[] {
  const show = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(v));
  const cur = new Map(metricRows(current));
  return metricRows(reference).map(([k, v]) => [k, show(v), show(cur.get(k))]);
}

export function PerformanceCard({ reference, current }: { reference: ModelPerformance; current: ModelPerformance }) {
  return (
    <InfoCard title={`Model performance (${reference.kind})`} wide>
      <ReferenceCurrentTable label="Model performance" rowHeading="Metric" rows={comparisonRows(reference, current)} />
      {reference.kind === 'classification' && current.kind === 'classification' ? (
        <div className="confusions">
          <Confusion side="Reference" p={reference} />
          <Confusion side="Current" p={current} />
        </div>
      ) : null}
    </InfoCard>
  );
}
