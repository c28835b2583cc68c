// Runs in: renderer. The runs table: every run of the project in a virtual grid (10,000 rows by
// hundreds of columns stay smooth), filtered with the query language, sorted by the core, grouped by
// a param; columns chosen, pinned, resized and hidden (kept per project); runs selected, starred,
// tagged, renamed, compared, deleted with undo; refreshed in place while runs report.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RunSearchRow } from '../../../../shared/contract';
import { api } from '../../api/client';
import { plural } from '../../components/format';
import { ChevronIcon, ColumnsIcon } from '../../components/icons';
import { VirtualGrid, type GridColumn, type VirtualGridHandle } from '../../components/VirtualGrid';
import { toastError, useApp } from '../../store/app-store';
import { NameCell, StarCell, ValueCell } from './cells';
import { ColumnChooser } from './ColumnChooser';
import { ColumnHeader } from './ColumnHeader';
import {
  arrangeColumns,
  buildColumns,
  columnWidth,
  differingParams,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  type RunColumn,
} from './columns';
import { FilterBox } from './FilterBox';
import { groupId, groupRuns } from './grouping';
import { clickSelect, pruneSelection } from './selection';
import { TagPopover } from './TagPopover';
import { UndoBar } from './UndoBar';
import { useRunsLayout } from './use-layout';
import { useRunsData } from './use-runs-data';
import './runs-table.css';

const ROW_HEIGHT = 34;
const HEADER_HEIGHT = 38;
/** Border and a horizontal scrollbar, below the last row. */
const SCROLLBAR_ROOM = 20;
const SELECT_COLUMN: GridColumn = { id: '__select', width: 40, className: 'select-cell' };
/** runs.history takes at most 100 runs at once. */
export const MAX_COMPARE = 100;
/** runs.delete and runs.restore take at most this many ids per call. */
const IDS_PER_CALL = 10_000;

async function inBatches(method: 'runs.delete' | 'runs.restore', ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) await api.call(method, { ids: ids.slice(i, i + IDS_PER_CALL) });
}

export function RunsView({ projectPath }: { projectPath: string }) {
  const [layout, setLayout] = useRunsLayout(projectPath);
  const [filter, setFilter] = useState('');
  const [data, actions] = useRunsData(filter, layout.sort);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const anchor = useRef<number | null>(null);
  const [activeRow, setActiveRow] = useState<number | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<string[] | null>(null);
  const [popover, setPopover] = useState<{ kind: 'columns' | 'tag'; anchor: HTMLElement } | null>(null);
  const grid = useRef<VirtualGridHandle | null>(null);

  const runs = data.runs ?? [];
  // Params that differ between the runs shown come right after the metrics; the ones every run
  // shares go last, since they tell no run apart.
  // Keyed by content, so a live refresh that changes no param does not rebuild the columns.
  const differing = useMemo(() => [...differingParams(runs)].sort().join('\n'), [runs]);
  const allColumns = useMemo(() => buildColumns(data.keys, new Set(differing.split('\n'))), [data.keys, differing]);
  const byId = useMemo(() => new Map(allColumns.map((c) => [c.id, c])), [allColumns]);
  const { pinned, scrolling } = useMemo(() => arrangeColumns(allColumns, layout), [allColumns, layout]);
  const groupBy = layout.groupBy !== null && data.keys.params.includes(layout.groupBy) ? layout.groupBy : null;
  const items = useMemo(() => groupRuns(runs, groupBy, collapsed), [runs, groupBy, collapsed]);
  const visibleIds = useMemo(() => new Set(runs.map((r) => r.id)), [runs]);

  // A reload keeps the selection of the runs still shown (and drops runs deleted or filtered out).
  useEffect(() => {
    setSelected((s) => {
      const next = pruneSelection(s, visibleIds);
      return next.size === s.size ? s : next;
    });
  }, [visibleIds]);
  useEffect(() => {
    if (activeRow !== null && activeRow >= items.length) setActiveRow(items.length === 0 ? null : items.length - 1);
  }, [items.length, activeRow]);

  const toGrid = useCallback(
    (c: RunColumn): GridColumn => ({
      id: c.id,
      width: columnWidth(c, layout),
      resizable: true,
      className: c.numeric ? 'num-cell' : undefined,
      headerProps: {
        'aria-sort': c.sortField
          ? layout.sort === `-${c.sortField}`
            ? 'descending'
            : layout.sort === c.sortField
              ? 'ascending'
              : 'none'
          : undefined,
      },
    }),
    [layout],
  );
  const pinnedGrid = useMemo(() => [SELECT_COLUMN, ...pinned.map(toGrid)], [pinned, toGrid]);
  const scrollingGrid = useMemo(() => scrolling.map(toGrid), [scrolling, toGrid]);

  const selectedRuns = runs.filter((r) => selected.has(r.id));
  const allSelected = runs.length > 0 && selectedRuns.length === runs.length;

  const toggleStar = async (run: RunSearchRow) => {
    actions.patch(run.id, (r) => ({ ...r, starred: !run.starred }));
    try {
      await api.call('runs.update', { id: run.id, starred: !run.starred });
    } catch (err) {
      actions.patch(run.id, (r) => ({ ...r, starred: run.starred }));
      toastError('Could not star the run', err);
    }
  };
  const rename = async (run: RunSearchRow, name: string) => {
    setEditing(null);
    actions.patch(run.id, (r) => ({ ...r, name }));
    try {
      await api.call('runs.update', { id: run.id, name });
    } catch (err) {
      actions.patch(run.id, (r) => ({ ...r, name: run.name }));
      toastError('Could not rename the run', err);
    }
    grid.current?.focus();
  };
  const tagSelected = async (key: string, value: string) => {
    const ids = [...selected];
    try {
      for (const id of ids) await api.call('runs.update', { id, setTags: { [key]: value } });
    } catch (err) {
      toastError('Could not tag the runs', err);
    }
    await actions.reload();
  };
  const deleteSelected = async () => {
    const ids = [...selected];
    if (ids.length === 0) return;
    try {
      await inBatches('runs.delete', ids);
      setDeleted(ids);
      setSelected(new Set());
    } catch (err) {
      toastError('Could not delete the runs', err);
    }
    await actions.reload();
  };
  const undoDelete = async () => {
    const ids = deleted;
    setDeleted(null);
    if (!ids) return;
    try {
      await inBatches('runs.restore', ids);
      setSelected(new Set(ids));
    } catch (err) {
      toastError('Could not restore the runs', err);
    }
    await actions.reload();
  };
  const dismissUndo = useCallback(() => setDeleted(null), []);

  const selectRow = (index: number, shift: boolean) => {
    setSelected((s) => clickSelect(items, s, index, anchor.current, shift));
    if (!shift) anchor.current = index;
    setActiveRow(index);
  };
  const toggleGroup = (value: string | null) =>
    setCollapsed((c) => {
      const next = new Set(c);
      const id = groupId(value);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const onRowKey = (row: number, e: KeyboardEvent<HTMLDivElement>) => {
    const item = items[row];
    if (!item) return;
    if (item.kind === 'group') {
      if (
        e.key === 'Enter' ||
        e.key === ' ' ||
        (e.key === 'ArrowRight' && item.collapsed) ||
        (e.key === 'ArrowLeft' && !item.collapsed)
      ) {
        e.preventDefault();
        toggleGroup(item.value);
      }
      return;
    }
    if (e.key === ' ') {
      e.preventDefault();
      selectRow(row, e.shiftKey);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      useApp.getState().openRun(item.run.id);
    } else if (e.key === 'F2') {
      e.preventDefault();
      setEditing(item.run.id);
    } else if (e.key === 's' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      void toggleStar(item.run);
    }
  };

  const renderHeader = (c: GridColumn) => {
    if (c.id === SELECT_COLUMN.id) {
      return (
        <input
          type="checkbox"
          aria-label="Select all runs"
          checked={allSelected}
          ref={(el) => {
            if (el) el.indeterminate = selectedRuns.length > 0 && !allSelected;
          }}
          onChange={() => setSelected(allSelected ? new Set() : new Set(runs.map((r) => r.id)))}
        />
      );
    }
    const column = byId.get(c.id);
    return column ? <ColumnHeader column={column} columns={allColumns} layout={layout} onChange={setLayout} /> : null;
  };

  const renderCell = (row: number, c: GridColumn) => {
    const item = items[row];
    if (item?.kind !== 'run') return null;
    const run = item.run;
    if (c.id === SELECT_COLUMN.id) {
      return (
        <input
          type="checkbox"
          aria-label={`Select run ${run.name}`}
          checked={selected.has(run.id)}
          onChange={(e) => selectRow(row, (e.nativeEvent as MouseEvent).shiftKey === true)}
        />
      );
    }
    if (c.id === 'name') {
      return (
        <NameCell
          run={run}
          editing={editing === run.id}
          onOpen={() => useApp.getState().openRun(run.id)}
          onStartEdit={() => setEditing(run.id)}
          onRename={(name) => void rename(run, name)}
          onCancel={() => {
            setEditing(null);
            grid.current?.focus();
          }}
        />
      );
    }
    if (c.id === 'starred') return <StarCell run={run} onToggle={() => void toggleStar(run)} />;
    const column = byId.get(c.id);
    return column ? <ValueCell run={run} column={column} /> : null;
  };

  const renderFullRow = (row: number) => {
    const item = items[row];
    if (item?.kind !== 'group') return null;
    return (
      <button
        type="button"
        className="group-toggle"
        aria-expanded={!item.collapsed}
        onClick={() => toggleGroup(item.value)}
      >
        <ChevronIcon open={!item.collapsed} />
        <span className="group-key">{groupBy}</span>
        <span className="group-eq">=</span>
        <span className="group-value">{item.value === null ? <em>not set</em> : item.value}</span>
        <span className="group-count">{plural(item.count, 'run')}</span>
      </button>
    );
  };

  const compareIds = selectedRuns.map((r) => r.id);
  const canCompare = compareIds.length >= 2 && compareIds.length <= MAX_COMPARE;
  const countText =
    data.runs === null
      ? 'Loading runs…'
      : !data.complete
        ? `First ${runs.length.toLocaleString()} runs shown, loading the rest…`
        : data.shownFilter
          ? `${plural(runs.length, 'run')} ${runs.length === 1 ? 'matches' : 'match'} the filter`
          : plural(runs.length, 'run');

  return (
    <section className="runs-view" aria-label="Runs">
      <FilterBox
        applied={filter}
        onApply={(f) => (f === filter ? void actions.reload() : setFilter(f))}
        error={data.error}
        keys={data.keys}
      />
      <div className="runs-toolbar">
        <span className="runs-count" role="status" aria-live="polite">
          {countText}
          {data.loading && data.runs !== null ? <span className="spinner" aria-label="refreshing" /> : null}
        </span>
        <label className="group-by">
          Group by
          <select
            className="field-input"
            value={groupBy ?? ''}
            onChange={(e) => setLayout((l) => ({ ...l, groupBy: e.target.value === '' ? null : e.target.value }))}
          >
            <option value="">nothing</option>
            {data.keys.params.map((k) => (
              <option key={k} value={k}>
                params.{k}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="with-icon"
          aria-haspopup="dialog"
          aria-expanded={popover?.kind === 'columns'}
          onClick={(e) => setPopover(popover?.kind === 'columns' ? null : { kind: 'columns', anchor: e.currentTarget })}
        >
          <ColumnsIcon /> Columns
        </button>
        <span className="toolbar-spacer" />
        {selected.size > 0 ? (
          <span className="selection-actions">
            <span className="muted">{selected.size.toLocaleString()} selected</span>
            <button
              type="button"
              onClick={(e) => setPopover({ kind: 'tag', anchor: e.currentTarget })}
              aria-haspopup="dialog"
            >
              Tag…
            </button>
            <button type="button" className="danger" onClick={() => void deleteSelected()}>
              Delete
            </button>
            <button type="button" className="link-plain" onClick={() => setSelected(new Set())}>
              Clear
            </button>
          </span>
        ) : null}
        <button
          type="button"
          className="primary"
          disabled={!canCompare}
          title={
            compareIds.length > MAX_COMPARE
              ? `Compare at most ${MAX_COMPARE} runs at once`
              : 'Select 2 or more runs to compare them'
          }
          onClick={() => useApp.getState().openCompare(compareIds)}
        >
          Compare ({compareIds.length})
        </button>
      </div>
      <div
        className="runs-grid-wrap"
        style={{ maxHeight: HEADER_HEIGHT + Math.max(items.length, 4) * ROW_HEIGHT + SCROLLBAR_ROOM }}
      >
        <VirtualGrid
          handle={grid}
          label="Runs"
          idPrefix="run-row"
          rowCount={items.length}
          rowHeight={ROW_HEIGHT}
          headerHeight={HEADER_HEIGHT}
          pinned={pinnedGrid}
          columns={scrollingGrid}
          renderHeader={renderHeader}
          renderCell={renderCell}
          renderFullRow={renderFullRow}
          rowKey={(row) => {
            const item = items[row];
            return !item ? `#${row}` : item.kind === 'run' ? item.run.id : `group:${groupId(item.value)}`;
          }}
          rowClassName={(row) => {
            const item = items[row];
            if (!item) return '';
            if (item.kind === 'group') return 'group-row';
            return `run-row${selected.has(item.run.id) ? ' selected' : ''}${item.run.status === 'running' ? ' running' : ''}`;
          }}
          activeRow={activeRow}
          onActiveRowChange={setActiveRow}
          onRowKey={onRowKey}
          onResize={(id, width) =>
            setLayout((l) => ({
              ...l,
              widths: { ...l.widths, [id]: Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)) },
            }))
          }
          empty={
            data.runs === null ? null : (
              <p className="muted">
                {data.shownFilter
                  ? 'No run matches the filter.'
                  : 'No runs yet: runs appear here as scripts and pipeline stages report them.'}
              </p>
            )
          }
        />
      </div>
      {popover?.kind === 'columns' ? (
        <ColumnChooser
          anchor={popover.anchor}
          columns={allColumns}
          layout={layout}
          onChange={setLayout}
          onClose={() => setPopover(null)}
        />
      ) : null}
      {popover?.kind === 'tag' ? (
        <TagPopover
          anchor={popover.anchor}
          count={selected.size}
          onClose={() => setPopover(null)}
          onTag={tagSelected}
        />
      ) : null}
      {deleted ? <UndoBar count={deleted.length} onUndo={() => void undoDelete()} onDismiss={dismissUndo} /> : null}
    </section>
  );
}
