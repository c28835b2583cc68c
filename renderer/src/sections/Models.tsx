// Runs in: renderer. Registered models with their versions and aliases.
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatDate } from '../components/format';
import { useCall } from '../hooks/use-call';

export function Models() {
  const [state, reload] = useCall('models.list', {});
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.models.length === 0 ? (
          <EmptyState title="No registered models yet">
            <p>
              The registry keeps each model version with its lineage: the run that made it, the data version and the commit.
              Register the model a run produced to give it a version, aliases such as <code>champion</code>, and a model card.
            </p>
          </EmptyState>
        ) : (
          <table className="grid" aria-label="Registered models">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Versions</th>
                <th className="num">Latest</th>
                <th>Aliases</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.models.map((m) => (
                <tr key={m.name}>
                  <td>
                    <strong>{m.name}</strong>
                    {m.description ? <div className="muted">{m.description}</div> : null}
                  </td>
                  <td className="num">{m.versionCount}</td>
                  <td className="num">{m.latestVersion ?? '—'}</td>
                  <td>{m.aliases.map((a) => `${a.alias} → v${a.version}`).join(', ') || '—'}</td>
                  <td>{formatDate(m.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </CallView>
  );
}
