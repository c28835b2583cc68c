// Runs in: main (core). A model's prediction log as one CSV (record ID, time, version, the inputs as
// columns, the prediction, the joined label), for a notebook, a spreadsheet or a labelling tool.
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { PredictionExportInput, PredictionExportResult } from '../../../shared/contract/schemas';
import { slugify, writeReportFile } from '../reports/writer';
import {
  cellText,
  flattenInput,
  parseJson,
  predictionValue,
  requireLoggedModel,
  timeBound,
  type Cell,
  type PredictionRow,
} from './prediction-table';

export const EXPORTS_DIR = 'exports';
const META = ['record_id', 'at', 'version'];
const TAIL = ['prediction', 'label'];

export interface PredictionsCsv {
  model: string;
  csv: string;
  rows: number;
  columns: string[];
}

/** An answer that is not one value (a list of scores, say) is kept whole as JSON rather than lost. */
function answer(json: string | null): Cell {
  const v = parseJson(json);
  const p = predictionValue(v);
  return p === null && v !== null ? JSON.stringify(v) : p;
}

export function predictionsCsv(
  db: Database,
  input: Pick<PredictionExportInput, 'model' | 'since' | 'until'>,
): PredictionsCsv {
  const model = requireLoggedModel(db, input.model);
  const since = timeBound(input.since, 'since');
  const until = timeBound(input.until, 'until');
  if (since !== null && until !== null && since >= until)
    throw new BenchtopError('INVALID_INPUT', `--since ${input.since} is not before --until ${input.until}.`, {
      field: 'until',
      hint: 'Give an earlier --since or a later --until.',
    });
  const rows = db
    .prepare(
      `SELECT id, record_id, version, at, input_json, output_json, label_json FROM predictions
        WHERE model_name = ? AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?) ORDER BY at, id`,
    )
    .all(model, since, since, until, until) as PredictionRow[];
  const inputs = rows.map((r) => flattenInput(parseJson(r.input_json)));
  // Columns in the order the inputs first show them; one that clashes with ours is prefixed.
  const keys = [...new Set(inputs.flatMap((i) => Object.keys(i)))];
  const reserved = new Set([...META, ...TAIL]);
  const names = keys.map((k) => (reserved.has(k) ? `input.${k}` : k));
  const columns = [...META, ...names, ...TAIL];
  const body = rows.map((r, i) => [
    r.record_id,
    r.at,
    String(r.version),
    ...keys.map((k) => cellText(inputs[i]![k])),
    cellText(answer(r.output_json)),
    cellText(answer(r.label_json)),
  ]);
  return { model, csv: stringify([columns, ...body]), rows: rows.length, columns };
}

/**
 * The contract's export: into the project's exports/ folder, as the file named (refused if it exists)
 * or predictions-MODEL-DATE.csv (-2, -3… when taken).
 */
export function exportPredictions(
  projectDir: string,
  db: Database,
  input: PredictionExportInput,
  now = new Date(),
): PredictionExportResult {
  const out = predictionsCsv(db, input);
  const dir = path.join(projectDir, EXPORTS_DIR);
  if (input.file !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._ -]{0,150}\.csv$/.test(input.file) || input.file.includes('..')) {
      throw new BenchtopError('INVALID_INPUT', `"${input.file}" cannot be an export file name.`, {
        field: 'file',
        hint: 'Give a plain file name ending in .csv (letters, digits, . _ - and spaces), without folders.',
      });
    }
    const w = writeReportFile(path.join(dir, input.file), out.csv);
    return { path: `${EXPORTS_DIR}/${input.file}`, rows: out.rows, size: w.size, columns: out.columns };
  }
  const base = `predictions-${slugify(out.model)}-${now.toISOString().slice(0, 10)}`;
  for (let i = 1; i < 10_000; i++) {
    const name = i === 1 ? `${base}.csv` : `${base}-${i}.csv`;
    try {
      const w = writeReportFile(path.join(dir, name), out.csv);
      return { path: `${EXPORTS_DIR}/${name}`, rows: out.rows, size: w.size, columns: out.columns };
    } catch (err) {
      if (!(err instanceof BenchtopError && err.code === 'ALREADY_EXISTS')) throw err;
    }
  }
  throw new BenchtopError('ALREADY_EXISTS', `Every name like ${base}.csv is taken in ${EXPORTS_DIR}/.`, {
    field: 'file',
    hint: 'Name the file, or move old exports away.',
  });
}
