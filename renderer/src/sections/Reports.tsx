// Runs in: renderer. Exported reports: self-contained files that open offline anywhere.
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatBytes, formatDate } from '../components/format';
import { useCall } from '../hooks/use-call';

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
          <table className="grid" aria-label="Reports">
            <thead>
              <tr>
                <th>Report</th>
                <th>Format</th>
                <th className="num">Size</th>
                <th>Modified</th>
              </tr>
            </thead>
            <tbody>
              {data.reports.map((r) => (
                <tr key={r.path}>
                  <td>
                    <strong>{r.name}</strong>
                    <div className="muted">{r.path}</div>
                  </td>
                  <td>{r.format.toUpperCase()}</td>
                  <td className="num">{formatBytes(r.size)}</td>
                  <td>{formatDate(r.modifiedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </CallView>
  );
}
