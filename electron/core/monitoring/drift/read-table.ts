// Runs in: main (core). Reads one resolved source into typed columns, in the reader its format needs,
// and refuses a cache object whose bytes no longer hash to what its pointer or run recorded.
import { BenchtopError } from '../../../../shared/contract/errors';
import { readDelimited } from './read-delimited';
import { readJsonl, readParquet } from './read-records';
import type { ResolvedSource } from './sources';
import type { RowsProgress, TableData } from './table-data';

/** `field` names the request's side in errors (reference or current), so a form can point at it. */
export async function readTable(src: ResolvedSource, onRows?: RowsProgress, field = 'path'): Promise<TableData> {
  try {
    return await read(src, onRows);
  } catch (err) {
    if (err instanceof BenchtopError && err.field === 'path' && field !== 'path')
      throw new BenchtopError(err.code, err.message, { field, ...(err.hint ? { hint: err.hint } : {}) });
    throw err;
  }
}

async function read(src: ResolvedSource, onRows?: RowsProgress): Promise<TableData> {
  const data =
    src.format === 'csv' || src.format === 'tsv'
      ? await readDelimited(src.file, src.display, src.format === 'tsv' ? '\t' : ',', onRows)
      : src.format === 'jsonl'
        ? await readJsonl(src.file, src.display, onRows)
        : await readParquet(src.file, src.display, onRows);
  if (src.expectHash && data.hash !== src.expectHash) {
    throw new BenchtopError(
      'BAD_FILE',
      `The cached data of ${src.display} is corrupt (its bytes hash to ${data.hash.slice(0, 12)}…, not ${src.expectHash.slice(0, 12)}…).`,
      {
        field: 'path',
        hint: 'Run `benchtop data verify`, then restore it with `benchtop data pull` or add the data again.',
      },
    );
  }
  return data;
}
