// Runs in: renderer. A grid that renders only the rows and columns in view: fixed-height rows
// absolutely placed in a tall canvas, a sticky header, pinned columns stuck to the left, and the
// other columns windowed horizontally. Row-level keyboard focus (arrows, Page keys, Home/End) moves
// an active row that stays scrolled into view.
import {
  useCallback,
  useImperativeHandle,
  useMemo,
  useRef,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { columnOffsets, columnRange, rowRange, scrollToRow } from './virtual-range';
import { useVirtualWindow } from './use-virtual-window';
import './virtual-grid.css';

export interface GridColumn {
  id: string;
  width: number;
  /** Extra attributes of the header cell (aria-sort, title). */
  headerProps?: Record<string, string | undefined>;
  className?: string;
  resizable?: boolean;
}

export interface VirtualGridHandle {
  scrollToRow(index: number): void;
  focus(): void;
  element(): HTMLDivElement | null;
}

export interface VirtualGridProps {
  label: string;
  rowCount: number;
  rowHeight: number;
  headerHeight: number;
  pinned: GridColumn[];
  columns: GridColumn[];
  renderHeader(column: GridColumn): ReactNode;
  renderCell(row: number, column: GridColumn): ReactNode;
  /** A row drawn across the whole width instead of cell by cell (a group header), or null. */
  renderFullRow?(row: number): ReactNode | null;
  rowClassName?(row: number): string;
  /** React key of a row (defaults to its index): a stable key keeps a row's state (an open editor) with its data. */
  rowKey?(row: number): string;
  /** DOM id prefix for rows, so the active row can be the grid's aria-activedescendant. */
  idPrefix: string;
  activeRow: number | null;
  onActiveRowChange(row: number): void;
  /** Keys on the grid itself (not on a control inside it) that navigation leaves alone: Space, Enter… */
  onRowKey?(row: number, event: KeyboardEvent<HTMLDivElement>): void;
  onResize?(columnId: string, width: number): void;
  overscanRows?: number;
  overscanColumns?: number;
  empty?: ReactNode;
  handle?: Ref<VirtualGridHandle>;
}

function ResizeHandle({ column, onResize }: { column: GridColumn; onResize: (id: string, width: number) => void }) {
  const start = useRef<{ x: number; width: number } | null>(null);
  const down = (e: PointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    start.current = { x: e.clientX, width: column.width };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent<HTMLSpanElement>) => {
    if (start.current) onResize(column.id, Math.round(start.current.width + e.clientX - start.current.x));
  };
  const up = () => {
    start.current = null;
  };
  return (
    <span
      className="vgrid-resize"
      aria-hidden="true"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
    />
  );
}

export function VirtualGrid(props: VirtualGridProps) {
  const { rowCount, rowHeight, headerHeight, pinned, columns, overscanRows = 8, overscanColumns = 2 } = props;
  const scroller = useRef<HTMLDivElement | null>(null);
  const view = useVirtualWindow(scroller);

  const pinnedOffsets = useMemo(() => columnOffsets(pinned.map((c) => c.width)), [pinned]);
  const pinnedWidth = pinnedOffsets[pinnedOffsets.length - 1]!;
  const offsets = useMemo(() => columnOffsets(columns.map((c) => c.width)), [columns]);
  const totalWidth = pinnedWidth + offsets[offsets.length - 1]!;
  const bodyViewport = Math.max(0, view.height - headerHeight);
  const rows = rowRange(view.scrollTop, bodyViewport, rowHeight, rowCount, overscanRows);
  const cols = columnRange(offsets, view.scrollLeft, Math.max(0, view.width - pinnedWidth), overscanColumns);
  const visibleCols = columns.slice(cols.start, cols.end);
  const leadSpace = offsets[cols.start] ?? 0;

  const scrollRowIntoView = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el) return;
      const next = scrollToRow(index, el.scrollTop, Math.max(rowHeight, el.clientHeight - headerHeight), rowHeight);
      if (next !== el.scrollTop) el.scrollTop = next;
    },
    [rowHeight, headerHeight],
  );
  useImperativeHandle(
    props.handle,
    () => ({ scrollToRow: scrollRowIntoView, focus: () => scroller.current?.focus(), element: () => scroller.current }),
    [scrollRowIntoView],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || rowCount === 0) return;
    const page = Math.max(1, Math.floor(bodyViewport / rowHeight) - 1);
    const current = props.activeRow ?? -1;
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: rowCount - 1,
    };
    const target = moves[e.key];
    if (target !== undefined) {
      e.preventDefault();
      const row = Math.max(0, Math.min(rowCount - 1, target));
      props.onActiveRowChange(row);
      scrollRowIntoView(row);
      return;
    }
    if (props.activeRow !== null && props.activeRow < rowCount) props.onRowKey?.(props.activeRow, e);
  };

  const pinnedCells = (render: (c: GridColumn) => ReactNode, header: boolean) =>
    pinned.map((c, i) => (
      <div
        key={c.id}
        role={header ? 'columnheader' : 'gridcell'}
        aria-colindex={i + 1}
        className={`vgrid-cell vgrid-pinned${i === pinned.length - 1 ? ' vgrid-pinned-last' : ''}${c.className ? ` ${c.className}` : ''}`}
        style={{ width: c.width, left: pinnedOffsets[i] }}
        {...(header ? c.headerProps : undefined)}
      >
        {render(c)}
        {header && c.resizable && props.onResize ? <ResizeHandle column={c} onResize={props.onResize} /> : null}
      </div>
    ));
  const scrollingCells = (render: (c: GridColumn) => ReactNode, header: boolean) =>
    visibleCols.map((c, j) => (
      <div
        key={c.id}
        role={header ? 'columnheader' : 'gridcell'}
        aria-colindex={pinned.length + cols.start + j + 1}
        className={`vgrid-cell${c.className ? ` ${c.className}` : ''}`}
        style={{ width: c.width }}
        {...(header ? c.headerProps : undefined)}
      >
        {render(c)}
        {header && c.resizable && props.onResize ? <ResizeHandle column={c} onResize={props.onResize} /> : null}
      </div>
    ));

  const bodyRows: ReactNode[] = [];
  for (let r = rows.start; r < rows.end; r++) {
    const full = props.renderFullRow?.(r) ?? null;
    const className = `vgrid-row${props.rowClassName ? ` ${props.rowClassName(r)}` : ''}${r === props.activeRow ? ' vgrid-active' : ''}`;
    bodyRows.push(
      <div
        key={props.rowKey ? props.rowKey(r) : r}
        id={`${props.idPrefix}-${r}`}
        role="row"
        aria-rowindex={r + 2}
        className={className}
        style={{ top: r * rowHeight, height: rowHeight, width: totalWidth }}
      >
        {full !== null ? (
          <div
            role="gridcell"
            aria-colspan={pinned.length + columns.length}
            className="vgrid-cell vgrid-full"
            style={{ width: Math.min(totalWidth, view.width || totalWidth) }}
          >
            {full}
          </div>
        ) : (
          <>
            {pinnedCells((c) => props.renderCell(r, c), false)}
            {leadSpace > 0 ? <div className="vgrid-space" style={{ width: leadSpace }} aria-hidden="true" /> : null}
            {scrollingCells((c) => props.renderCell(r, c), false)}
          </>
        )}
      </div>,
    );
  }

  const active =
    props.activeRow !== null && props.activeRow >= rows.start && props.activeRow < rows.end
      ? `${props.idPrefix}-${props.activeRow}`
      : undefined;
  return (
    <div
      ref={scroller}
      className="vgrid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rowCount + 1}
      aria-colcount={pinned.length + columns.length}
      aria-activedescendant={active}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === e.currentTarget && props.activeRow === null && rowCount > 0)
          props.onActiveRowChange(Math.min(rowCount - 1, rows.start));
      }}
    >
      <div className="vgrid-canvas" style={{ width: totalWidth, height: headerHeight + rowCount * rowHeight }}>
        <div role="rowgroup" className="vgrid-head" style={{ height: headerHeight, width: totalWidth }}>
          <div
            role="row"
            aria-rowindex={1}
            className="vgrid-row vgrid-header-row"
            style={{ height: headerHeight, width: totalWidth }}
          >
            {pinnedCells(props.renderHeader, true)}
            {leadSpace > 0 ? <div className="vgrid-space" style={{ width: leadSpace }} aria-hidden="true" /> : null}
            {scrollingCells(props.renderHeader, true)}
          </div>
        </div>
        <div role="rowgroup" className="vgrid-body" style={{ height: rowCount * rowHeight, width: totalWidth }}>
          {bodyRows}
        </div>
      </div>
      {rowCount === 0 && props.empty ? <div className="vgrid-empty">{props.empty}</div> : null}
    </div>
  );
}
