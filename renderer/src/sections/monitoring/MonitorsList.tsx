// Runs in: renderer. The monitors with the model each watches, its batches, last status and open alerts.
import type { MonitorRow } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { EmptyState } from '../../components/EmptyState';
import { formatDate } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { useCall } from '../../hooks/use-call';
import { useApp } from '../../store/app-store';
import { useAlertReload } from './use-alert-reload';

const COLUMNS: Column<MonitorRow>[] = [
  {
    header: 'Monitor',
    cell: (m) => (
      <button type="button" className="link-button monitor-name" onClick={() => useApp.getState().openMonitor(m.name)}>
        <strong>{m.name}</strong>
      </button>
    ),
  },
  { header: 'Model', cell: (m) => m.model ?? <span className="muted">none</span> },
  { header: 'Batches', cell: (m) => m.batches, numeric: true },
  { header: 'Last status', cell: (m) => <span className={`status monitor-${m.lastStatus}`}>{m.lastStatus}</span> },
  { header: 'Last check', cell: (m) => formatDate(m.lastRunAt) },
  {
    header: 'Open alerts',
    cell: (m) => (m.openAlerts > 0 ? <strong className="monitor-alert">{m.openAlerts}</strong> : 0),
    numeric: true,
  },
];

/** `onAdd` opens the Add a monitor dialog, which the section keeps above the list. */
export function MonitorsList({ onAdd }: { onAdd?: () => void }) {
  const [state, reload] = useCall('monitors.list', {});
  useAlertReload(reload);
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.monitors.length === 0 ? (
          <EmptyState
            title="No monitors yet"
            command="benchtop monitor add NAME REFERENCE --batches FOLDER"
            {...(onAdd ? { action: { label: 'Add a monitor', onClick: onAdd } } : {})}
            secondary={{ label: 'New drift report', onClick: () => useApp.getState().openDriftReport() }}
          >
            <p>
              A monitor compares each new batch of production data with a reference: drift per column with the standard
              statistical tests, and model performance over time. When a rule fails it raises an alert, which can start
              retraining.
            </p>
          </EmptyState>
        ) : (
          <Table label="Monitors" columns={COLUMNS} rows={data.monitors} rowKey={(m) => m.id} />
        )
      }
    </CallView>
  );
}
