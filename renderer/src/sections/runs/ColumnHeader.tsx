// Runs in: renderer. A column's header: click to sort (descending, then ascending), and a menu to
// sort, pin, move, hide, or group by the param.
import { useRef, useState, type KeyboardEvent } from 'react';
import { MoreIcon, PinIcon } from '../../components/icons';
import { Popover } from '../../components/Popover';
import { moveColumn, nextSort, sortDirection, type RunColumn } from './columns';
import { toggleIn, type RunsLayout } from './layout';

function moveFocus(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
}

export function ColumnHeader({
  column,
  columns,
  layout,
  onChange,
}: {
  column: RunColumn;
  /** Every column, for moving this one among those shown. */
  columns: readonly RunColumn[];
  layout: RunsLayout;
  onChange: (change: (l: RunsLayout) => RunsLayout) => void;
}) {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement | null>(null);
  const dir = sortDirection(layout.sort, column.sortField);
  const pinned = layout.pinned.includes(column.id);
  const title = column.kind === 'attr' ? column.label : column.id;
  const act = (change: (l: RunsLayout) => RunsLayout) => {
    onChange(change);
    setMenuOpen(false);
    menuButton.current?.focus();
  };
  return (
    <div className="col-head" title={title}>
      {column.sortField ? (
        <button
          type="button"
          className="col-sort"
          aria-label={`Sort by ${title}`}
          onClick={() => onChange((l) => ({ ...l, sort: nextSort(l.sort, column.sortField!) }))}
        >
          {column.kind !== 'attr' ? <span className={`kind-dot kind-${column.kind}`} aria-hidden="true" /> : null}
          <span className="col-label">{column.label}</span>
          <span className="sort-arrow" aria-hidden="true">
            {dir === 'descending' ? '↓' : dir === 'ascending' ? '↑' : ''}
          </span>
        </button>
      ) : (
        <span className="col-label col-static">{column.label}</span>
      )}
      {pinned ? (
        <span className="col-pinned" aria-label="pinned">
          <PinIcon />
        </span>
      ) : null}
      <button
        ref={menuButton}
        type="button"
        className="icon-button col-menu-button"
        aria-label={`Options for column ${title}`}
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        onClick={() => setMenuOpen((o) => !o)}
      >
        <MoreIcon />
      </button>
      {menuOpen ? (
        <Popover
          anchor={menuButton.current}
          onClose={() => setMenuOpen(false)}
          label={`Column ${title}`}
          role="menu"
          className="col-menu"
        >
          <div onKeyDown={moveFocus} className="menu-items">
            {column.sortField ? (
              <>
                <button
                  type="button"
                  role="menuitem"
                  onClick={() => act((l) => ({ ...l, sort: `-${column.sortField}` }))}
                >
                  Sort descending
                </button>
                <button type="button" role="menuitem" onClick={() => act((l) => ({ ...l, sort: column.sortField! }))}>
                  Sort ascending
                </button>
              </>
            ) : null}
            <button
              type="button"
              role="menuitem"
              onClick={() => act((l) => ({ ...l, pinned: toggleIn(l.pinned, column.id, !pinned) }))}
            >
              {pinned ? 'Unpin column' : 'Pin column to the left'}
            </button>
            {([-1, 1] as const).map((step) => {
              const order = pinned ? null : moveColumn(columns, layout, column.id, step);
              return order ? (
                <button key={step} type="button" role="menuitem" onClick={() => act((l) => ({ ...l, order }))}>
                  {step < 0 ? 'Move left' : 'Move right'}
                </button>
              ) : null;
            })}
            {column.id !== 'name' ? (
              <button
                type="button"
                role="menuitem"
                onClick={() => act((l) => ({ ...l, hidden: toggleIn(l.hidden, column.id, true) }))}
              >
                Hide column
              </button>
            ) : null}
            {column.kind === 'param' ? (
              <button
                type="button"
                role="menuitem"
                onClick={() => act((l) => ({ ...l, groupBy: l.groupBy === column.key ? null : column.key }))}
              >
                {layout.groupBy === column.key ? 'Stop grouping' : `Group by ${column.key}`}
              </button>
            ) : null}
            {layout.widths[column.id] !== undefined ? (
              <button
                type="button"
                role="menuitem"
                onClick={() =>
                  act((l) => ({
                    ...l,
                    widths: Object.fromEntries(Object.entries(l.widths).filter(([k]) => k !== column.id)),
                  }))
                }
              >
                Reset width
              </button>
            ) : null}
          </div>
        </Popover>
      ) : null}
    </div>
  );
}
