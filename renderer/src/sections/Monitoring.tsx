// Runs in: renderer. Monitors (drift, performance) and how their last check went.
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatDate } from '../components/format';
import { useCall } from '../hooks/use-call';

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
          <table className="grid" aria-label="Monitors">
            <thead>
              <tr>
                <th>Monitor</th>
                <th>Kind</th>
                <th>Last status</th>
                <th>Last check</th>
              </tr>
            </thead>
            <tbody>
              {data.monitors.map((m) => (
                <tr key={m.id}>
                  <td>
                    <strong>{m.name}</strong>
                  </td>
                  <td>{m.kind}</td>
                  <td>
                    <span className={`status monitor-${m.lastStatus}`}>{m.lastStatus}</span>
                  </td>
                  <td>{formatDate(m.lastRunAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </CallView>
  );
}
