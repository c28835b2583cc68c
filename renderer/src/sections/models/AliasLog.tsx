// Runs in: renderer. The alias audit log: when, which alias, from which version to which, and why.
import type { AliasLogEntry } from '../../../../shared/contract';
import { formatDate } from '../../components/format';

function side(v: number | null): string {
  return v === null ? '—' : `v${v}`;
}

export function AliasLog({ entries }: { entries: AliasLogEntry[] }) {
  if (entries.length === 0)
    return (
      <p className="muted">No alias has been set yet. Each change of an alias is recorded here with its reason.</p>
    );
  return (
    <div className="table-scroll">
      <table className="grid compact alias-log" aria-label="Alias audit log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Alias</th>
            <th scope="col">Change</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={`${e.at}:${e.alias}:${i}`}>
              <td>{formatDate(e.at)}</td>
              <td>
                <span className={`alias-chip alias-${e.alias}`}>{e.alias}</span>
              </td>
              <td>
                {e.toVersion === null
                  ? `removed from ${side(e.fromVersion)}`
                  : e.fromVersion === null
                    ? `set to ${side(e.toVersion)}`
                    : `${side(e.fromVersion)} → ${side(e.toVersion)}`}
              </td>
              <td className="reason">{e.reason || <span className="muted">no reason given</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
