// Runs in: renderer. The column chooser: search the columns, show or hide each, pin it to the left.
import { useMemo, useState } from 'react';
import { PinIcon } from '../../components/icons';
import { Popover } from '../../components/Popover';
import type { RunColumn } from './columns';
import { toggleIn, type RunsLayout } from './layout';

const SHOWN_AT_ONCE = 400;

export function columnTitle(c: RunColumn): string {
  return c.kind === 'attr' ? c.label : c.id;
}

export function ColumnChooser({
  anchor,
  columns,
  layout,
  onChange,
  onClose,
}: {
  anchor: HTMLElement | null;
  columns: RunColumn[];
  layout: RunsLayout;
  onChange: (change: (l: RunsLayout) => RunsLayout) => void;
  onClose: () => void;
}) {
  const [search, setSearch] = useState('');
  const matching = useMemo(() => {
    const q = search.trim().toLowerCase();
    return q === '' ? columns : columns.filter((c) => columnTitle(c).toLowerCase().includes(q));
  }, [columns, search]);
  const hidden = new Set(layout.hidden);
  const pinned = new Set(layout.pinned);
  const setAll = (visible: boolean) => {
    const ids = matching.map((c) => c.id);
    onChange((l) => ({
      ...l,
      hidden: visible
        ? l.hidden.filter((id) => !ids.includes(id))
        : [...new Set([...l.hidden, ...ids.filter((id) => id !== 'name')])],
    }));
  };
  const shownCount = columns.filter((c) => !hidden.has(c.id)).length;
  return (
    <Popover anchor={anchor} onClose={onClose} label="Columns" className="column-chooser">
      <div className="column-chooser-head">
        <input
          className="field-input"
          type="search"
          aria-label="Search columns"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          spellCheck={false}
        />
        <span className="muted">
          {shownCount} of {columns.length} shown
        </span>
      </div>
      <div className="row column-chooser-actions">
        <button type="button" onClick={() => setAll(true)}>
          Show {search ? 'matching' : 'all'}
        </button>
        <button type="button" onClick={() => setAll(false)}>
          Hide {search ? 'matching' : 'all'}
        </button>
      </div>
      <ul className="column-chooser-list">
        {matching.slice(0, SHOWN_AT_ONCE).map((c) => (
          <li key={c.id}>
            <label>
              <input
                type="checkbox"
                checked={!hidden.has(c.id)}
                disabled={c.id === 'name'}
                onChange={(e) => {
                  const visible = e.target.checked;
                  onChange((l) => ({ ...l, hidden: toggleIn(l.hidden, c.id, !visible) }));
                }}
              />
              <span className={`kind kind-${c.kind}`}>{c.kind === 'attr' ? 'run' : c.kind}</span>
              <span className="column-chooser-name">{c.kind === 'attr' ? c.label : c.key}</span>
            </label>
            <button
              type="button"
              className={`icon-button pin-toggle${pinned.has(c.id) ? ' on' : ''}`}
              aria-pressed={pinned.has(c.id)}
              aria-label={`Pin ${columnTitle(c)}`}
              title={pinned.has(c.id) ? 'Unpin' : 'Pin to the left'}
              onClick={() => onChange((l) => ({ ...l, pinned: toggleIn(l.pinned, c.id, !l.pinned.includes(c.id)) }))}
            >
              <PinIcon />
            </button>
          </li>
        ))}
      </ul>
      {matching.length > SHOWN_AT_ONCE ? (
        <p className="muted field-help">{matching.length - SHOWN_AT_ONCE} more: narrow the search.</p>
      ) : null}
      {matching.length === 0 ? <p className="muted field-help">No column matches “{search}”.</p> : null}
    </Popover>
  );
}
