// Runs in: renderer. Pure helpers of the Data view: status badges, short hashes, diff summaries
// (for the restore confirmation) and statistic shifts; kept free of React so they are unit tested.
import type { DataDiff, DataFile, DataStatusRow } from '../../../../shared/contract';
import { formatBytes, formatNumber, plural } from '../../components/format';

export type BadgeTone = 'ok' | 'warn' | 'bad' | 'muted';

export interface Badge {
  label: string;
  tone: BadgeTone;
  /** The longer explanation shown on hover and to screen readers. */
  detail: string;
}

/** The badges of one tracked dataset: its workspace state first, then cache and git problems. */
export function statusBadges(row: DataStatusRow): Badge[] {
  if (row.problem !== null || row.workspace === null) {
    return [{ label: 'bad pointer', tone: 'bad', detail: row.problem ?? `${row.pointer} could not be read.` }];
  }
  const badges: Badge[] = [];
  if (row.workspace === 'unchanged')
    badges.push({ label: 'unchanged', tone: 'ok', detail: 'The workspace matches the pointer.' });
  else if (row.workspace === 'modified')
    badges.push({
      label: 'modified',
      tone: 'warn',
      detail: 'The workspace differs from the pointer: Track it again to record a new version.',
    });
  else
    badges.push({
      label: 'deleted',
      tone: 'bad',
      detail: 'The data is missing from the workspace: restore a version to bring it back.',
    });
  if (!row.inCache)
    badges.push({
      label: 'missing from cache',
      tone: 'bad',
      detail: 'The cache does not hold this version, so it cannot be restored from here.',
    });
  if (row.git === 'new' || row.git === 'changed') {
    badges.push({
      label: 'not committed',
      tone: 'warn',
      detail:
        row.git === 'new'
          ? 'A new pointer: commit it to make this a version.'
          : 'The pointer changed since the last commit: commit it to make this a version.',
    });
  }
  return badges;
}

/** True when some pointer is new or changed in git, so a commit would record something. */
export function needsCommit(rows: readonly DataStatusRow[]): boolean {
  return rows.some((r) => r.git === 'new' || r.git === 'changed');
}

export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 7) : '—';
}

/** "1,204 rows" for a table, "12 files" for a folder, "—" when unknown. */
export function shapeText(
  kind: 'file' | 'folder' | null | undefined,
  rows: number | null | undefined,
  files: number | null | undefined,
): string {
  if (kind === 'folder') return files === null || files === undefined ? '—' : plural(files, 'file');
  return rows === null || rows === undefined ? '—' : plural(rows, 'row');
}

/** The tracked path that versions a listed file (itself, or the folder holding it), if any. */
export function trackedOwner(file: string, tracked: readonly DataStatusRow[]): string | null {
  return tracked.find((t) => file === t.path || file.startsWith(`${t.path}/`))?.path ?? null;
}

/**
 * What restoring would change, one line per fact, from the diff between the workspace (from) and
 * the version to restore (to): "data/train.csv: 1,204 rows → 1,100 rows; 3 columns changed".
 */
export function restoreSummary(diff: DataDiff): string[] {
  if (diff.identical) return [`${diff.path}: already matches this version; nothing will change.`];
  if (diff.from.hash === null)
    return [
      `${diff.path}: missing from the workspace; it will be brought back${diff.to.size != null ? ` (${formatBytes(diff.to.size)})` : ''}.`,
    ];
  if (diff.to.hash === null) return [`${diff.path}: not tracked in this version.`];
  const lines: string[] = [];
  const t = diff.table;
  if (t) {
    const columns = t.columnsAdded.length + t.columnsRemoved.length + t.columnsRetyped.length;
    const parts = [`${plural(t.rowsBefore, 'row')} → ${plural(t.rowsAfter, 'row')}`];
    if (columns > 0) parts.push(`${plural(columns, 'column')} changed`);
    lines.push(`${diff.path}: ${parts.join('; ')}`);
    const rowParts: string[] = [];
    if (t.rowsAdded) rowParts.push(`${t.rowsAdded.toLocaleString()} added`);
    if (t.rowsRemoved) rowParts.push(`${t.rowsRemoved.toLocaleString()} removed`);
    if (t.rowsChanged) rowParts.push(`${t.rowsChanged.toLocaleString()} changed`);
    if (rowParts.length) lines.push(`Rows: ${rowParts.join(', ')}.`);
    const cols = [
      ...t.columnsAdded.map((c) => `+${c.name}`),
      ...t.columnsRemoved.map((c) => `−${c.name}`),
      ...t.columnsRetyped.map((c) => `${c.name} ${c.before}→${c.after}`),
    ];
    if (cols.length) lines.push(`Columns: ${cols.join(', ')}.`);
  } else if (diff.files) {
    const f = diff.files;
    const parts: string[] = [];
    if (f.added.length) parts.push(`${plural(f.added.length, 'file')} added`);
    if (f.removed.length) parts.push(`${plural(f.removed.length, 'file')} removed`);
    if (f.modified.length) parts.push(`${plural(f.modified.length, 'file')} modified`);
    if (f.renamed.length) parts.push(`${plural(f.renamed.length, 'file')} renamed`);
    lines.push(`${diff.path}: ${parts.length ? parts.join(', ') : 'contents differ'}`);
  } else {
    lines.push(
      `${diff.path}: content differs${diff.from.size != null && diff.to.size != null ? ` (${formatBytes(diff.from.size)} → ${formatBytes(diff.to.size)})` : ''}`,
    );
  }
  if (diff.note) lines.push(diff.note);
  return lines;
}

type Stats = NonNullable<NonNullable<DataDiff['table']>['stats'][number]['before']>;
export type StatName = 'mean' | 'std' | 'nulls' | 'distinct';

/** "5.84 → 6.1", "— → 3", or just "12" when it did not move; `changed` drives the highlight. */
export function statShift(
  before: Stats | null,
  after: Stats | null,
  stat: StatName,
): { text: string; changed: boolean } {
  const show = (s: Stats | null): string => {
    const v = s ? s[stat] : null;
    return v === null || v === undefined ? '—' : formatNumber(v);
  };
  const a = show(before);
  const b = show(after);
  return a === b ? { text: a, changed: false } : { text: `${a} → ${b}`, changed: true };
}

/** Percentage for a progress bar, clamped to 0–100; null when the total is not known yet. */
export function progressPercent(done: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** A version's label in pickers: "a1b2c3d · v2 of the data" or "Workspace". */
export function revLabel(rev: string, message?: string): string {
  if (rev === 'workspace') return 'Workspace';
  const first = message?.split('\n')[0]?.trim();
  return first ? `${rev.slice(0, 7)} · ${first}` : rev.slice(0, 7);
}

/** The two ticked revs as a diff pair, older first, given the timeline's order (index 0 is newest). */
export function orderPair(picked: readonly string[], order: readonly string[]): [string, string] | null {
  if (picked.length !== 2) return null;
  const [a, b] = [...picked].sort((x, y) => order.indexOf(y) - order.indexOf(x));
  return [a!, b!];
}

/** A listed file, or a sub-folder of data/ (tracked as a whole, so its files version together). */
export type FileEntry =
  | { kind: 'file'; file: DataFile; owner: string | null }
  | { kind: 'folder'; path: string; files: number; size: number; owner: string | null };

export function entryPath(e: FileEntry): string {
  return e.kind === 'file' ? e.file.path : e.path;
}

/** Folders directly under data/ come before their files, so a folder and its files read as a group. */
export function fileEntries(files: readonly DataFile[], tracked: readonly DataStatusRow[]): FileEntry[] {
  const out: FileEntry[] = [];
  const seen = new Map<string, FileEntry & { kind: 'folder' }>();
  for (const file of files) {
    const parts = file.path.split('/');
    if (parts.length > 2) {
      const dir = parts.slice(0, 2).join('/');
      let folder = seen.get(dir);
      if (!folder) {
        folder = { kind: 'folder', path: dir, files: 0, size: 0, owner: trackedOwner(dir, tracked) };
        seen.set(dir, folder);
        out.push(folder);
      }
      folder.files += 1;
      folder.size += file.size;
    }
    out.push({ kind: 'file', file, owner: trackedOwner(file.path, tracked) });
  }
  return out;
}

/**
 * A dropped file's path relative to the project, `/`-separated, or null when it is outside the
 * project (or is the project itself). Windows paths compare case-insensitively.
 */
export function relativeInside(projectDir: string, file: string): string | null {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const root = norm(projectDir);
  const abs = norm(file);
  const windows = /^[A-Za-z]:\//.test(root);
  const same = (a: string, b: string) => (windows ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (abs.length <= root.length + 1 || !same(abs.slice(0, root.length), root) || abs[root.length] !== '/') return null;
  const rel = abs.slice(root.length + 1);
  return rel.split('/').some((part) => part === '..' || part === '.' || part === '') ? null : rel;
}
