// One way in to a CSV/TSV file: electron/core/files/delimited.ts. Every other module of the app opens
// or scans a delimited file through it, never through csv-parse or the readers directly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/helpers';

const ENTRY = new Set([
  'electron/core/files/delimited.ts',
  'electron/core/files/delimited-records.ts',
  'electron/core/files/delimited-scanner.ts',
]);

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

describe('the CSV entry', () => {
  it('is the only module of the app that imports csv-parse or the delimited readers', () => {
    const direct = /from '(csv-parse(\/sync)?|[^']*\/delimited-(records|scanner))'/;
    const offenders = ['electron', 'shared', 'renderer']
      .flatMap(sources)
      .filter((f) => !ENTRY.has(f) && direct.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
