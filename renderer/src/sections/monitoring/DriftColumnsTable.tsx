// Runs in: renderer. The report's columns, sortable by any header (a button that says its order
// through aria-sort); a drifted column says "Drifted" in words, not in colour alone. Selecting a
// row shows that column's distributions.
import { useMemo, useState } from 'react';
import type { DriftColumn } from '../../../../shared/contract';
import { formatScore } from './drift-format';

type Key = 'name' | 'type' | 'test' | 'score' | 'threshold' | 'drifted';

const HEADERS: { key: Key; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Column' },
  { key: 'type', label: 'Type' },
  { key: 'test', label: 'Test' },
  { key: 'score', label: 'Score', numeric: true },
  { key: 'threshold', label: 'Threshold', numeric: true },
  { key: 'drifted', label: 'Drifted' },
];

/** Nulls and NaN sort last whichever the direction: "not computed" is never the extreme. */
function compare(a: DriftColumn, b: DriftColumn, key: Key): number {
  const va = key === 'drifted' ? Number(a.drifted) : a[key];
  const vb = key === 'drifted' ? Number(b.drifted) : b[key];
  if (typeof va === 'number' && typeof vb === 'number') return va - vb;
  return String(va).localeCompare(String(vb));
}

function missing(c: DriftColumn, key: Key): boolean {
  const v = key === 'drifted' ? 0 : c[key];
  return v === null || (typeof v === 'number' && Number.isNaN(v));
}

export function DriftColumnsTable({
  columns,
  selected,
  onSelect,
}: {
  columns: DriftColumn[];
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: 'drifted', dir: -1 });
  const rows = useMemo(
    () =>
      [...columns].sort((a, b) => {
        const ma = missing(a, sort.key);
        const mb = missing(b, sort.key);
        if (ma || mb) return Number(ma) - Number(mb);
        return compare(a, b, sort.key) * sort.dir || a.name.localeCompare(b.name);
      }),
    [columns, sort],
  );
  return (
    <div className="table-scroll">
      <table className="grid drift-columns" aria-label="Columns">
        <thead>
          <tr>
            {HEADERS.map((h) => (
              <th
                key={h.key}
                className={h.numeric ? 'num' : undefined}
                aria-sort={sort.key === h.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
              >
                <button
                  type="button"
                  className="sort-button"
                  onClick={() =>
                    setSort((s) =>
                      s.key === h.key ? { key: h.key, dir: s.dir === 1 ? -1 : 1 } : { key: h.key, dir: 1 },
                    )
                  }
                >
                  {h.label}
                  <span aria-hidden="true">{sort.key === h.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.name} className={`${c.name === selected ? 'selected' : ''}${c.drifted ? ' drifted' : ''}`}>
              <td>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onSelect(c.name)}
                  aria-current={c.name === selected ? 'true' : undefined}
                  aria-label={`Show the distributions of ${c.name}`}
                >
                  <strong>{c.name}</strong>
                </button>
                {c.role !== 'feature' ? <span className="badge">{c.role}</span> : null}
              </td>
              <td>
                {c.type}
                {c.typeGiven ? <span className="muted"> (set)</span> : null}
              </td>
              <td>{c.test ?? <span className="muted">not tested</span>}</td>
              <td className="num">
                {formatScore(c.score)}
                {c.scoreKind ? <div className="muted">{c.scoreKind === 'p_value' ? 'p-value' : 'distance'}</div> : null}
              </td>
              <td className="num">{c.threshold === null ? '—' : formatScore(c.threshold)}</td>
              <td>
                {c.drifted ? (
                  <strong className="drift-flag">⚠ Drifted</strong>
                ) : c.test ? (
                  'No'
                ) : (
                  <span className="muted">{c.problem ?? '—'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
