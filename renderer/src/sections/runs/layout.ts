// Runs in: renderer (and unit tests). The runs table's layout (hidden, pinned, moved and resized
// columns, sort, grouping), kept per project in localStorage; anything unreadable falls back to
// defaults.

export interface RunsLayout {
  hidden: string[];
  /** Pinned column ids, left to right. */
  pinned: string[];
  /**
   * Column ids in the order the user arranged them, once they moved one; empty keeps the default
   * order. Columns not listed (new keys) keep their place after their default neighbour.
   */
  order: string[];
  widths: Record<string, number>;
  /** runs.search sort: a field, `-` in front for descending. */
  sort: string;
  /** Param key the rows are grouped by, or null. */
  groupBy: string | null;
}

export const DEFAULT_LAYOUT: RunsLayout = {
  hidden: [],
  pinned: ['name'],
  order: [],
  widths: {},
  sort: '-start_time',
  groupBy: null,
};

const VERSION = 1;

export function layoutStorageKey(projectPath: string): string {
  return `benchtop.runs-layout.v${VERSION}:${projectPath}`;
}

export function serializeLayout(layout: RunsLayout): string {
  return JSON.stringify({ v: VERSION, ...layout });
}

const strings = (v: unknown): string[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...new Set(v as string[])] : null;

/** Reads a stored layout; each field that is missing or malformed takes its default. */
export function parseLayout(text: string | null): RunsLayout {
  if (!text) return { ...DEFAULT_LAYOUT };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...DEFAULT_LAYOUT };
  }
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== VERSION) return { ...DEFAULT_LAYOUT };
  const r = raw as Record<string, unknown>;
  const widths: Record<string, number> = {};
  if (typeof r.widths === 'object' && r.widths !== null && !Array.isArray(r.widths)) {
    for (const [k, w] of Object.entries(r.widths))
      if (typeof w === 'number' && Number.isFinite(w) && w > 0) widths[k] = Math.round(w);
  }
  return {
    hidden: strings(r.hidden) ?? DEFAULT_LAYOUT.hidden,
    pinned: strings(r.pinned) ?? DEFAULT_LAYOUT.pinned,
    order: strings(r.order) ?? DEFAULT_LAYOUT.order,
    widths,
    sort: typeof r.sort === 'string' && r.sort.length > 0 && r.sort.length <= 300 ? r.sort : DEFAULT_LAYOUT.sort,
    groupBy: typeof r.groupBy === 'string' && r.groupBy.length > 0 ? r.groupBy : null,
  };
}

export function toggleIn(list: readonly string[], id: string, on: boolean): string[] {
  const without = list.filter((x) => x !== id);
  return on ? [...without, id] : without;
}
