// Runs in: renderer. A two-column table of names and values (params, metrics, tags of a run or a model version).
import type { ReactNode } from 'react';

export function KeyValueTable({
  label,
  entries,
  empty,
}: {
  label: string;
  entries: [string, ReactNode][];
  empty: string;
}) {
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="grid compact" aria-label={label}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
