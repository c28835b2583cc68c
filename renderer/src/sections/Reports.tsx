// Runs in: renderer. Exported reports: self-contained files that open offline anywhere.
import type { ReportRow } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatBytes, formatDate } from '../components/format';
import { NameCell, Table, type Column } from '../components/Table';
import { useCall } from '../hooks/use-call';

const COLUMNS: Column<ReportRow>[] = [
  { header: 'Report', cell: (r) => <NameCell name={r.name} detail={r.path} /> },
  { header: 'Format', cell: (r) => r.format.toUpperCase() },
  { header: 'Size', cell: (r) => formatBytes(r.size), numeric: true },
  { header: 'Modified', cell: (r) => formatDate(r.modifiedAt) },
];

export function Reports() {
  const [state, reload] = useCall('reports.list', {});
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.reports.length === 0 ? (
          <EmptyState title="No reports yet">
            <p>
              Reports are self-contained HTML, PDF or JSON files that open offline on any machine, for sharing results with
              someone who has none of your tools. Exported reports are kept in the project's <code>{data.folder}/</code> folder.
            </p>
          </EmptyState>
        ) : (
          <Table label="Reports" columns={COLUMNS} rows={data.reports} rowKey={(r) => r.path} />
        )
      }
    </CallView>
  );
}
