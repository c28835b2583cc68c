// Runs in: main (core). Ground truth arrives after the predictions (a customer churned or did not, a
// ticket was resolved): a table file of record IDs and true values is joined to a model's logged
// predictions by record ID, in one transaction, so accuracy per window can be measured once it lands.
// The whole file is read and checked before anything is written: a duplicated ID or a label that
// would silently replace a different one stops the join with nothing changed.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import {
  predictionLabelInput,
  type PredictionLabelInput,
  type PredictionLabelResult,
} from '../../../shared/contract/schemas';
import { forEachRow, type RowFormat } from '../data/diff/row-reader';
import { tableFormatOf } from '../data/table-schema';
import { writeTransaction } from '../store/database';
import { requireLoggedModel } from './prediction-table';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SAMPLE = 10;
/** IDs listed in a refusal, so the message stays readable. */
const NAMED = 5;

/** A delimited file's cells are text: numbers become numbers so a label 1 matches a predicted 1. */
function labelValue(cell: string): unknown {
  const t = cell.trim();
  return NUMBER.test(t) ? Number(t) : t;
}

interface LabelRow {
  value: unknown;
  row: number;
}

async function readLabels(
  file: string,
  display: string,
  format: RowFormat,
  idColumn: string,
  targetColumn: string,
): Promise<{ labels: Map<string, LabelRow>; empty: number }> {
  const labels = new Map<string, LabelRow>();
  let empty = 0;
  const take = (id: string, value: unknown, row: number): void => {
    if (id === '')
      throw new BenchtopError('BAD_FILE', `${display}: row ${row} has no ID in column "${idColumn}".`, {
        field: 'file',
        hint: 'Give every row an ID, or remove the rows without one.',
      });
    const before = labels.get(id);
    if (before) {
      throw new BenchtopError(
        'BAD_FILE',
        `${display}: the ID "${id.slice(0, 200)}" is on rows ${before.row} and ${row} (data rows, counted from 1 after any header).`,
        {
          field: 'file',
          hint: 'Keep one row per ID: which label is true cannot be guessed.',
        },
      );
    }
    labels.set(id, { value, row });
    if (value === null) empty++;
  };
  const missing = (names: readonly string[]): void => {
    for (const [col, field] of [
      [idColumn, 'idColumn'],
      [targetColumn, 'targetColumn'],
    ] as const) {
      if (!names.includes(col))
        throw new BenchtopError('INVALID_INPUT', `${display} has no column "${col}".`, {
          field,
          hint: `Its columns are: ${names.slice(0, 30).join(', ') || 'none'}.`,
        });
    }
  };

  if (format === 'jsonl') {
    // JSONL keeps its types (a label true, or 3.5), read here rather than as cell texts.
    let line = 0;
    let row = 0;
    let keys: string[] | null = null;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text);
      } catch {
        obj = null;
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
        throw new BenchtopError('BAD_FILE', `${display}:${line}: not a JSON object.`, {
          field: 'file',
          hint: 'Each line of a JSONL file must be one JSON object.',
        });
      const rec = obj as Record<string, unknown>;
      if (keys === null) {
        keys = Object.keys(rec);
        missing(keys);
      }
      row++;
      const id = rec[idColumn];
      const value = rec[targetColumn];
      take(
        id === null || id === undefined ? '' : typeof id === 'string' ? id : JSON.stringify(id),
        value === undefined || value === '' ? null : value,
        row,
      );
    }
    if (keys === null)
      throw new BenchtopError('BAD_FILE', `${display} is empty.`, {
        field: 'file',
        hint: 'Give a file with an ID column and a target column.',
      });
    return { labels, empty };
  }

  // The header first (the read stops at the first row), so a missing column is named before any work.
  const header = await forEachRow({ file, display, format }, [], () => false);
  missing(header);
  const idIndex = header.indexOf(idColumn);
  const targetIndex = header.indexOf(targetColumn);
  await forEachRow({ file, display, format }, [], (cells, row) => {
    const target = cells[targetIndex] ?? '';
    take((cells[idIndex] ?? '').trim(), target.trim() === '' ? null : labelValue(target), row);
  });
  if (labels.size === 0)
    throw new BenchtopError('BAD_FILE', `${display} has no rows.`, {
      field: 'file',
      hint: 'Give a file with an ID column and a target column.',
    });
  return { labels, empty };
}

export async function joinLabels(
  projectDir: string,
  db: Database,
  given: PredictionLabelInput,
  base = projectDir,
): Promise<PredictionLabelResult> {
  const parsed = predictionLabelInput.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'labels';
    throw new BenchtopError('INVALID_INPUT', `The ${field} is not valid: ${issue.message}.`, {
      field,
      hint: 'See `benchtop predictions label --help`.',
    });
  }
  const input = parsed.data;
  const model = requireLoggedModel(db, input.model);
  const abs = path.resolve(base, input.file);
  if (!existsSync(abs) || !statSync(abs).isFile())
    throw new BenchtopError('NOT_FOUND', `${input.file} does not exist.`, {
      field: 'file',
      hint: 'Give a CSV, TSV, JSONL or Parquet file with an ID column and a target column.',
    });
  const format = tableFormatOf(abs);
  if (!format)
    throw new BenchtopError(
      'UNSUPPORTED',
      `${input.file} is not a table file Benchtop reads (CSV, TSV, JSONL or Parquet, by its extension).`,
      { field: 'file', hint: 'Give a .csv, .tsv, .jsonl or .parquet file.' },
    );

  const { labels, empty } = await readLabels(abs, input.file, format, input.idColumn, input.targetColumn).catch(
    (err: unknown) => {
      // The shared readers blame `path`; here the input field is `file`.
      if (err instanceof BenchtopError && err.field === 'path')
        throw new BenchtopError(err.code, err.message, { field: 'file', ...(err.hint ? { hint: err.hint } : {}) });
      throw err;
    },
  );
  const labeledAt = new Date().toISOString();
  const find = db.prepare(`SELECT id, label_json FROM predictions WHERE model_name = ? AND record_id = ?`);
  const set = db.prepare(`UPDATE predictions SET label_json = ?, labeled_at = ? WHERE id = ?`);

  // Reads and writes in one immediate transaction: no label can land between the check and the write.
  return writeTransaction(db, () => {
    let matched = 0;
    let unmatched = 0;
    const unmatchedSample: string[] = [];
    const updates: number[] = [];
    const updateJson: string[] = [];
    const conflicts: string[] = [];
    let alreadyLabeled = 0;
    let relabeled = 0;
    for (const [id, { value }] of labels) {
      if (value === null) continue;
      const rows = find.all(model, id) as { id: number; label_json: string | null }[];
      if (!rows.length) {
        unmatched++;
        if (unmatchedSample.length < SAMPLE) unmatchedSample.push(id);
        continue;
      }
      matched++;
      const json = JSON.stringify(value);
      for (const r of rows) {
        if (r.label_json === json) {
          alreadyLabeled++;
          continue;
        }
        if (r.label_json !== null) {
          if (!input.force) {
            if (conflicts.length < NAMED) conflicts.push(`${id} (${r.label_json} → ${json})`);
            continue;
          }
          relabeled++;
        }
        updates.push(r.id);
        updateJson.push(json);
      }
    }
    if (conflicts.length) {
      throw new BenchtopError(
        'CONFLICT',
        `${input.file} would change labels already joined: ${conflicts.join(', ')}. Nothing was changed.`,
        {
          field: 'force',
          hint: 'Check the file; to replace the earlier labels, join it again with --force.',
        },
      );
    }
    for (let i = 0; i < updates.length; i++) set.run(updateJson[i], labeledAt, updates[i]);
    return {
      model,
      file: input.file,
      ids: labels.size,
      emptyTargets: empty,
      matched,
      labeledPredictions: updates.length,
      unmatched,
      unmatchedSample,
      alreadyLabeled,
      relabeled,
    };
  });
}
