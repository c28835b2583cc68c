// Runs in: main (core). One record a model version accepts, for the "Try it" form: a row the model
// is known to have seen rather than made-up values, so a first request shows a real answer. The
// version's training data (the cached bytes of the data version its run read) comes first, then the
// reference of a monitor that watches it; type defaults only when neither is readable, and the note
// says which it is.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ModelSampleInput, ModelSignature } from '../../../shared/contract/schemas';
import { tableFormatOf } from '../data/table-schema';
import { dataStore } from '../data/track';
import { parseDelimitedText } from '../files/delimited';
import { artifactObject } from '../tracking/artifacts';
import { isInside } from '../util/path-policy';
import { monitorsWatching } from './lineage';
import { getVersion } from './versions';

type Cell = ModelSampleInput['record'][string];

/** Enough of a file for its header and first row; a row longer than this is not worth a sample. */
const HEAD_BYTES = 64 * 1024;

function head(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, statSync(file).size));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/** The first row of a table file as name → text (JSONL values as they are); null when it has none or is not read here. */
function firstRow(file: string, name: string): Record<string, unknown> | null {
  const format = tableFormatOf(name);
  if (format === 'csv' || format === 'tsv') {
    const [names, row] = parseDelimitedText(head(file), format === 'tsv' ? '\t' : ',', 2);
    if (!names || !row || row.length !== names.length) return null;
    return Object.fromEntries(names.map((n, i) => [n.trim(), row[i]]));
  }
  if (format === 'jsonl') {
    const line = head(file)
      .split('\n')
      .find((l) => l.trim() !== '');
    try {
      const value: unknown = line ? JSON.parse(line) : null;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  // Parquet needs the whole footer read; the signature's defaults do for it.
  return null;
}

const numeric = (type: string): boolean => type === 'integer' || type === 'number';

function defaultOf(type: string): Cell {
  return numeric(type) ? 0 : type === 'boolean' ? false : '';
}

/** A cell as the signature's type wants it; an empty or unreadable cell is null, as a missing value is. */
function typed(value: unknown, type: string | null): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (type === null) {
    // No signature: numbers where the text is one, so the record looks like the data.
    const n = text.trim() === '' ? Number.NaN : Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (numeric(type)) {
    const n = text.trim() === '' ? Number.NaN : Number(text);
    return Number.isFinite(n) ? n : null;
  }
  if (type === 'boolean')
    return /^(true|1|yes)$/i.test(text.trim()) ? true : /^(false|0|no)$/i.test(text.trim()) ? false : null;
  return text;
}

function recordOf(row: Record<string, unknown>, signature: ModelSignature | null): ModelSampleInput['record'] {
  if (!signature || signature.inputs.length === 0)
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typed(v, null)]));
  return Object.fromEntries(
    signature.inputs.map((c) => [c.name, Object.hasOwn(row, c.name) ? typed(row[c.name], c.type) : defaultOf(c.type)]),
  );
}

/** A monitor's reference as a readable file: a file in the project or a run's artifact; a tracked version at a revision is left out. */
function referenceFile(projectDir: string, db: Database, reference: string): string | null {
  const run = /^run:([^/]+)\/(.+)$/.exec(reference);
  if (run) return artifactObject(projectDir, db, run[1]!, run[2]!).file;
  const abs = path.resolve(projectDir, reference);
  return isInside(path.resolve(projectDir), abs) && existsSync(abs) && statSync(abs).isFile() ? abs : null;
}

export function sampleInput(projectDir: string, db: Database, name: string, version: number): ModelSampleInput {
  const v = getVersion(db, name, version);
  const rows: { row: Record<string, unknown>; source: string; note: string }[] = [];
  // Training data first, ranked as the signature's source is (a dataset named like training data).
  const rank = (i: { dataset: string; context: string }): number =>
    /train/i.test(i.dataset) || /train/i.test(i.context) ? 0 : 1;
  const store = dataStore(projectDir);
  for (const d of [...v.data].sort((a, b) => rank(a) - rank(b))) {
    if (rows.length) break;
    if (!/^[0-9a-f]{64}$/.test(d.version) || !store.has(d.version)) continue;
    try {
      const row = firstRow(store.pathOf(d.version), d.dataset);
      const source = `${d.dataset}@${d.version.slice(0, 7)}`;
      if (row) rows.push({ row, source, note: `The first row of ${source}, the data this version was trained on.` });
    } catch {
      /* unreadable bytes: try the next source */
    }
  }
  for (const m of rows.length ? [] : monitorsWatching(db, name, version)) {
    if (rows.length) break;
    try {
      const reference = (JSON.parse(m.config) as { reference?: unknown }).reference;
      if (typeof reference !== 'string') continue;
      const file = referenceFile(projectDir, db, reference);
      const row = file ? firstRow(file, reference) : null;
      if (row)
        rows.push({
          row,
          source: reference,
          note: `The first row of ${reference}, the reference of monitor ${m.name}.`,
        });
    } catch {
      /* a reference that is gone or unreadable: try the next monitor */
    }
  }
  const found = rows[0];
  if (found) return { record: recordOf(found.row, v.signature), source: found.source, note: found.note };
  return {
    record: Object.fromEntries((v.signature?.inputs ?? []).map((c) => [c.name, defaultOf(c.type)])),
    source: null,
    note: v.signature
      ? 'Type defaults: there is no data known for this version (its run read no tracked table, and no monitor with a reference watches it).'
      : 'An empty record: this version has no signature and no data known for it.',
  };
}
