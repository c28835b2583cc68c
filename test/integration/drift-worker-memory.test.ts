// The reader threads hand back one buffer per numeric column: its sorted finite values first, then
// its non-finite cells, so the rows' values and the sorted sample share their memory instead of
// doubling it (the peak memory of a million-row report). Only the columns whose row order matters
// (the request's target, prediction, score, id and timestamp) keep their rows in order, beside a
// sorted copy. The report is the same as one read on this thread.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDriftReport } from '../../electron/core/monitoring/drift';
import { readBoth } from '../../electron/core/monitoring/drift/read-parallel';
import { ROOT, tmpDir } from '../support/helpers';

const WORKER = path.join(ROOT, 'dist', 'drift-read-worker.cjs');

function table(rows: number, shift: number): string {
  const lines = ['x,y,yhat,missing'];
  for (let i = 0; i < rows; i++) {
    const x = i % 17 === 0 ? '' : i % 23 === 0 ? 'inf' : i % 29 === 0 ? '-0' : String(((i * 7919) % 1000) / 10 + shift);
    lines.push(`${x},${i % 5},${(i * 3) % 5},${i % 2 ? '' : i}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('drift report: reader threads and memory', () => {
  it('share one buffer between the values and the sorted sample, except for the columns whose rows must stay in order', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'ref.csv'), table(400, 0));
    writeFileSync(path.join(dir, 'cur.csv'), table(300, 3));
    const src = (file: string) => ({
      label: file,
      file: path.join(dir, file),
      display: file,
      format: 'csv' as const,
      expectHash: null,
    });
    const [ref] = await readBoth(
      [
        { src: src('ref.csv'), onRows: undefined, field: 'reference' },
        { src: src('cur.csv'), onRows: undefined, field: 'current' },
      ],
      WORKER,
      new Set(['y', 'yhat']),
    );
    const column = (name: string) => {
      const c = ref!.columns[ref!.names.indexOf(name)]!;
      if (c.kind !== 'numeric') throw new Error(`${name} should be numeric`);
      return c;
    };
    for (const name of ['x', 'missing']) {
      const c = column(name);
      expect(c.sorted!.buffer).toBe(c.values.buffer);
      expect(c.values).toHaveLength(400);
      // The same cells, sorted finite values first.
      const finite = [...c.values].filter(Number.isFinite);
      expect([...c.sorted!]).toEqual(finite);
      expect([...c.sorted!]).toEqual([...finite].sort((a, b) => a - b));
    }
    expect([...column('x').values].filter((v) => Number.isNaN(v))).toHaveLength(24);
    expect([...column('x').values].filter((v) => v === Infinity)).toHaveLength(16);
    for (const name of ['y', 'yhat']) {
      const c = column(name);
      expect(c.sorted!.buffer).not.toBe(c.values.buffer);
      expect([...c.values]).toEqual(Array.from({ length: 400 }, (_, i) => (name === 'y' ? i % 5 : (i * 3) % 5)));
    }

    const request = { reference: 'ref.csv', current: 'cur.csv', target: 'y', prediction: 'yhat' };
    const now = new Date('2026-11-30T00:00:00Z');
    const threaded = await computeDriftReport(dir, null, request, { workerFile: WORKER, now });
    const here = await computeDriftReport(dir, null, request, { workerFile: null, now });
    expect(threaded.performance).not.toBeNull();
    expect(threaded).toEqual(here);
  });
});
