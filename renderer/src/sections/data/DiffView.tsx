// Runs in: renderer. What changed in a dataset between two revs: schema, row counts, per-column
// statistics and sample rows (changed cells highlighted) for tables; added/removed/renamed files
// for folders.
import { useState } from 'react';
import type { DataDiff } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { formatBytes, plural } from '../../components/format';
import { useCall } from '../../hooks/use-call';
import { revLabel, statShift, type StatName } from './data-format';

type TableDiff = NonNullable<DataDiff['table']>;
const STATS: StatName[] = ['mean', 'std', 'nulls', 'distinct'];

function Counts({ t }: { t: TableDiff }) {
  const items: [string, string, string][] = [
    ['Rows', `${t.rowsBefore.toLocaleString()} → ${t.rowsAfter.toLocaleString()}`, ''],
    ['Added', t.rowsAdded.toLocaleString(), 'added'],
    ['Removed', t.rowsRemoved.toLocaleString(), 'removed'],
    ['Changed', t.rowsChanged.toLocaleString(), 'changed'],
    ['Unchanged', t.rowsUnchanged.toLocaleString(), ''],
  ];
  return (
    <dl className="diff-counts" aria-label="Row counts">
      {items.map(([label, value, tone]) => (
        <div key={label} className={tone ? `count-${tone}` : undefined}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function SchemaChanges({ t }: { t: TableDiff }) {
  const none = t.columnsAdded.length + t.columnsRemoved.length + t.columnsRetyped.length === 0;
  return (
    <div className="diff-block">
      <h3>Schema</h3>
      {none ? (
        <p className="muted">Same columns and types.</p>
      ) : (
        <ul className="schema-changes" aria-label="Schema changes">
          {t.columnsAdded.map((c) => (
            <li key={`+${c.name}`} className="count-added">
              + <code>{c.name}</code> <span className="muted">{c.type}</span>
            </li>
          ))}
          {t.columnsRemoved.map((c) => (
            <li key={`-${c.name}`} className="count-removed">
              − <code>{c.name}</code> <span className="muted">{c.type}</span>
            </li>
          ))}
          {t.columnsRetyped.map((c) => (
            <li key={`~${c.name}`} className="count-changed">
              ~ <code>{c.name}</code> {c.before} → {c.after}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StatsTable({ t }: { t: TableDiff }) {
  return (
    <div className="diff-block">
      <h3>Column statistics</h3>
      <div className="table-scroll">
        <table className="grid compact" aria-label="Column statistics">
          <thead>
            <tr>
              <th>Column</th>
              {STATS.map((s) => (
                <th key={s} className="num">
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.stats.map((row) => (
              <tr key={row.column}>
                <td className="stat-column">{row.column}</td>
                {STATS.map((s) => {
                  const shift = statShift(row.before, row.after, s);
                  return (
                    <td key={s} className={`num${shift.changed ? ' shifted' : ''}`}>
                      {shift.text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function SampleRows({ t }: { t: TableDiff }) {
  if (t.sampleChanged.length + t.sampleAdded.length + t.sampleRemoved.length === 0) return null;
  return (
    <div className="diff-block">
      <h3>Sample rows</h3>
      <div className="table-scroll">
        <table className="grid compact diff-rows" aria-label="Changed rows">
          <thead>
            <tr>
              <th>Change</th>
              {t.header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.sampleChanged.map((r) => (
              <tr key={`c:${r.key}`} className="row-changed">
                <td>changed</td>
                {t.header.map((h, i) =>
                  r.columns.includes(h) ? (
                    <td key={h} className="cell-changed" title={`${h}: ${r.before[i] ?? ''} → ${r.after[i] ?? ''}`}>
                      <del>{r.before[i] ?? ''}</del> <ins>{r.after[i] ?? ''}</ins>
                    </td>
                  ) : (
                    <td key={h}>{r.after[i] ?? r.before[i] ?? ''}</td>
                  ),
                )}
              </tr>
            ))}
            {t.sampleAdded.map((r, n) => (
              <tr key={`a:${n}`} className="row-added">
                <td>added</td>
                {t.header.map((h, i) => (
                  <td key={h}>{r[i] ?? ''}</td>
                ))}
              </tr>
            ))}
            {t.sampleRemoved.map((r, n) => (
              <tr key={`r:${n}`} className="row-removed">
                <td>removed</td>
                {t.header.map((h, i) => (
                  <td key={h}>{r[i] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function FilesDiff({ f }: { f: NonNullable<DataDiff['files']> }) {
  return (
    <div className="diff-block">
      <h3>Files</h3>
      <p className="muted">
        {plural(f.added.length, 'added')} · {plural(f.removed.length, 'removed')} ·{' '}
        {plural(f.modified.length, 'modified')} · {plural(f.renamed.length, 'renamed')} · {f.unchanged.toLocaleString()}{' '}
        unchanged
      </p>
      <ul className="file-changes" aria-label="File changes">
        {f.added.map((x) => (
          <li key={`a:${x.path}`} className="count-added">
            + {x.path} <span className="muted">{formatBytes(x.size)}</span>
          </li>
        ))}
        {f.removed.map((x) => (
          <li key={`r:${x.path}`} className="count-removed">
            − {x.path} <span className="muted">{formatBytes(x.size)}</span>
          </li>
        ))}
        {f.modified.map((x) => (
          <li key={`m:${x.path}`} className="count-changed">
            ~ {x.path}{' '}
            <span className="muted">
              {formatBytes(x.sizeBefore)} → {formatBytes(x.sizeAfter)}
            </span>
          </li>
        ))}
        {f.renamed.map((x) => (
          <li key={`n:${x.from}`}>
            → {x.from} → {x.to}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DiffBody({ diff }: { diff: DataDiff }) {
  if (diff.identical) return <p className="muted">The two versions are identical.</p>;
  return (
    <>
      {diff.note ? <p className="hint">{diff.note}</p> : null}
      {diff.table ? (
        <>
          <Counts t={diff.table} />
          <div className="diff-columns">
            <SchemaChanges t={diff.table} />
            <StatsTable t={diff.table} />
          </div>
          <SampleRows t={diff.table} />
        </>
      ) : null}
      {diff.files ? <FilesDiff f={diff.files} /> : null}
      {!diff.table && !diff.files ? (
        <p>
          Content differs
          {diff.from.size != null && diff.to.size != null
            ? `: ${formatBytes(diff.from.size)} → ${formatBytes(diff.to.size)}`
            : ''}
          .
        </p>
      ) : null}
    </>
  );
}

export function DiffView({ path, from, to }: { path: string; from: string; to: string }) {
  const [key, setKey] = useState('');
  const [state, reload] = useCall('data.diff', key ? { from, to, path, key } : { from, to, path });
  // The key picker offers the columns the diff reports (both versions'), kept across key changes.
  const [columns, setColumns] = useState<string[]>([]);
  const header = state.status === 'ready' ? (state.data.table?.header ?? []) : [];
  if (header.length > 0 && header.join('\n') !== columns.join('\n')) setColumns(header);
  return (
    <section className="data-panel diff-view" aria-label="Diff">
      <header className="data-panel-head">
        <h2>
          {path}: {revLabel(from)} <span className="muted">→</span> {revLabel(to)}
        </h2>
        <span className="spacer" />
        {columns.length > 0 ? (
          <label className="key-picker">
            Match rows by{' '}
            <select
              className="field-input"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              aria-describedby="key-help"
            >
              <option value="">whole row content</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </header>
      <p id="key-help" className="field-help">
        {state.status === 'ready' && state.data.table
          ? state.data.table.matchedBy.startsWith('key:')
            ? `Rows matched by the key column ${state.data.table.matchedBy.slice(4)}: an edited row shows as changed, cell by cell.`
            : 'Rows matched by their whole content: an edited row shows as one removed and one added. Pick a key column (unique in both versions) to see changed cells.'
          : ''}
      </p>
      {state.status === 'error' ? (
        // A key that is not unique, or a rev that does not exist: say so here, keeping the picker.
        <div className="problem" role="alert">
          <p>Could not compare these versions: {state.error.message}</p>
          {state.error.hint ? <p className="hint">{state.error.hint}</p> : null}
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      ) : (
        <CallView state={state} reload={reload}>
          {(diff) => <DiffBody diff={diff} />}
        </CallView>
      )}
    </section>
  );
}
