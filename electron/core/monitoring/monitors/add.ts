// Runs in: main (core). Adding a monitor: everything it names is checked now (the model reference,
// the reference data and its columns, the batches, the rules), so a monitor that cannot work is
// refused with the reason instead of failing at its first check.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import {
  monitorAddInput,
  type MonitorAddInput,
  type MonitorConfig,
  type MonitorDetail,
} from '../../../../shared/contract/schemas';
import { readTableSchema } from '../../data/table-schema';
import { resolveModelRef } from '../../registry/refs';
import { writeTransaction } from '../../store/database';
import { resolveSource } from '../drift/sources';
import { batchFiles, storedPath } from './batches';
import { getMonitor } from './read';
import { checkPredictionSource } from './prediction-source';
import { needsPerformance, needsServing, parseRule } from './rules';

const ROLES = ['target', 'prediction', 'score', 'id', 'timestamp'] as const;

export async function addMonitor(
  projectDir: string,
  db: Database,
  given: MonitorAddInput,
  base = projectDir,
): Promise<MonitorDetail> {
  const parsed = monitorAddInput.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'monitor';
    throw new BenchtopError('INVALID_INPUT', `The monitor's ${field} is not valid: ${issue.message}.`, {
      field,
      hint: field === 'name' ? 'Name it with letters, digits, _ . and - only.' : 'See `benchtop monitor add --help`.',
    });
  }
  const input = parsed.data;
  if (db.prepare(`SELECT 1 FROM monitors WHERE name = ?`).get(input.name)) {
    throw new BenchtopError('ALREADY_EXISTS', `There is already a monitor named ${input.name}.`, {
      field: 'name',
      hint: 'Pick another name, or delete the existing monitor first.',
    });
  }

  let model: string | null = null;
  if (input.model !== undefined) {
    resolveModelRef(db, input.model, 'model');
    model = input.model.trim();
  }

  const ref = await resolveSource(projectDir, db, input.reference, 'reference', base);
  // Plain files are kept relative to the project; versions and run artifacts as written.
  const reference = ref.expectHash === null ? storedPath(projectDir, base, input.reference) : input.reference.trim();

  const predictions = input.predictions ? checkPredictionSource(db, input) : undefined;
  if (!predictions && (input.folder === undefined) === (input.files === undefined || input.files.length === 0)) {
    throw new BenchtopError('INVALID_INPUT', 'A monitor needs its batches: a folder, or a list of files (not both).', {
      field: input.folder === undefined ? 'folder' : 'files',
      hint: 'Give --batches FOLDER, or --batch FILE once per file, or --predictions MODEL for its prediction log.',
    });
  }
  let folder: string | null = null;
  let files: string[] = [];
  if (input.folder !== undefined) {
    const abs = path.resolve(base, input.folder);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new BenchtopError('NOT_FOUND', `The batch folder ${input.folder} does not exist.`, {
        field: 'folder',
        hint: 'Create the folder the batches arrive in first.',
      });
    folder = storedPath(projectDir, base, input.folder);
  } else if (input.files !== undefined) {
    files = input.files.map((f) => storedPath(projectDir, base, f));
    // Throws for a missing file, naming it.
    batchFiles(projectDir, { folder: null, files });
    if (new Set(files).size !== files.length)
      throw new BenchtopError('INVALID_INPUT', 'The same batch file is listed twice.', {
        field: 'files',
        hint: 'List each file once.',
      });
  }

  const rules = input.rules.map((r, i) => parseRule(r, `rules.${i}`));
  // A prediction log has its own prediction and, once joined, its labels.
  const hasPerformance = (input.target !== undefined && input.prediction !== undefined) || predictions !== undefined;
  rules.forEach((r, i) => {
    if (needsServing(r) && !predictions) {
      throw new BenchtopError(
        'INVALID_INPUT',
        `The rule "${r.text}" watches the endpoint (latency, errors, requests), which only a monitor of a prediction log measures.`,
        {
          field: `rules.${i}`,
          hint: 'Give --predictions MODEL --window day instead of batch files, or drop the rule.',
        },
      );
    }
    if (needsPerformance(r) && !hasPerformance) {
      throw new BenchtopError(
        'INVALID_INPUT',
        `The rule "${r.text}" watches the model's performance, which needs the target and prediction columns.`,
        {
          field: `rules.${i}`,
          hint: 'Name the target and prediction columns (--target and --prediction on the command line).',
        },
      );
    }
  });

  const schema = await readTableSchema(ref.file, ref.label.replace(/@[^@/]*$/, ''));
  if (schema) {
    const names = new Set(schema.columns.map((c) => c.name));
    const check = (col: string, field: string) => {
      if (!names.has(col))
        throw new BenchtopError('INVALID_INPUT', `The reference has no column "${col}".`, {
          field,
          hint: `The columns are: ${[...names].slice(0, 30).join(', ')}.`,
        });
    };
    // A prediction monitor's target and prediction name its window files' columns, which the reference may lack.
    for (const role of ROLES)
      if (input[role] !== undefined && !(predictions && (role === 'target' || role === 'prediction')))
        for (const col of ([] as string[]).concat(input[role])) check(col, role);
    for (const col of Object.keys(input.columns)) check(col, `columns.${col}`);
    for (const col of input.exclude) check(col, 'exclude');
    for (const [i, r] of rules.entries()) if (r.condition.kind === 'column') check(r.condition.column, `rules.${i}`);
  }

  const config: MonitorConfig = {
    model,
    reference,
    folder,
    files,
    ...(predictions ? { predictions } : {}),
    ...Object.fromEntries(ROLES.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])),
    columns: input.columns,
    exclude: input.exclude,
    shareThreshold: input.shareThreshold,
    rules: rules.map((r) => r.text),
    retrain: input.retrain,
  };
  writeTransaction(db, () =>
    db
      .prepare(`INSERT INTO monitors (name, kind, config) VALUES (?, 'drift', ?)`)
      .run(input.name, JSON.stringify(config)),
  );
  return getMonitor(db, input.name);
}
