import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { forEachParquetRow, parquetTableSchema } from '../../../electron/core/data/parquet';
import { tmpDir } from '../../support/helpers';

describe('Parquet tables', () => {
  it('summarise their schema from the footer and read back every row in order, across read slices', async () => {
    const n = 25_003; // more than two read slices of 10,000 rows
    const file = path.join(tmpDir(), 't.parquet');
    writeFileSync(
      file,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'id', data: Int32Array.from({ length: n }, (_, i) => i), type: 'INT32' },
            { name: 'score', data: Float64Array.from({ length: n }, (_, i) => i / 4), type: 'DOUBLE' },
            { name: 'name', data: Array.from({ length: n }, (_, i) => `row ${i}`), type: 'STRING' },
            { name: 'ok', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
          ],
        }),
      ),
    );
    expect(await parquetTableSchema(file, 't.parquet')).toEqual({
      format: 'parquet',
      rows: n,
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'score', type: 'number' },
        { name: 'name', type: 'string' },
        { name: 'ok', type: 'boolean' },
      ],
    });
    let count = 0;
    const { header } = await forEachParquetRow(file, 't.parquet', (cells, row) => {
      expect(cells).toEqual([String(row - 1), String((row - 1) / 4), `row ${row - 1}`, String((row - 1) % 2 === 0)]);
      count++;
    });
    expect(header).toEqual(['id', 'score', 'name', 'ok']);
    expect(count).toBe(n);
  });

  it('names a file that is not Parquet', async () => {
    const file = path.join(tmpDir(), 'bad.parquet');
    writeFileSync(file, 'not parquet at all');
    await expect(parquetTableSchema(file, 'data/bad.parquet')).rejects.toThrow(
      /^data\/bad\.parquet: not a readable Parquet file/,
    );
  });
});
