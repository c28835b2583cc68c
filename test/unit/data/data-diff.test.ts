// The diff engine against naive in-memory references: row counts in key and content mode, column
// statistics, symmetry, and folder manifests; plus the sketch past the exact distinct cap.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnAccumulator, isNullCell } from '../../../electron/core/data/diff/column-stats';
import { DISTINCT_CAP, DistinctCounter } from '../../../electron/core/data/diff/distinct';
import { diffManifests } from '../../../electron/core/data/diff/folder-diff';
import { rowHash106, rowHash53 } from '../../../electron/core/data/diff/row-hash';
import { diffTables, type TableSide } from '../../../electron/core/data/diff/table-diff';
import type { ManifestEntry } from '../../../electron/core/data/manifest';
import { readTableSchema } from '../../../electron/core/data/table-schema';
import { tmpDir } from '../../support/helpers';

type Row = Record<string, string>;
interface Table {
  columns: string[];
  rows: Row[];
}

const dir = tmpDir('benchtop-diff-unit-');
let fileNo = 0;

async function side(t: Table, format: 'csv' | 'tsv' | 'jsonl' = 'csv'): Promise<TableSide> {
  const file = path.join(dir, `t${fileNo++}.${format}`);
  if (format === 'jsonl')
    writeFileSync(
      file,
      t.rows.map((r) => JSON.stringify(Object.fromEntries(t.columns.map((c) => [c, r[c]])))).join('\n') + '\n',
    );
  else
    writeFileSync(
      file,
      stringify([t.columns, ...t.rows.map((r) => t.columns.map((c) => r[c] ?? ''))], {
        delimiter: format === 'tsv' ? '\t' : ',',
      }),
    );
  const schema = await readTableSchema(file, file);
  return { source: { file, display: path.basename(file), format }, columns: schema!.columns };
}

// Cells that exercise the CSV writer and parser (quotes, commas, newlines) and the null spellings.
const text = fc.oneof(
  fc.constantFrom('', 'NA', 'null', 'a', 'b', 'a,b', 'say "hi"', 'two\nlines', ' x '),
  fc.string({ maxLength: 6 }).filter((s) => !s.includes('\r')),
);
const integer = fc.oneof(fc.constant(''), fc.integer({ min: -5, max: 5 }).map(String));
const real = fc.oneof(
  fc.constant(''),
  fc.constant('NA'),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
);
const content = fc.record({ x: integer, y: real, s: text, z: integer });

/** Two versions sharing some rows by id; B may drop column y and add column z. */
const keyed = fc
  .record({
    a: fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 60 }), v: content }), {
      selector: (r) => r.id,
      maxLength: 30,
    }),
    edits: fc.array(fc.record({ op: fc.constantFrom('keep', 'keep', 'drop', 'change'), v: content }), {
      minLength: 30,
      maxLength: 30,
    }),
    fresh: fc.uniqueArray(fc.record({ id: fc.integer({ min: 61, max: 120 }), v: content }), {
      selector: (r) => r.id,
      maxLength: 10,
    }),
    dropY: fc.boolean(),
    addZ: fc.boolean(),
    shuffle: fc.integer(),
  })
  .map(({ a, edits, fresh, dropY, addZ, shuffle }) => {
    const colsA = ['id', 'x', 'y', 's'];
    const colsB = ['id', 'x', ...(dropY ? [] : ['y']), 's', ...(addZ ? ['z'] : [])];
    const rowsA: Row[] = a.map((r) => ({ id: String(r.id), x: r.v.x, y: r.v.y, s: r.v.s }));
    const rowsB: Row[] = [];
    a.forEach((r, i) => {
      const e = edits[i]!;
      if (e.op === 'drop') return;
      const v = e.op === 'change' ? { ...r.v, ...e.v, z: e.v.z } : { ...r.v, z: e.v.z };
      rowsB.push({ id: String(r.id), x: v.x, y: v.y, s: v.s, z: v.z });
    });
    for (const f of fresh) rowsB.push({ id: String(f.id), ...f.v });
    // Row order must not matter.
    const rot = rowsB.length ? Math.abs(shuffle) % rowsB.length : 0;
    return {
      A: { columns: colsA, rows: rowsA },
      B: { columns: colsB, rows: [...rowsB.slice(rot), ...rowsB.slice(0, rot)] },
    };
  });

/** Two versions as bags of rows, duplicates included, drawn from a small pool so they overlap. */
const bags = fc
  .record({
    pool: fc.array(content, { minLength: 1, maxLength: 8 }),
    a: fc.array(fc.nat(7), { maxLength: 25 }),
    b: fc.array(fc.nat(7), { maxLength: 25 }),
  })
  .map(({ pool, a, b }) => {
    const pick = (i: number): Row => ({ ...pool[i % pool.length]! });
    return {
      A: { columns: ['x', 'y', 's'], rows: a.map(pick) },
      B: { columns: ['x', 'y', 's', 'z'], rows: b.map(pick) },
    };
  });

const common = (A: Table, B: Table): string[] => B.columns.filter((c) => A.columns.includes(c));
const tuple = (r: Row, cols: string[]): string => JSON.stringify(cols.map((c) => r[c] ?? ''));

function referenceByKey(
  A: Table,
  B: Table,
): { added: number; removed: number; changed: number; unchanged: number; changedColumns: Map<string, string[]> } {
  const cols = common(A, B);
  const a = new Map(A.rows.map((r) => [r.id!, r]));
  const b = new Map(B.rows.map((r) => [r.id!, r]));
  let changed = 0;
  let unchanged = 0;
  const changedColumns = new Map<string, string[]>();
  for (const [id, r] of b) {
    const before = a.get(id);
    if (!before) continue;
    const diff = cols.filter((c) => (before[c] ?? '') !== (r[c] ?? ''));
    if (diff.length) {
      changed++;
      changedColumns.set(id, diff);
    } else unchanged++;
  }
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).length,
    removed: [...a.keys()].filter((k) => !b.has(k)).length,
    changed,
    unchanged,
    changedColumns,
  };
}

function referenceByContent(A: Table, B: Table): { added: number; removed: number; unchanged: number } {
  const cols = common(A, B);
  const count = (t: Table): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of t.rows) m.set(tuple(r, cols), (m.get(tuple(r, cols)) ?? 0) + 1);
    return m;
  };
  const a = count(A);
  const b = count(B);
  let added = 0;
  let removed = 0;
  let unchanged = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? 0;
    const y = b.get(k) ?? 0;
    unchanged += Math.min(x, y);
    added += Math.max(0, y - x);
    removed += Math.max(0, x - y);
  }
  return { added, removed, unchanged };
}

/** Statistics the slow, obvious way: all values in an array, two passes. */
function referenceStats(t: Table, column: string, numeric: boolean) {
  const cells = t.rows.map((r) => r[column] ?? '');
  const present = cells.filter((c) => !['', 'NA', 'null'].includes(c.trim()));
  const values = numeric ? present.map(Number).filter(Number.isFinite) : [];
  const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
  const std =
    values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean!) ** 2, 0) / (values.length - 1)) : null;
  return {
    count: cells.length,
    nulls: cells.length - present.length,
    distinct: new Set(present).size,
    mean,
    std,
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
  };
}

function close(actual: number | null, expected: number | null): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

function checkStats(
  t: Table,
  s: TableSide,
  got: { column: string; before: unknown; after: unknown }[],
  which: 'before' | 'after',
): void {
  for (const c of s.columns) {
    const stat = got.find((g) => g.column === c.name)![which] as ReturnType<typeof referenceStats>;
    const ref = referenceStats(t, c.name, c.type === 'integer' || c.type === 'number');
    expect([stat.count, stat.nulls, stat.distinct]).toEqual([ref.count, ref.nulls, ref.distinct]);
    for (const k of ['mean', 'std', 'min', 'max'] as const)
      expect(close(stat[k], ref[k]), `${c.name}.${k}: ${stat[k]} vs ${ref[k]}`).toBe(true);
  }
}

describe('table diff (property-based, against naive references)', () => {
  it('by key: added, removed, changed, unchanged, changed columns and statistics match', async () => {
    await fc.assert(
      fc.asyncProperty(keyed, async ({ A, B }) => {
        const sa = await side(A);
        const sb = await side(B);
        const d = await diffTables(sa, sb, { key: 'id' });
        const ref = referenceByKey(A, B);
        expect([d.rowsAdded, d.rowsRemoved, d.rowsChanged, d.rowsUnchanged]).toEqual([
          ref.added,
          ref.removed,
          ref.changed,
          ref.unchanged,
        ]);
        expect([d.rowsBefore, d.rowsAfter]).toEqual([A.rows.length, B.rows.length]);
        expect(d.matchedBy).toBe('key:id');
        expect(d.sampleChanged.length).toBe(Math.min(20, ref.changed));
        for (const c of d.sampleChanged) expect(c.columns).toEqual(ref.changedColumns.get(c.key));
        expect(d.sampleAdded.length).toBe(Math.min(20, ref.added));
        expect(d.sampleRemoved.length).toBe(Math.min(20, ref.removed));
        expect(d.columnsAdded.map((c) => c.name)).toEqual(B.columns.filter((c) => !A.columns.includes(c)));
        expect(d.columnsRemoved.map((c) => c.name)).toEqual(A.columns.filter((c) => !B.columns.includes(c)));
        checkStats(A, sa, d.stats, 'before');
        checkStats(B, sb, d.stats, 'after');
        // Swapping the versions swaps added and removed.
        const back = await diffTables(sb, sa, { key: 'id' });
        expect([back.rowsAdded, back.rowsRemoved, back.rowsChanged, back.rowsUnchanged]).toEqual([
          d.rowsRemoved,
          d.rowsAdded,
          d.rowsChanged,
          d.rowsUnchanged,
        ]);
        // A version against itself is identical.
        const same = await diffTables(sa, sa, { key: 'id' });
        expect([same.rowsAdded, same.rowsRemoved, same.rowsChanged, same.rowsUnchanged]).toEqual([
          0,
          0,
          0,
          A.rows.length,
        ]);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('by content: the multiset difference of rows, and statistics, match', async () => {
    await fc.assert(
      fc.asyncProperty(bags, async ({ A, B }) => {
        const sa = await side(A);
        const sb = await side(B);
        const d = await diffTables(sa, sb);
        const ref = referenceByContent(A, B);
        expect([d.rowsAdded, d.rowsRemoved, d.rowsChanged, d.rowsUnchanged]).toEqual([
          ref.added,
          ref.removed,
          0,
          ref.unchanged,
        ]);
        expect(d.matchedBy).toBe('content');
        checkStats(A, sa, d.stats, 'before');
        checkStats(B, sb, d.stats, 'after');
        // The sampled removed rows really are rows of A beyond what B has.
        const cols = common(A, B);
        const inB = new Map<string, number>();
        for (const r of B.rows) inB.set(tuple(r, cols), (inB.get(tuple(r, cols)) ?? 0) + 1);
        expect(d.sampleRemoved.length).toBe(Math.min(20, ref.removed));
        for (const r of d.sampleRemoved) {
          const row = Object.fromEntries(d.header.map((h, i) => [h, r[i]!]));
          expect(A.rows.filter((x) => tuple(x, cols) === tuple(row, cols)).length).toBeGreaterThan(
            inB.get(tuple(row, cols)) ?? 0,
          );
        }
        const back = await diffTables(sb, sa);
        expect([back.rowsAdded, back.rowsRemoved, back.rowsUnchanged]).toEqual([
          d.rowsRemoved,
          d.rowsAdded,
          d.rowsUnchanged,
        ]);
        const same = await diffTables(sb, sb);
        expect([same.rowsAdded, same.rowsRemoved, same.rowsUnchanged]).toEqual([0, 0, B.rows.length]);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('reads TSV and JSONL the same way as CSV', async () => {
    const A: Table = {
      columns: ['id', 'v'],
      rows: [
        { id: '1', v: 'a' },
        { id: '2', v: 'b' },
        { id: '3', v: 'c' },
      ],
    };
    const B: Table = {
      columns: ['id', 'v'],
      rows: [
        { id: '1', v: 'a' },
        { id: '3', v: 'C' },
        { id: '4', v: 'd' },
      ],
    };
    for (const format of ['csv', 'tsv', 'jsonl'] as const) {
      const d = await diffTables(await side(A, format), await side(B, format), { key: 'id' });
      expect([d.format, d.rowsAdded, d.rowsRemoved, d.rowsChanged, d.rowsUnchanged], format).toEqual([
        format,
        1,
        1,
        1,
        1,
      ]);
      expect(d.sampleChanged).toEqual([{ key: '3', before: ['3', 'c'], after: ['3', 'C'], columns: ['v'] }]);
      expect(d.sampleRemoved).toEqual([['2', 'b']]);
      expect(d.sampleAdded).toEqual([['4', 'd']]);
    }
  });

  it('names a duplicate key value and a key column that does not exist', async () => {
    const ok = await side({ columns: ['id', 'v'], rows: [{ id: '1', v: 'a' }] });
    const dup = await side({
      columns: ['id', 'v'],
      rows: [
        { id: '1', v: 'a' },
        { id: '7', v: 'b' },
        { id: '7', v: 'c' },
      ],
    });
    await expect(diffTables(dup, ok, { key: 'id' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: 'key',
      message: expect.stringContaining('the value "7" appears again at data row 3'),
    });
    await expect(diffTables(ok, dup, { key: 'id' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('"7"'),
    });
    await expect(diffTables(ok, ok, { key: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: 'key',
      message: expect.stringContaining('There is no column "nope"'),
    });
  });

  it('fails on a cached object whose bytes do not match its hash', async () => {
    const s = await side({ columns: ['id'], rows: [{ id: '1' }] });
    const bad = { ...s, source: { ...s.source, expectHash: '0'.repeat(64) } };
    await expect(diffTables(bad, s)).rejects.toMatchObject({
      code: 'BAD_FILE',
      message: expect.stringContaining('is corrupt'),
    });
  });
});

describe('row fingerprints and column summaries', () => {
  it('tell cell boundaries apart', () => {
    expect(rowHash53(['ab', 'c'], [0, 1])).not.toBe(rowHash53(['a', 'bc'], [0, 1]));
    expect(rowHash106(['ab', 'c'], [0, 1])).not.toBe(rowHash106(['a', 'bc'], [0, 1]));
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.string(), { maxLength: 4 }), (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(
          rowHash106(
            a,
            a.map((_, i) => i),
          ) ===
            rowHash106(
              b,
              b.map((_, i) => i),
            ),
        ).toBe(same);
      }),
    );
  });

  it('count distinct values exactly up to the cap, then estimate them closely', () => {
    const c = new DistinctCounter();
    for (let i = 0; i < DISTINCT_CAP; i++) c.add(`v${i % (DISTINCT_CAP / 2)}`);
    expect([c.count(), c.isExact]).toEqual([DISTINCT_CAP / 2, true]);
    const n = 200_000;
    for (let i = 0; i < n; i++) c.add(`v${i}`);
    expect(c.isExact).toBe(false);
    expect(Math.abs(c.count() - n) / n).toBeLessThan(0.03);
  });

  it('treat the same cells as empty as the type inference does, and read inf and nan', () => {
    expect(['', ' ', 'NA', ' null ', '\tNA'].every(isNullCell)).toBe(true);
    expect(['0', 'a', 'nan', 'None'].some(isNullCell)).toBe(false);
    const acc = new ColumnAccumulator('number');
    for (const v of ['1', ' 2 ', 'inf', '-Infinity', 'nan', '', '3.5']) acc.add(v);
    expect(acc.result()).toMatchObject({ count: 7, nulls: 1, distinct: 6, mean: 6.5 / 3, min: 1, max: 3.5 });
  });
});

describe('folder diff (property-based, against a naive reference)', () => {
  const hashOf = (n: number): string => n.toString(16).padStart(64, '0');
  const tree = fc.dictionary(
    fc.constantFrom('a', 'b', 'c', 'd/e', 'd/f', 'g/h/i', 'j', 'k'),
    fc.integer({ min: 1, max: 4 }),
    { maxKeys: 8 },
  );
  const manifest = (t: Record<string, number>): ManifestEntry[] =>
    Object.entries(t).map(([p, h]) => ({ path: p, hash: hashOf(h), size: h * 10 }));

  it('added, removed, modified, renamed and unchanged account for every path', () => {
    fc.assert(
      fc.property(tree, tree, (ta, tb) => {
        const d = diffManifests(manifest(ta), manifest(tb));
        const gone = Object.keys(ta).filter((p) => !(p in tb));
        const fresh = Object.keys(tb).filter((p) => !(p in ta));
        const both = Object.keys(ta).filter((p) => p in tb);
        expect(d.unchanged).toBe(both.filter((p) => ta[p] === tb[p]).length);
        expect(d.modified.map((m) => m.path).sort()).toEqual(both.filter((p) => ta[p] !== tb[p]).sort());
        for (const m of d.modified) expect([m.sizeBefore, m.sizeAfter]).toEqual([ta[m.path]! * 10, tb[m.path]! * 10]);
        // Every gone path is removed or renamed; every new one added or a rename's target.
        expect([...d.removed.map((r) => r.path), ...d.renamed.map((r) => r.from)].sort()).toEqual(gone.sort());
        expect([...d.added.map((r) => r.path), ...d.renamed.map((r) => r.to)].sort()).toEqual(fresh.sort());
        for (const r of d.renamed) expect(ta[r.from]).toBe(tb[r.to]);
        // As many renames as contents that left one path and arrived at another.
        let pairs = 0;
        for (let h = 1; h <= 4; h++)
          pairs += Math.min(gone.filter((p) => ta[p] === h).length, fresh.filter((p) => tb[p] === h).length);
        expect(d.renamed.length).toBe(pairs);
        // Swapping swaps added and removed, and reverses renames.
        const back = diffManifests(manifest(tb), manifest(ta));
        expect([
          back.added.length,
          back.removed.length,
          back.renamed.length,
          back.modified.length,
          back.unchanged,
        ]).toEqual([d.removed.length, d.added.length, d.renamed.length, d.modified.length, d.unchanged]);
      }),
      { numRuns: 300, seed: 11 },
    );
    const same = diffManifests(manifest({ a: 1, 'd/e': 2 }), manifest({ a: 1, 'd/e': 2 }));
    expect(same).toEqual({ added: [], removed: [], modified: [], renamed: [], unchanged: 2 });
  });
});
