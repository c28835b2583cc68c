// Runs in: renderer (and unit tests). Selecting runs: one at a time, or a shift-click range over the
// rows as shown (group headers skipped).
import type { GridItem } from './grouping';

/** Ids of the runs between two row indexes, both included, in either order. */
export function runIdsBetween(items: readonly GridItem[], a: number, b: number): string[] {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(items.length - 1, Math.max(a, b));
  const out: string[] = [];
  for (let i = lo; i <= hi; i++) {
    const item = items[i]!;
    if (item.kind === 'run') out.push(item.run.id);
  }
  return out;
}

/**
 * The selection after clicking the checkbox of row `index`: a plain click toggles that run; a shift
 * click sets the whole range from the anchor (the last plain click) to the state the clicked row takes.
 */
export function clickSelect(
  items: readonly GridItem[],
  selected: ReadonlySet<string>,
  index: number,
  anchor: number | null,
  shift: boolean,
): Set<string> {
  const item = items[index];
  const next = new Set(selected);
  if (item?.kind !== 'run') return next;
  const on = !selected.has(item.run.id);
  const ids = shift && anchor !== null ? runIdsBetween(items, anchor, index) : [item.run.id];
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** Keeps only the selected ids still present (after a reload, a filter or a delete). */
export function pruneSelection(selected: ReadonlySet<string>, present: ReadonlySet<string>): Set<string> {
  const next = new Set<string>();
  for (const id of selected) if (present.has(id)) next.add(id);
  return next;
}
