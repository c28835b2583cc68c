// Runs in: renderer. What each runs-table cell shows: the run's name (open, rename), status, times,
// star, tags, params as logged and metrics formatted (NaN, ∞ and −∞ shown as such).
import { useEffect, useRef, useState } from 'react';
import type { RunSearchRow } from '../../../../shared/contract';
import { formatDate, formatDuration, formatNumber } from '../../components/format';
import { PencilIcon, StarIcon } from '../../components/icons';
import type { RunColumn } from './columns';

export function NameCell({
  run,
  editing,
  onOpen,
  onStartEdit,
  onRename,
  onCancel,
}: {
  run: RunSearchRow;
  editing: boolean;
  onOpen: () => void;
  onStartEdit: () => void;
  onRename: (name: string) => void;
  onCancel: () => void;
}) {
  if (editing) return <RenameInput run={run} onRename={onRename} onCancel={onCancel} />;
  return (
    <div
      className="name-cell"
      onDoubleClick={(e) => {
        if ((e.target as HTMLElement).closest('button')) return;
        onStartEdit();
      }}
    >
      <button type="button" className="link run-name" title={`${run.name} (${run.id})`} onClick={onOpen}>
        {run.name}
      </button>
      <button
        type="button"
        className="icon-button row-action"
        aria-label={`Rename run ${run.name}`}
        title="Rename (F2)"
        onClick={onStartEdit}
      >
        <PencilIcon />
      </button>
    </div>
  );
}

function RenameInput({
  run,
  onRename,
  onCancel,
}: {
  run: RunSearchRow;
  onRename: (name: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(run.name);
  const input = useRef<HTMLInputElement | null>(null);
  const done = useRef(false);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const commit = () => {
    if (done.current) return;
    done.current = true;
    const name = value.trim();
    if (name === '' || name === run.name) onCancel();
    else onRename(name);
  };
  return (
    <input
      ref={input}
      className="field-input rename-input"
      aria-label={`New name for run ${run.name}`}
      value={value}
      maxLength={10_000}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') {
          done.current = true;
          onCancel();
        }
      }}
      onBlur={commit}
    />
  );
}

export function StarCell({ run, onToggle }: { run: RunSearchRow; onToggle: () => void }) {
  return (
    <button
      type="button"
      className={`icon-button star${run.starred ? ' on' : ''}`}
      aria-pressed={run.starred}
      aria-label={`Star run ${run.name}`}
      title={run.starred ? 'Starred' : 'Star'}
      onClick={onToggle}
    >
      <StarIcon filled={run.starred} />
    </button>
  );
}

function TagsCell({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="tag-chips" title={entries.map(([k, v]) => `${k}=${v}`).join('\n')}>
      {entries.map(([k, v]) => (
        <span key={k} className="tag-chip">
          {v === '' ? k : `${k}=${v}`}
        </span>
      ))}
    </span>
  );
}

const NUMERIC_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Cells that only display (name and star are interactive and drawn by the table). */
export function ValueCell({ run, column }: { run: RunSearchRow; column: RunColumn }) {
  if (column.kind === 'metric') {
    const v = run.metrics[column.key];
    if (v === undefined) return <span className="muted">—</span>;
    return (
      <span className={`num${Number.isFinite(v) ? '' : ' non-finite'}`} title={String(v)}>
        {formatNumber(v)}
      </span>
    );
  }
  if (column.kind === 'param') {
    const v = run.params[column.key];
    if (v === undefined) return <span className="muted">—</span>;
    return (
      <span className={NUMERIC_TEXT.test(v) ? 'num' : undefined} title={v}>
        {v}
      </span>
    );
  }
  switch (column.id) {
    case 'status':
      return <span className={`status status-${run.status}`}>{run.status}</span>;
    case 'experiment':
      return <span title={run.experiment}>{run.experiment}</span>;
    case 'start_time':
      return <span title={run.startTime ?? ''}>{formatDate(run.startTime)}</span>;
    case 'duration':
      return (
        <span className="num">
          {run.status === 'running' && run.duration === null ? '…' : formatDuration(run.duration)}
        </span>
      );
    case 'source':
      return <span>{run.source || '—'}</span>;
    case 'tags':
      return <TagsCell tags={run.tags} />;
    default:
      return null;
  }
}
