// Runs in: renderer (and unit tests). The runs table's columns and their default order: what tells
// runs apart first (name, status, the latest metrics, the params whose values differ), then the
// rest (experiment, times, source, star, tags, params every run shares), so a window of ordinary
// width shows metrics without scrolling; and how the layout (hidden, pinned, moved, widths)
// rearranges them.
import type { RunKeys } from '../../../../shared/contract/schemas';
import type { RunsLayout } from './layout';
import { fieldRef } from './field-ref';

export type ColumnKind = 'attr' | 'param' | 'metric';

export interface RunColumn {
  /** Stable id: `name`, `status`, … or `params.<key>` / `metrics.<key>` (the key unquoted). */
  id: string;
  kind: ColumnKind;
  label: string;
  /** Param or metric key; the attribute name for fixed columns. */
  key: string;
  defaultWidth: number;
  numeric: boolean;
  /** Field for runs.search's `sort`, when the core can sort by it. */
  sortField: string | null;
}

const ATTR_COLUMNS: RunColumn[] = [
  { id: 'name', kind: 'attr', label: 'Name', key: 'name', defaultWidth: 240, numeric: false, sortField: 'name' },
  {
    id: 'status',
    kind: 'attr',
    label: 'Status',
    key: 'status',
    defaultWidth: 112,
    numeric: false,
    sortField: 'status',
  },
  {
    id: 'experiment',
    kind: 'attr',
    label: 'Experiment',
    key: 'experiment',
    defaultWidth: 140,
    numeric: false,
    sortField: 'experiment',
  },
  {
    id: 'start_time',
    kind: 'attr',
    label: 'Started',
    key: 'start_time',
    defaultWidth: 170,
    numeric: false,
    sortField: 'start_time',
  },
  {
    id: 'duration',
    kind: 'attr',
    label: 'Duration',
    key: 'duration',
    defaultWidth: 104,
    numeric: true,
    sortField: 'duration',
  },
  { id: 'source', kind: 'attr', label: 'Source', key: 'source', defaultWidth: 100, numeric: false, sortField: null },
  { id: 'starred', kind: 'attr', label: 'Star', key: 'starred', defaultWidth: 64, numeric: false, sortField: null },
  { id: 'tags', kind: 'attr', label: 'Tags', key: 'tags', defaultWidth: 200, numeric: false, sortField: null },
];

export const MIN_COLUMN_WIDTH = 48;
export const MAX_COLUMN_WIDTH = 800;

/** Params whose value is not the same in every run (a run without one differs from one with it). */
export function differingParams(runs: readonly { params: Record<string, string> }[]): Set<string> {
  const first = new Map<string, string | undefined>();
  const differ = new Set<string>();
  runs.forEach((run, i) => {
    for (const [k, v] of Object.entries(run.params)) {
      if (!first.has(k)) first.set(k, i === 0 ? v : undefined);
      if (first.get(k) !== v) differ.add(k);
    }
    if (i > 0) for (const k of first.keys()) if (!(k in run.params)) differ.add(k);
  });
  return differ;
}

/**
 * Every column the table can show for these keys, in their default order: name, status, metrics,
 * the params in `differing` (all of them when not given), the other run fields, then the params
 * every run shares.
 */
export function buildColumns(keys: RunKeys, differing?: ReadonlySet<string>): RunColumn[] {
  const params = keys.params.map<RunColumn>((k) => ({
    id: `params.${k}`,
    kind: 'param',
    label: k,
    key: k,
    defaultWidth: 120,
    numeric: false,
    sortField: fieldRef('param', k),
  }));
  const metrics = keys.metrics.map<RunColumn>((k) => ({
    id: `metrics.${k}`,
    kind: 'metric',
    label: k,
    key: k,
    defaultWidth: 120,
    numeric: true,
    sortField: fieldRef('metric', k),
  }));
  const differs = (c: RunColumn) => differing === undefined || differing.has(c.key);
  const [name, status, ...rest] = ATTR_COLUMNS;
  return [name!, status!, ...metrics, ...params.filter(differs), ...rest, ...params.filter((c) => !differs(c))];
}

/**
 * `all` in the layout's order: listed columns in their listed order, each unlisted one right after
 * the column before it in the default order (so a new metric does not land at the far end).
 */
export function orderColumns(all: readonly RunColumn[], order: readonly string[]): RunColumn[] {
  if (order.length === 0) return [...all];
  const rank = new Map(order.map((id, i) => [id, i]));
  let before = -1;
  const keyed = all.map((c, i) => {
    const r = rank.get(c.id);
    if (r !== undefined) before = r;
    return { c, i, k: r ?? before + 0.5 };
  });
  keyed.sort((a, b) => a.k - b.k || a.i - b.i);
  return keyed.map((x) => x.c);
}

/**
 * The order after moving column `id` one place left (-1) or right (+1) among the columns shown
 * beside it (hidden and pinned ones are stepped over); null when it is already at that end.
 */
export function moveColumn(all: readonly RunColumn[], layout: RunsLayout, id: string, step: -1 | 1): string[] | null {
  const ordered = orderColumns(all, layout.order).map((c) => c.id);
  const { scrolling } = arrangeColumns(all, layout);
  const at = scrolling.findIndex((c) => c.id === id);
  const neighbour = scrolling[at + step];
  if (at < 0 || !neighbour) return null;
  const from = ordered.indexOf(id);
  const to = ordered.indexOf(neighbour.id);
  ordered.splice(from, 1);
  ordered.splice(to, 0, id);
  return ordered;
}

export function columnWidth(column: RunColumn, layout: RunsLayout): number {
  const w = layout.widths[column.id];
  return w === undefined ? column.defaultWidth : Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, w));
}

/** Visible columns split into the pinned ones (kept at the left, in pin order) and the rest. */
export function arrangeColumns(
  all: readonly RunColumn[],
  layout: RunsLayout,
): { pinned: RunColumn[]; scrolling: RunColumn[] } {
  const hidden = new Set(layout.hidden);
  const byId = new Map(all.map((c) => [c.id, c]));
  const pinned = layout.pinned
    .map((id) => byId.get(id))
    .filter((c): c is RunColumn => c !== undefined && !hidden.has(c.id));
  const pinnedIds = new Set(pinned.map((c) => c.id));
  const scrolling = orderColumns(all, layout.order).filter((c) => !hidden.has(c.id) && !pinnedIds.has(c.id));
  return { pinned, scrolling };
}

/** The sort a header click asks for: descending first, then ascending, then back to descending. */
export function nextSort(current: string, field: string): string {
  return current === `-${field}` ? field : `-${field}`;
}

export function sortDirection(current: string, field: string | null): 'ascending' | 'descending' | 'none' {
  if (!field) return 'none';
  if (current === `-${field}`) return 'descending';
  if (current === field) return 'ascending';
  return 'none';
}
