// Runs in: renderer. Monitors (drift, performance) and how their last check went.
import type { MonitorRow } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatDate } from '../components/format';
import { NameCell, Table, type Column } from '../components/Table';
import { useCall } from '../hooks/use-call';

const COLUMNS: Column<MonitorRow>[] = [
  { header: 'Monitor', cell: (m) => <NameCell name={m.name} /> },
  { header: 'Kind', cell: (m) => m.kind },
  { header: 'Last status', cell: (m) => <span className={`status monitor-${m.lastStatus}`}>{m.lastStatus}</span> },
  { header: 'Last check', cell: (m) => formatDate(m.lastRunAt) },
];

export function Monitoring() {
  const [state, reload] = useCall('monitors.list', {});
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.monitors.length === 0 ? (
          <EmptyState title="No monitors yet">
            <p>
              A monitor compares new data and predictions with a reference: drift per column with the standard statistical
              tests, and model performance over time. When a check fails it raises an alert, which can start retraining.
            </p>
            <p>Monitors watch a served model, so deploy a model version first.</p>
          </EmptyState>
        ) : (
          <Table label="Monitors" columns={COLUMNS} rows={data.monitors} rowKey={(m) => m.id} />
        )
      }
    </CallView>
  );
}
