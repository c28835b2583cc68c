// Runs in: renderer (and unit tests). The rows the grid shows: runs in search order, or grouped by
// a param's value under collapsible header rows that count their runs.
import type { RunSearchRow } from '../../../../shared/contract/schemas';

export type GridItem =
  | { kind: 'run'; run: RunSearchRow }
  | { kind: 'group'; value: string | null; count: number; collapsed: boolean };

/** Key a collapsed group is remembered by (a run without the param groups under null). */
export const groupId = (value: string | null): string => (value === null ? '\u0000none' : `=${value}`);

function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const na = Number(a);
  const nb = Number(b);
  const numeric = a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb);
  if (numeric && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Flattens runs into grid rows; within a group the runs keep the search's sort order. */
export function groupRuns(
  runs: readonly RunSearchRow[],
  paramKey: string | null,
  collapsed: ReadonlySet<string>,
): GridItem[] {
  if (paramKey === null) return runs.map((run) => ({ kind: 'run', run }));
  const groups = new Map<string | null, RunSearchRow[]>();
  for (const run of runs) {
    const v = Object.hasOwn(run.params, paramKey) ? run.params[paramKey]! : null;
    let list = groups.get(v);
    if (!list) groups.set(v, (list = []));
    list.push(run);
  }
  const out: GridItem[] = [];
  for (const value of [...groups.keys()].sort(compareValues)) {
    const list = groups.get(value)!;
    const isCollapsed = collapsed.has(groupId(value));
    out.push({ kind: 'group', value, count: list.length, collapsed: isCollapsed });
    if (!isCollapsed) for (const run of list) out.push({ kind: 'run', run });
  }
  return out;
}
