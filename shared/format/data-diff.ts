// Runs in: main and renderer (shared), used by the CLI. A diff as text for a terminal: a `git diff --stat`-like
// summary line, then the files of a folder, or a table's column changes, column statistics
// (before → after) and sample rows.
import type { DataDiff } from '../contract/schemas';

type Stats = NonNullable<NonNullable<DataDiff['table']>['stats'][number]['before']>;

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
}

function shift(a: string, b: string): string {
  return a === b ? a : `${a} → ${b}`;
}

function aligned(rows: string[][], indent: string): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map(
      (r) =>
        indent +
        r
          .map((c, i) => (c ?? '').padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/** Cells shortened so one long value does not push a sample table off the screen. */
function clip(v: string): string {
  const flat = v.replace(/\s+/g, ' ');
  return flat.length > 24 ? `${flat.slice(0, 23)}…` : flat;
}

function revLabel(s: DataDiff['from']): string {
  if (!s.commit) return s.rev;
  return s.commit.startsWith(s.rev) ? s.commit.slice(0, 7) : `${s.rev} (${s.commit.slice(0, 7)})`;
}

function statLine(name: string, before: Stats | null, after: Stats | null): string[] {
  const f = (s: Stats | null, pick: (s: Stats) => string): string => (s ? pick(s) : '-');
  const col = (pick: (s: Stats) => string): string => shift(f(before, pick), f(after, pick));
  const distinct = (s: Stats): string => `${s.distinctExact === false ? '~' : ''}${s.distinct}`;
  return [
    name,
    col((s) => String(s.count)),
    col((s) => String(s.nulls)),
    col(distinct),
    col((s) => num(s.mean)),
    col((s) => num(s.std)),
    col((s) => num(s.min)),
    col((s) => num(s.max)),
  ];
}

export function describeDiff(d: DataDiff): string {
  const lines: string[] = [];
  const head = `${d.path}  ${revLabel(d.from)} → ${revLabel(d.to)}`;
  if (d.identical) {
    lines.push(`${head}: identical${d.files ? ` (${d.files.unchanged} files)` : ''}`);
    return lines.join('\n');
  }
  if (d.note) {
    lines.push(`${head}: changed`, `  ${d.note}`);
    if (d.from.hash || d.to.hash)
      lines.push(
        `  size ${shift(bytes(d.from.size), bytes(d.to.size))}, sha256 ${d.from.hash?.slice(0, 12) ?? '-'} → ${d.to.hash?.slice(0, 12) ?? '-'}`,
      );
    return lines.join('\n');
  }
  if (d.files) {
    const f = d.files;
    lines.push(
      `${head}: ${f.added.length} added, ${f.removed.length} removed, ${f.modified.length} modified, ${f.renamed.length} renamed, ${f.unchanged} unchanged`,
    );
    for (const e of f.added) lines.push(`  + ${e.path} (${bytes(e.size)})`);
    for (const e of f.removed) lines.push(`  - ${e.path} (${bytes(e.size)})`);
    for (const e of f.modified) lines.push(`  M ${e.path} (${shift(bytes(e.sizeBefore), bytes(e.sizeAfter))})`);
    for (const e of f.renamed) lines.push(`  R ${e.from} → ${e.to}`);
    return lines.join('\n');
  }
  const t = d.table;
  if (!t) {
    lines.push(
      `${head}: changed (${shift(bytes(d.from.size), bytes(d.to.size))}, sha256 ${d.from.hash?.slice(0, 12)} → ${d.to.hash?.slice(0, 12)})`,
    );
    return lines.join('\n');
  }
  const changed = t.matchedBy === 'content' ? '' : `, ${t.rowsChanged} changed`;
  lines.push(
    `${head}: ${t.format.toUpperCase()}, rows ${shift(String(t.rowsBefore), String(t.rowsAfter))}: +${t.rowsAdded} added, -${t.rowsRemoved} removed${changed}, ${t.rowsUnchanged} unchanged`,
  );
  lines.push(
    `  rows matched by ${t.matchedBy === 'content' ? 'content (a changed row counts as one removed and one added; --key COLUMN matches by a column)' : `the key column "${t.matchedBy.slice(4)}"`}`,
  );
  const cols = [
    ...t.columnsAdded.map((c) => `+${c.name} (${c.type})`),
    ...t.columnsRemoved.map((c) => `-${c.name} (${c.type})`),
    ...t.columnsRetyped.map((c) => `${c.name}: ${c.before} → ${c.after}`),
  ];
  if (cols.length) lines.push(`  columns: ${cols.join(', ')}`);
  lines.push('', '  column statistics (before → after; ~ marks an estimated distinct count):');
  lines.push(
    aligned(
      [
        ['column', 'count', 'nulls', 'distinct', 'mean', 'std', 'min', 'max'],
        ...t.stats.map((s) => statLine(s.column, s.before, s.after)),
      ],
      '    ',
    ),
  );
  const sample = (title: string, total: number, rows: string[][], mark: string): void => {
    if (rows.length === 0) return;
    lines.push('', `  ${title} (${rows.length === total ? 'all' : `${rows.length} of ${total}`}):`);
    lines.push(aligned([['', ...t.header], ...rows.map((r) => [mark, ...r.map(clip)])], '    '));
  };
  sample('added rows', t.rowsAdded, t.sampleAdded, '+');
  sample('removed rows', t.rowsRemoved, t.sampleRemoved, '-');
  if (t.sampleChanged.length) {
    lines.push(
      '',
      `  changed rows (${t.sampleChanged.length === t.rowsChanged ? 'all' : `${t.sampleChanged.length} of ${t.rowsChanged}`}):`,
    );
    for (const c of t.sampleChanged) {
      const parts = c.columns.map((name) => {
        const i = t.header.indexOf(name);
        return `${name}: ${JSON.stringify(c.before[i] ?? '')} → ${JSON.stringify(c.after[i] ?? '')}`;
      });
      lines.push(`    ${t.matchedBy.slice(4)}=${c.key}  ${parts.join(', ')}`);
    }
  }
  return lines.join('\n');
}
