// Runs in: renderer. A monitor's checked batches, newest first, each with its drift report: shown in
// the app (the whole report, with its column table and settings), or its HTML file opened.
import type { MonitorBatch } from '../../../../shared/contract';
import { formatDate } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { formatShare } from './drift-format';
import { ReportLink } from './ReportLink';

const columns = (onView?: (b: MonitorBatch) => void): Column<MonitorBatch>[] => [
  { header: 'Batch', cell: (b) => <strong>{b.label}</strong> },
  { header: 'Checked at', cell: (b) => formatDate(b.checkedAt) },
  { header: 'Rows', cell: (b) => b.rows, numeric: true },
  {
    header: 'Drift share',
    cell: (b) => `${formatShare(b.share)} (threshold ${formatShare(b.shareThreshold)})`,
    numeric: true,
  },
  {
    header: 'Drifted columns',
    cell: (b) => {
      const names = b.columns.filter((c) => c.drifted).map((c) => c.name);
      return `${b.drifted} of ${b.tested}${names.length > 0 ? `: ${names.join(', ')}` : ''}`;
    },
  },
  {
    header: 'Dataset drift',
    cell: (b) =>
      b.datasetDrift ? <strong className="monitor-alert">Drift</strong> : <span className="monitor-ok">No drift</span>,
  },
  {
    header: 'Report',
    cell: (b) => (
      <span className="batch-report">
        {onView ? (
          <button
            type="button"
            className="link-button"
            onClick={() => onView(b)}
            aria-label={`View the report of ${b.label} here`}
          >
            View
          </button>
        ) : null}
        {b.report ? (
          <ReportLink path={b.report} label={`Open the report of ${b.label}`} />
        ) : (
          <span className="muted">no file</span>
        )}
      </span>
    ),
  },
];

export function BatchesTable({ batches, onView }: { batches: MonitorBatch[]; onView?: (b: MonitorBatch) => void }) {
  if (batches.length === 0) return <p className="muted">No batch checked yet: press Check now.</p>;
  return (
    <div className="table-scroll">
      <Table label="Batches" columns={columns(onView)} rows={[...batches].reverse()} rowKey={(b) => b.id} />
    </div>
  );
}
