// Runs in: renderer. The latest requests to a deployed model: when, status, latency, the version
// that answered, how many records, and the first record's inputs with the output they got.
import type { LoggedRequestRow } from '../../../../shared/contract';

function compact(v: unknown, max = 140): string {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function statusClass(status: number): string {
  return status >= 500 ? 'status-failed' : status >= 400 ? 'status-running' : 'status-succeeded';
}

export function RequestsTable({ requests }: { requests: LoggedRequestRow[] }) {
  if (requests.length === 0)
    return <p className="muted">No requests logged yet. Send one with Try it, or from a script to the URL above.</p>;
  return (
    <div className="table-scroll">
      <table className="grid compact deploy-requests" aria-label="Latest requests">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col">Version</th>
            <th scope="col" className="num">
              Records
            </th>
            <th scope="col">Inputs → output</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => {
            const first = r.predictions[0];
            return (
              <tr key={r.requestId}>
                <td className="version-date" title={r.at}>
                  {new Date(r.at).toLocaleTimeString()}
                </td>
                <td>
                  <span className={`status ${statusClass(r.status)}`}>{r.status}</span>
                </td>
                <td className="num">{r.latencyMs.toFixed(1)} ms</td>
                <td>{r.version === null ? '—' : `v${r.version}`}</td>
                <td className="num">{r.records}</td>
                <td className="deploy-io">
                  {first ? (
                    <>
                      <code title={compact(first.input, 4000)}>{compact(first.input)}</code> →{' '}
                      <code title={compact(first.output, 4000)}>{compact(first.output, 80)}</code>
                      {r.records > 1 ? <span className="muted"> (+{r.records - 1} more)</span> : null}
                    </>
                  ) : (
                    <span className="muted">{r.error ?? 'no records'}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
