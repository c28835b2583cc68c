// Runs in: renderer (and unit tests). The runs table's columns: fixed run fields, then one per
// latest metric and per param (metrics first, as in MLflow: they are what runs are compared on),
// and how the layout (hidden, pinned, widths) orders them.
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

/** Every column the table can show for these keys, in their natural order: run fields, metrics, params. */
export function buildColumns(keys: RunKeys): RunColumn[] {
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
  return [...ATTR_COLUMNS, ...metrics, ...params];
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
  const scrolling = all.filter((c) => !hidden.has(c.id) && !pinnedIds.has(c.id));
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
