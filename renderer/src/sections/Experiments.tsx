// Runs in: renderer. Experiments and their most recent runs.
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatDate, plural } from '../components/format';
import { useCall } from '../hooks/use-call';

export function Experiments() {
  const [state, reload] = useCall('experiments.list', {});
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.experiments.length === 0 ? (
          <EmptyState title="No experiments yet">
            <p>
              An experiment groups the runs of one idea: each run keeps its params, its metrics step by step, its tags and
              its artifacts, so runs can be compared side by side.
            </p>
            <p>Runs are recorded here when the stages of this project's pipeline (see Pipelines) run and report to Benchtop.</p>
          </EmptyState>
        ) : (
          <>
            <table className="grid" aria-label="Experiments">
              <thead>
                <tr>
                  <th>Experiment</th>
                  <th>Runs</th>
                  <th>Last run</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {data.experiments.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <strong>{e.name}</strong>
                      {e.description ? <div className="muted">{e.description}</div> : null}
                    </td>
                    <td className="num">{e.runCount}</td>
                    <td>{formatDate(e.lastRunAt)}</td>
                    <td>{formatDate(e.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Recent runs ({plural(data.recentRuns.length, 'run')})</h3>
            <table className="grid" aria-label="Recent runs">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>Status</th>
                  <th>Started</th>
                  <th>Ended</th>
                </tr>
              </thead>
              <tbody>
                {data.recentRuns.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>
                      <span className={`status status-${r.status}`}>{r.status}</span>
                    </td>
                    <td>{formatDate(r.startedAt)}</td>
                    <td>{formatDate(r.endedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      }
    </CallView>
  );
}
