// Runs in: renderer. A drift report's verdict: dataset drift or not, the drifted share against its
// threshold, the counts, both sources, and the problems that did not stop the report.
import type { DriftReport } from '../../../../shared/contract';
import { InfoCard } from '../../components/InfoCard';
import { KeyValueTable } from '../../components/KeyValueTable';
import { formatShare } from './drift-format';

function source(s: DriftReport['reference']): string {
  return `${s.label} — ${s.rows.toLocaleString()} rows, ${s.columns} columns${s.hash ? `, sha256 ${s.hash.slice(0, 12)}` : ''}`;
}

export function DriftSummary({ report }: { report: DriftReport }) {
  const s = report.summary;
  return (
    <div className="run-cards">
      <InfoCard title="Summary" wide>
        <p className={`drift-verdict ${s.datasetDrift ? 'monitor-alert' : 'monitor-ok'}`} role="status">
          <strong>{s.datasetDrift ? '⚠ Dataset drift detected' : '✓ No dataset drift'}</strong>: {s.drifted} of{' '}
          {s.tested} tested columns drifted ({formatShare(s.share)}; the threshold is {formatShare(s.shareThreshold)}).
        </p>
        <KeyValueTable
          label="Report summary"
          entries={[
            ['Reference', source(report.reference)],
            ['Current', source(report.current)],
            ['Columns', `${s.columns} (${s.tested} tested, ${s.drifted} drifted)`],
            ...(report.onlyInReference.length > 0
              ? ([['Only in reference', report.onlyInReference.join(', ')]] as [string, string][])
              : []),
            ...(report.onlyInCurrent.length > 0
              ? ([['Only in current', report.onlyInCurrent.join(', ')]] as [string, string][])
              : []),
          ]}
          empty=""
        />
        {report.problems.length > 0 ? (
          <ul aria-label="Problems">
            {report.problems.map((p, i) => (
              <li key={i}>
                {p.source}: {p.message}
              </li>
            ))}
          </ul>
        ) : null}
      </InfoCard>
    </div>
  );
}
