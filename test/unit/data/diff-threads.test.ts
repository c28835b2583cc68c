// The diff with the newer version read on a worker thread (dist/diff-worker.cjs, so `npm run build`
// first) against the same diff on one thread: identical results, byte for byte, on generated tables
// (quotes, newlines in cells, duplicates, several batches), and the same error when a file is bad.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openNewerSide, WORKER_MIN_BYTES, type NewerSide } from '../../../electron/core/data/diff/newer-side';
import type { SideBatch } from '../../../electron/core/data/diff/side-pass';
import { BATCH_ROWS } from '../../../electron/core/data/diff/side-pass';
import { diffTables, type TableSide } from '../../../electron/core/data/diff/table-diff';
import { readTableSchema } from '../../../electron/core/data/table-schema';
import { tmpDir } from '../../support/helpers';

const dir = tmpDir('benchtop-diff-threads-');
let fileNo = 0;

type Format = 'csv' | 'tsv' | 'jsonl';

async function side(columns: string[], rows: string[][], format: Format = 'csv'): Promise<TableSide> {
  const file = path.join(dir, `t${fileNo++}.${format}`);
  if (format === 'jsonl')
    writeFileSync(
      file,
      rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, r[i]])))).join('\n') + '\n',
    );
  else writeFileSync(file, stringify([columns, ...rows], { delimiter: format === 'tsv' ? '\t' : ',' }));
  return {
    source: { file, display: path.basename(file), format },
    columns: (await readTableSchema(file, file))!.columns,
  };
}

/** Both ways; the JSON texts must be equal, not merely deep-equal (-0, key order, NaN spelt as null). */
async function bothWays(a: TableSide, b: TableSide, key: string | null): Promise<string> {
  const inline = JSON.stringify(await diffTables(a, b, { key, threads: 'inline' }));
  const worker = JSON.stringify(await diffTables(a, b, { key, threads: 'worker' }));
  expect(worker).toBe(inline);
  return inline;
}

const cell = fc.oneof(
  fc.constantFrom('', 'NA', 'null', '1', '-2.5', 'a,b', 'say "hi"', 'two\nlines', ' x ', 'true', '2024-03-01'),
  fc.string({ maxLength: 5 }).filter((s) => !s.includes('\r')),
);
const row = fc.tuple(cell, cell, cell);

/** Two versions with unique ids, the newer one edited: rows dropped, changed, added, columns moved. */
const versions = fc
  .record({
    a: fc.array(row, { minLength: 1, maxLength: 40 }),
    edits: fc.array(fc.constantFrom('keep', 'keep', 'drop', 'change'), { minLength: 40, maxLength: 40 }),
    changes: fc.array(row, { minLength: 40, maxLength: 40 }),
    fresh: fc.array(row, { maxLength: 8 }),
    swap: fc.boolean(),
    format: fc.constantFrom<Format>('csv', 'tsv', 'jsonl'),
  })
  .map(({ a, edits, changes, fresh, swap, format }) => {
    const rowsA = a.map((r, i) => [String(i), ...r]);
    const rowsB: string[][] = [];
    rowsA.forEach((r, i) => {
      if (edits[i] === 'drop') return;
      rowsB.push(edits[i] === 'change' ? [r[0]!, ...changes[i]!] : r);
    });
    fresh.forEach((r, i) => rowsB.push([String(1000 + i), ...r]));
    // The newer version may order its columns differently: cells are matched by name.
    const colsB = swap ? ['id', 'y', 'x', 's'] : ['id', 'x', 'y', 's'];
    const laidB = swap ? rowsB.map((r) => [r[0]!, r[2]!, r[1]!, r[3]!]) : rowsB;
    return { colsA: ['id', 'x', 'y', 's'], rowsA, colsB, rowsB: laidB, format };
  });

describe('the diff with the newer version on a worker thread', () => {
  it('starts a worker thread when asked to', async () => {
    const s = await side(['id'], [['1']]);
    const newer = openNewerSide(
      { source: s.source, columns: s.columns, jsonColumns: ['id'], plan: { key: 0, fingerprint: [0] } },
      'worker',
    );
    try {
      expect(newer.threaded).toBe(true);
      const end = await newer.read(() => {});
      expect(end.header).toEqual(['id']);
      expect(newer.threaded).toBe(true);
    } finally {
      await newer.close();
    }
  });

  it('gives byte-identical results to one thread, by key and by content (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(versions, async ({ colsA, rowsA, colsB, rowsB, format }) => {
        const a = await side(colsA, rowsA, format);
        const b = await side(colsB, rowsB, format);
        await bothWays(a, b, 'id');
        await bothWays(a, b, null);
        await bothWays(b, a, null);
      }),
      { numRuns: 15, seed: 11 },
    );
  });

  it('gives byte-identical results across several batches, with samples from late rows', async () => {
    const n = 2 * BATCH_ROWS + 123;
    const rowsA: string[][] = [];
    const rowsB: string[][] = [];
    let [added, removed, changed] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const r = [String(i), `v${i % 97}`, String((i * 7919) % 1000), i % 50 === 0 ? 'a "quoted", cell' : 'plain'];
      rowsA.push(r);
      // Changes, drops and additions only past the first batch, so the samples come from later ones.
      const late = i > BATCH_ROWS + 5;
      if (late && i % 997 === 0) {
        removed++;
        continue;
      }
      changed += late && i % 1009 === 0 ? 1 : 0;
      rowsB.push(late && i % 1009 === 0 ? [r[0]!, 'changed', r[2]!, r[3]!] : r);
      if (i > 2 * BATCH_ROWS && i % 3 === 0) {
        added++;
        rowsB.push([String(n + i), 'new', '1', 'x']);
      }
    }
    const a = await side(['id', 'v', 'w', 'note'], rowsA);
    const b = await side(['id', 'v', 'w', 'note'], rowsB);
    const byKey = JSON.parse(await bothWays(a, b, 'id'));
    expect([byKey.rowsAdded, byKey.rowsRemoved, byKey.rowsChanged]).toEqual([added, removed, changed]);
    expect(byKey.sampleAdded[0][1]).toBe('new');
    expect(byKey.sampleChanged[0].after[1]).toBe('changed');
    const byContent = JSON.parse(await bothWays(a, b, null));
    expect([byContent.rowsAdded, byContent.rowsRemoved]).toEqual([added + changed, removed + changed]);
  });

  it('reports the same first error: a duplicate key before a broken line, a corrupt object', async () => {
    const a = await side(
      ['id', 'v'],
      [
        ['1', 'a'],
        ['2', 'b'],
      ],
    );
    const file = path.join(dir, 'broken.csv');
    writeFileSync(file, 'id,v\n1,a\n3,c\n3,d\n4,"open\n');
    const broken: TableSide = {
      source: { file, display: 'broken.csv', format: 'csv' },
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'v', type: 'string' },
      ],
    };
    for (const threads of ['inline', 'worker'] as const) {
      await expect(diffTables(a, broken, { key: 'id', threads })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('the value "3" appears again at data row 3'),
      });
      // By content there is no duplicate to find first: the broken line is the error.
      await expect(diffTables(a, broken, { threads })).rejects.toMatchObject({
        code: 'BAD_FILE',
        message: expect.stringContaining('broken.csv'),
      });
    }
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, 'id,v\n1,a\n2,c\n');
    const wrongHash = createHash('sha256')
      .update(readFileSync(good))
      .digest('hex')
      .replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const corrupt: TableSide = {
      source: { file: good, display: 'good.csv at abc1234', format: 'csv', expectHash: wrongHash },
      columns: a.columns,
    };
    for (const threads of ['inline', 'worker'] as const) {
      await expect(diffTables(a, corrupt, { key: 'id', threads })).rejects.toMatchObject({
        code: 'BAD_FILE',
        message: expect.stringContaining('is corrupt'),
      });
    }
  });

  it('falls back to one thread when the worker cannot start, unless told to insist', async () => {
    const rows: string[][] = [];
    for (let i = 0; rows.length * 60 < WORKER_MIN_BYTES; i++)
      rows.push([String(i), `value number ${i} of a table big enough for a thread`]);
    const s = await side(['id', 'v'], rows);
    const broken = path.join(dir, 'broken-worker.cjs');
    writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const job = {
      source: s.source,
      columns: s.columns,
      jsonColumns: ['id', 'v'],
      plan: { key: 0, fingerprint: [0, 1] },
    };
    const drain = async (
      newer: NewerSide,
    ): Promise<{ keys: string; hashes: number[]; stats: unknown; picked: string[][] }> => {
      const batches: SideBatch[] = [];
      try {
        const end = await newer.read((b) => batches.push(b));
        return {
          keys: batches.map((b) => b.keys).join(''),
          hashes: batches.flatMap((b) => [...b.hashes]),
          stats: end.stats,
          picked: await newer.pick([3, 1, rows.length]),
        };
      } finally {
        await newer.close();
      }
    };
    const inline = await drain(openNewerSide(job, 'inline'));
    expect(inline.picked).toEqual([rows[2], rows[0], rows[rows.length - 1]]);
    const fallback = openNewerSide(job, 'auto', broken);
    expect(await drain(fallback)).toEqual(inline);
    expect(fallback.threaded).toBe(false);
    await expect(drain(openNewerSide(job, 'worker', broken))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('this worker cannot start'),
    });
  });
});
