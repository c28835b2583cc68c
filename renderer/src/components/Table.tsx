// Runs in: renderer. A plain accessible table from column definitions, for the sections' lists.
import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

export function Table<T>({
  label,
  columns,
  rows,
  rowKey,
  selectedKey,
}: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  selectedKey?: string | number | null;
}) {
  return (
    <table className="grid" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} className={c.numeric ? 'num' : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={rowKey(row)}
            className={selectedKey !== undefined && rowKey(row) === selectedKey ? 'selected' : undefined}
          >
            {columns.map((c) => (
              <td key={c.header} className={c.numeric ? 'num' : undefined}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A name in bold with an optional muted line under it. */
export function NameCell({ name, detail }: { name: string; detail?: string }) {
  return (
    <>
      <strong>{name}</strong>
      {detail ? <div className="muted">{detail}</div> : null}
    </>
  );
}
