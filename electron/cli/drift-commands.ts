// Runs in: CLI (Node). `benchtop drift REF CUR`: a drift report on the terminal or as JSON, exiting 3 when
// the dataset drifted so CI can gate on it (0 without drift, 2 for usage errors, 1 for other errors).
// The report (and its HTML and PDF files) comes from the contract's `drift.report`, its progress from
// `drift.progress` events.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import {
  driftRequest,
  driftTestName,
  driftColumnType,
  type DriftReport,
  type ModelPerformance,
} from '../../shared/contract/drift';
import type { GlobalOptions } from './project';
import { callMethod, cliCore, reportInbox } from './core-client';
import { collect, enclosingProjectDir } from './project';
import { cell, printWireJson, table, UsageError } from './output';
import { PAPER_FLAGS, PAPER_HELP, paperOption } from './paper-option';

export const DRIFT_EXIT = 3;

/** The request's flags, shared by `benchtop drift` and `benchtop monitor add`. */
export interface DriftRequestOptions extends GlobalOptions {
  target?: string;
  prediction?: string;
  score?: string;
  id: string[];
  timestamp?: string;
  test: string[];
  threshold: string[];
  type: string[];
  exclude: string[];
  shareThreshold?: string;
}

interface DriftOptions extends DriftRequestOptions {
  html?: string;
  pdf?: string;
  paper?: string;
}

/** `COL=VALUE` → [COL, VALUE], splitting at the last '=' so column names may hold one. */
function pair(flag: string, given: string): [string, string] {
  const at = given.lastIndexOf('=');
  if (at <= 0 || at === given.length - 1) throw new UsageError(`--${flag} takes COLUMN=VALUE, not "${given}".`);
  return [given.slice(0, at), given.slice(at + 1)];
}

export function driftRequestFrom(reference: string, current: string, o: DriftRequestOptions): unknown {
  const columns: Record<string, { test?: string; threshold?: number; type?: string }> = {};
  const entry = (name: string) => (columns[name] ??= {});
  for (const t of o.test) {
    const [col, name] = pair('test', t);
    if (!driftTestName.safeParse(name).success)
      throw new UsageError(`--test ${t}: unknown test "${name}" (one of ${driftTestName.options.join(', ')}).`);
    entry(col).test = name;
  }
  for (const t of o.threshold) {
    const [col, x] = pair('threshold', t);
    const v = Number(x);
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`--threshold ${t}: the threshold must be a number ≥ 0.`);
    entry(col).threshold = v;
  }
  for (const t of o.type) {
    const [col, type] = pair('type', t);
    if (!driftColumnType.safeParse(type).success)
      throw new UsageError(`--type ${t}: unknown type "${type}" (one of ${driftColumnType.options.join(', ')}).`);
    entry(col).type = type;
  }
  let shareThreshold: number | undefined;
  if (o.shareThreshold !== undefined) {
    shareThreshold = Number(o.shareThreshold);
    if (!(shareThreshold >= 0 && shareThreshold <= 1))
      throw new UsageError('--share-threshold must be a number from 0 to 1.');
  }
  const request: Record<string, unknown> = { reference, current, columns, exclude: o.exclude };
  for (const k of ['target', 'prediction', 'score', 'timestamp'] as const) if (o[k] !== undefined) request[k] = o[k];
  // One id column is stored as before (a name); several as a list.
  if (o.id.length) request.id = o.id.length === 1 ? o.id[0] : o.id;
  if (shareThreshold !== undefined) request.shareThreshold = shareThreshold;
  return request;
}

/** A progress line on a terminal's stderr, at most ten times a second. */
function progress(): ((p: { side: string; rows: number }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    process.stderr.write(`\rreading ${p.side}: ${p.rows.toLocaleString('en')} rows\x1b[K`);
  };
}

/** Why a column was left out, in the command line's words (the report's own are the app's). */
function leftOutMessage(l: DriftReport['leftOut'][number]): string {
  if (l.reason === 'excluded') return 'excluded by --exclude';
  if (l.reason === 'id') return 'left out, named by --id (an id column)';
  if (l.reason === 'timestamp') return 'left out, named by --timestamp';
  return l.message;
}

export function driftJson(report: DriftReport): unknown {
  return {
    dataset_drift: report.summary.datasetDrift,
    drift_share: report.summary.share,
    left_out: report.leftOut.map((l) => ({ name: l.name, reason: l.reason, message: leftOutMessage(l) })),
    columns: report.columns.map((c) => ({
      name: c.name,
      type: c.type,
      role: c.role,
      test: c.test,
      score: c.score,
      score_kind: c.scoreKind,
      threshold: c.threshold,
      drifted: c.drifted,
      problem: c.problem,
    })),
    report,
  };
}

function performanceLines(label: string, p: ModelPerformance): string {
  if (p.kind === 'regression')
    return `  ${label}: ${p.rows} rows, MAE ${cell(p.mae)}, RMSE ${cell(p.rmse)}, MAPE ${cell(p.mape)}, R² ${cell(p.r2)}`;
  return `  ${label}: ${p.rows} rows, accuracy ${cell(p.accuracy)}, macro F1 ${cell(p.macro.f1)}${p.rocAuc !== null ? `, ROC AUC ${cell(p.rocAuc)}` : ''}`;
}

/** The note columnReport writes for an id or timestamp column, which "Left out" says already. */
const isRoleNote = (problem: string): boolean =>
  /^(ID column: summarised, not tested\.|Timestamp column: summarised, not tested\.|Left out: every value is unique \(an id column\)\.)$/.test(
    problem,
  );

export function driftText(report: DriftReport): string {
  const s = report.summary;
  const lines = [
    `Dataset drift: ${s.datasetDrift ? 'YES' : 'no'} (${s.drifted} of ${s.tested} tested columns drifted, share ${cell(s.share)}; drift when ≥ ${cell(s.shareThreshold)})`,
    `reference: ${report.reference.label} (${report.reference.rows} rows)   current: ${report.current.label} (${report.current.rows} rows)`,
    '',
    table([
      ['column', 'type', 'test', 'score', 'threshold', 'drifted'],
      ...report.columns.map((c) => [
        c.name,
        c.role === 'feature' ? c.type : `${c.type} (${c.role})`,
        c.test ?? '-',
        cell(c.score),
        cell(c.threshold),
        c.test ? (c.drifted ? 'YES' : 'no') : '-',
      ]),
    ]),
  ];
  if (report.leftOut.length)
    lines.push('', 'Left out:', ...report.leftOut.map((l) => `  ${l.name}: ${leftOutMessage(l)}`));
  // A left-out column's note would say the same again.
  const left = new Set(report.leftOut.map((l) => l.name));
  const notes = report.columns
    .filter((c) => c.problem && !(left.has(c.name) && isRoleNote(c.problem)))
    .map((c) => `  ${c.name}: ${c.problem}`);
  if (notes.length) lines.push('', 'Notes:', ...notes);
  if (report.onlyInReference.length || report.onlyInCurrent.length) lines.push('');
  if (report.onlyInReference.length) lines.push(`Only in the reference: ${report.onlyInReference.join(', ')}`);
  if (report.onlyInCurrent.length) lines.push(`Only in the current data: ${report.onlyInCurrent.join(', ')}`);
  if (report.problems.length) lines.push('', 'Problems:', ...report.problems.map((p) => `  ${p.source}: ${p.message}`));
  if (report.performance)
    lines.push(
      '',
      'Performance:',
      performanceLines('reference', report.performance.reference),
      performanceLines('current', report.performance.current),
    );
  return lines.join('\n') + '\n';
}

export function registerDriftCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('drift')
    .description(
      `compare current data with reference data, a drift test per column; exits ${DRIFT_EXIT} when the dataset drifted`,
    )
    .argument('<reference>', 'a CSV, TSV, JSONL or Parquet file, a tracked version data/x.csv@REV, or run:RUN_ID/path')
    .argument('<current>', 'the data to compare, named the same ways')
    .option('--target <column>', 'the true label or value (tested, and feeds performance)')
    .option('--prediction <column>', "the model's prediction (tested, and feeds performance)")
    .option('--score <column>', 'the positive class score, for ROC AUC (binary classification)')
    .option(
      '--id <column>',
      'an ID column, summarised, not tested (repeatable); a column whose every value is unique is one already',
      collect,
      [],
    )
    .option('--timestamp <column>', 'a timestamp column (summarised, not tested)')
    .option(
      '--test <column=name>',
      `the test for a column (repeatable): ${driftTestName.options.join(', ')}`,
      collect,
      [],
    )
    .option('--threshold <column=x>', 'the threshold for a column (repeatable)', collect, [])
    .option(
      '--type <column=type>',
      'the type of a column (repeatable): numeric, categorical, text, datetime',
      collect,
      [],
    )
    .option('--exclude <column>', 'leave a column out (repeatable)', collect, [])
    .option(
      '--share-threshold <x>',
      'the dataset drifts when at least this share of tested columns drift (default 0.5)',
    )
    .option(
      '--html <file>',
      'also write the report as a self-contained HTML file (charts inline, no script); never overwrites',
    )
    .option('--pdf <file>', 'also write the report as PDF (printed by headless Chromium); never overwrites')
    .option(PAPER_FLAGS, PAPER_HELP)
    .exitOverride()
    .action(async (reference: string, current: string, o: DriftOptions, cmd: Command) => {
      const opts = { ...cmd.optsWithGlobals<GlobalOptions>(), ...o };
      const parsed = driftRequest.safeParse(driftRequestFrom(reference, current, opts));
      if (!parsed.success)
        throw new UsageError(
          parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
        );
      const paper = paperOption(opts.paper);
      // Refuse before the work, not after it: Benchtop never overwrites a file.
      for (const f of [opts.html, opts.pdf])
        if (f !== undefined && existsSync(path.resolve(f)))
          throw new UsageError(
            `${path.resolve(f)} exists already; Benchtop does not overwrite files. Choose another name.`,
          );
      // The project around the current folder when there is one; plain files need none.
      const projectDir = enclosingProjectDir(opts);
      const core = await cliCore();
      let report: DriftReport;
      let written: { html?: { file: string; size: number }; pdf?: { file: string; size: number } } | undefined;
      const onProgress = progress();
      const unsubscribe = core.events.subscribe((e) => {
        if (e.name === 'drift.progress') onProgress?.(e.payload);
      });
      try {
        if (projectDir) {
          await core.open(projectDir);
          reportInbox(core);
        }
        ({ written, ...report } = await callMethod(core.handlers, 'drift.report', {
          ...parsed.data,
          base: process.cwd(),
          ...(opts.html !== undefined ? { html: opts.html } : {}),
          ...(opts.pdf !== undefined ? { pdf: opts.pdf, ...paper } : {}),
        }));
      } catch (err) {
        // A column the data does not have is a mistake in the command line.
        if (
          err instanceof BenchtopError &&
          err.code === 'INVALID_INPUT' &&
          err.field &&
          !['reference', 'current'].includes(err.field)
        )
          throw new UsageError(err.hint ? `${err.message} ${err.hint}` : err.message);
        throw err;
      } finally {
        unsubscribe();
        if (onProgress) process.stderr.write('\r\x1b[K');
        await core.shutdown();
      }
      // Written files are announced on stderr so that stdout stays the report (or its JSON).
      if (written?.html)
        process.stderr.write(
          `Wrote the HTML report to ${written.html.file} (${written.html.size} bytes, self-contained).\n`,
        );
      if (written?.pdf)
        process.stderr.write(`Wrote the PDF report to ${written.pdf.file} (${written.pdf.size} bytes).\n`);
      if (opts.json) printWireJson(driftJson(report));
      else process.stdout.write(driftText(report));
      setExitCode(report.summary.datasetDrift ? DRIFT_EXIT : 0);
    });
}
