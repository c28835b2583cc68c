// Runs in: renderer. The tracked datasets: current version, shape, status badges; and the commit
// box that turns new or changed pointers into a version.
import { useState } from 'react';
import type { DataStatusRow } from '../../../../shared/contract';
import { api } from '../../api/client';
import { formatBytes, plural } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { useCall } from '../../hooks/use-call';
import { toastError } from '../../store/app-store';
import { StatusBadges } from './Badges';
import { needsCommit, shapeText, shortHash } from './data-format';

/** The version a dataset's pointer was last committed in (the pointer's own hash says which content). */
function CurrentVersion({ row }: { row: DataStatusRow }) {
  const [log] = useCall('data.log', { path: row.path }, row.problem === null);
  if (row.problem !== null) return <span className="muted">—</span>;
  if (log.status !== 'ready') return <span className="muted">…</span>;
  const last = log.data.versions[0];
  const uncommitted = row.git === 'new' || row.git === 'changed';
  if (!last) return <span className="muted">no commit yet</span>;
  return (
    <span
      className="version-cell"
      title={
        uncommitted ? `Last committed in ${last.commit}; the pointer has changed since.` : `Committed in ${last.commit}`
      }
    >
      <code>{shortHash(last.commit)}</code>
      {uncommitted ? <span className="muted"> + uncommitted</span> : null}
    </span>
  );
}

function CommitBox({ onCommitted }: { onCommitted: (commit: string | null) => void }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const commit = async () => {
    setBusy(true);
    try {
      const r = await api.call('data.commit', { message });
      setMessage('');
      onCommitted(r.commit);
    } catch (err) {
      toastError('Could not commit the data', err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="commit-box"
      onSubmit={(e) => {
        e.preventDefault();
        void commit();
      }}
    >
      <label htmlFor="data-commit-message">New or changed pointers: describe this version</label>
      <div className="row">
        <input
          id="data-commit-message"
          type="text"
          className="field-input"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          aria-describedby="data-commit-help"
          disabled={busy}
        />
        <button type="submit" className="primary" disabled={busy || message.trim() === ''}>
          {busy ? 'Committing…' : 'Commit'}
        </button>
      </div>
      <p id="data-commit-help" className="field-help">
        Commits the <code>.bt</code> pointer files to git, e.g. “Drop duplicate rows”.
      </p>
    </form>
  );
}

export function TrackedPanel({
  items,
  selected,
  onSelect,
  onChanged,
  epoch,
}: {
  items: DataStatusRow[];
  selected: string | null;
  onSelect: (path: string) => void;
  onChanged: () => void;
  epoch: number;
}) {
  const [lastCommit, setLastCommit] = useState<string | null>(null);
  const columns: Column<DataStatusRow>[] = [
    {
      header: 'Dataset',
      cell: (r) => (
        <button
          type="button"
          className="link"
          onClick={() => onSelect(r.path)}
          aria-pressed={r.path === selected}
          title="Show its versions"
        >
          {r.path}
          {r.kind === 'folder' ? '/' : ''}
        </button>
      ),
    },
    { header: 'Version', cell: (r) => <CurrentVersion key={`${r.path}:${epoch}`} row={r} /> },
    {
      // The content the pointer names (a folder: its manifest), so two datasets or versions with the
      // same bytes are recognisable at a glance; the commit above says when it was recorded.
      header: 'Content hash',
      cell: (r) =>
        r.hash === null ? (
          <span className="muted">—</span>
        ) : (
          <code className="content-hash" title={`sha256 ${r.hash}`}>
            {shortHash(r.hash)}
          </code>
        ),
    },
    { header: 'Size', cell: (r) => (r.size === null ? '—' : formatBytes(r.size)), numeric: true },
    { header: 'Rows / files', cell: (r) => shapeText(r.kind, r.rows, r.files), numeric: true },
    { header: 'Status', cell: (r) => <StatusBadges row={r} /> },
  ];
  return (
    <section className="data-panel" aria-labelledby="tracked-title">
      <header className="data-panel-head">
        <h2 id="tracked-title">Tracked datasets</h2>
        <span className="muted">{plural(items.length, 'dataset')}</span>
        {lastCommit ? (
          <span className="commit-done" role="status">
            Committed as <code>{shortHash(lastCommit)}</code>
          </span>
        ) : null}
      </header>
      {items.length === 0 ? (
        <p className="muted">
          Nothing is tracked yet. Pick files or folders below and press Track to version them (content goes to the
          cache, a small .bt pointer goes to git).
        </p>
      ) : (
        <Table label="Tracked datasets" columns={columns} rows={items} rowKey={(r) => r.path} selectedKey={selected} />
      )}
      {needsCommit(items) ? (
        <CommitBox
          onCommitted={(c) => {
            setLastCommit(c);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}
