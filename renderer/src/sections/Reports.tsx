// Runs in: renderer. Exported reports: self-contained files that open offline anywhere.
import { useState } from 'react';
import type { ReportRow } from '../../../shared/contract';
import { api, isDesktop } from '../api/client';
import { signedReportUrl } from '../api/report-link';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatBytes, formatDate } from '../components/format';
import { NameCell, Table, type Column } from '../components/Table';
import { useCall } from '../hooks/use-call';
import { toastError, useApp } from '../store/app-store';
import { formatRoute } from '../store/routes';

const KIND_LABELS: Record<ReportRow['kind'], string> = {
  drift: 'Drift',
  comparison: 'Comparison',
  'model-card': 'Model card',
  other: 'Other',
};

function OpenButton({ row, onError }: { row: ReportRow; onError: (message: string | null) => void }) {
  const open = async () => {
    onError(null);
    if (isDesktop) {
      // The desktop shell hands the file to the system's viewer.
      try {
        await api.call('reports.open', { path: row.path });
      } catch (err) {
        toastError(`Could not open ${row.name}`, err);
      }
      return;
    }
    const url = await signedReportUrl(row.path);
    if (!url)
      return onError('This tab has no Benchtop token: open Benchtop again with the URL that `benchtop ui` printed.');
    // A tab of its own: the server sends the report with a sandboxing CSP, so it runs no script.
    window.open(url, '_blank', 'noopener');
  };
  return (
    <button type="button" onClick={() => void open()} aria-label={`Open ${row.name}.${row.format}`}>
      Open
    </button>
  );
}

export function Reports() {
  const [state, reload] = useCall('reports.list', {});
  const [error, setError] = useState<string | null>(null);
  // A link to one report (#/reports/<path>) points it out in the list.
  const focus = useApp((s) => s.reportFocus);
  const columns: Column<ReportRow>[] = [
    {
      header: 'Report',
      cell: (r) => (
        <a
          href={formatRoute({ section: 'reports', file: r.path })}
          aria-current={r.path === focus ? 'true' : undefined}
        >
          <NameCell name={r.name} detail={r.path} />
        </a>
      ),
    },
    { header: 'Kind', cell: (r) => KIND_LABELS[r.kind] },
    { header: 'Format', cell: (r) => r.format.toUpperCase() },
    { header: 'Size', cell: (r) => formatBytes(r.size), numeric: true },
    { header: 'Modified', cell: (r) => formatDate(r.modifiedAt) },
    { header: 'Open', cell: (r) => <OpenButton row={r} onError={setError} /> },
  ];
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.reports.length === 0 ? (
          <EmptyState
            title="No reports yet"
            action={{ label: 'New drift report', onClick: () => useApp.getState().openDriftReport() }}
            secondary={{ label: 'Compare runs', onClick: () => useApp.getState().setSection('experiments') }}
          >
            <p>
              Reports are self-contained HTML, PDF or JSON files that open offline on any machine, for sharing results
              with someone who has none of your tools. Exported reports are kept in the project's{' '}
              <code>{data.folder}/</code> folder. Export one from a drift report, a comparison of runs or a model
              version's card.
            </p>
          </EmptyState>
        ) : (
          <>
            {error ? (
              <p className="problem" role="alert">
                {error}
              </p>
            ) : null}
            {focus !== null && !data.reports.some((r) => r.path === focus) ? (
              <p className="problem" role="status">
                There is no report {focus} in this project.
              </p>
            ) : null}
            <Table label="Reports" columns={columns} rows={data.reports} rowKey={(r) => r.path} selectedKey={focus} />
          </>
        )
      }
    </CallView>
  );
}
