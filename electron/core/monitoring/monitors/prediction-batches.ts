// Runs in: main (core). A monitor's batches from a model's prediction log: each closed window (a UTC
// hour, day or week, or a run of N records) is written as a CSV under
// .benchtop/monitor-batches/<monitor>/<window>.csv (the inputs as columns, the prediction, the joined
// label as the target), so the drift report and the batch hash logic work on it as on any batch file:
// a window whose labels arrive later has new content and is checked again. Which windows are read at
// all is prediction-scan.ts's choice: the ones new or changed since the last check. The window's
// serving figures (requests, error rate, latency percentiles) come from the request log beside it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Database } from 'better-sqlite3';
import type { ModelPerformance, MonitorConfig, ServingMetrics } from '../../../../shared/contract/schemas';
import { cellText, flattenInput, parseJson, predictionValue, type Cell } from '../../serving/prediction-table';
import { writeFileAtomic } from '../../util/atomic-write';
import { ensureGitignore } from '../../workspace/gitignore';
import { BENCHTOP_DIR } from '../../util/layout';
import { inferType } from '../drift/column-types';
import { classification, regression } from '../drift/performance';
import { readTable } from '../drift/read-table';
import type { BatchFile } from './batches';
import { saveScan, scanPredictionLog } from './prediction-scan';
import type { LogRow, Window } from './prediction-windows';

export const MONITOR_BATCHES_DIR = `${BENCHTOP_DIR}/monitor-batches`;
/** The column names a window file uses when the monitor does not name its target and prediction. */
export const DEFAULT_PREDICTION = 'prediction';
export const DEFAULT_TARGET = 'target';

export interface PredictionBatch extends BatchFile {
  /** The roles for this window's drift request: a column the window does not have is left out. */
  roles: { target: string | undefined; prediction: string | undefined };
  /** Measured on the window's labeled rows, for when the reference has no prediction column to compare with. */
  performance: ModelPerformance | null;
  serving: ServingMetrics;
}

/** Linear interpolation between closest ranks (NumPy's default percentile), on sorted values. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** An error is a request the endpoint answered with 500 or more: a crash or a timeout, not a refused input (4xx). */
export function servingMetrics(
  db: Database,
  model: string,
  w: Pick<Window, 'start' | 'end' | 'endInclusive'>,
): ServingMetrics {
  const rows = db
    .prepare(
      `SELECT status, latency_ms AS ms FROM prediction_requests WHERE model_name = ? AND at >= ? AND at ${w.endInclusive ? '<=' : '<'} ? ORDER BY latency_ms`,
    )
    .all(model, w.start, w.end) as { status: number; ms: number }[];
  const errors = rows.filter((r) => r.status >= 500).length;
  const ms = rows.map((r) => r.ms);
  return {
    requests: rows.length,
    errors,
    error_rate: rows.length ? errors / rows.length : null,
    latency_p50: percentile(ms, 0.5),
    latency_p95: percentile(ms, 0.95),
    latency_p99: percentile(ms, 0.99),
  };
}

/** The window file's text: inputs in the order they first appear, then the prediction and the target. */
function windowCsv(
  rows: readonly LogRow[],
  predictionCol: string,
  targetCol: string,
): { csv: string; hasPrediction: boolean; hasTarget: boolean } {
  const inputs = rows.map((r) => flattenInput(parseJson(r.input_json)));
  const predictions = rows.map((r) => predictionValue(parseJson(r.output_json)));
  const labels = rows.map((r): Cell => {
    const v = parseJson(r.label_json);
    return v === null ? null : (predictionValue(v) ?? JSON.stringify(v));
  });
  const hasPrediction = predictions.some((p) => p !== null);
  const hasTarget = labels.some((l) => l !== null);
  const reserved = new Set([...(hasPrediction ? [predictionCol] : []), ...(hasTarget ? [targetCol] : [])]);
  const keys = [...new Set(inputs.flatMap((i) => Object.keys(i)))];
  // An input named like the prediction or target column would be shadowed; it keeps its values under input.NAME.
  const header = [
    ...keys.map((k) => (reserved.has(k) ? `input.${k}` : k)),
    ...(hasPrediction ? [predictionCol] : []),
    ...(hasTarget ? [targetCol] : []),
  ];
  const body = rows.map((_, i) => [
    ...keys.map((k) => cellText(inputs[i]![k])),
    ...(hasPrediction ? [cellText(predictions[i])] : []),
    ...(hasTarget ? [cellText(labels[i])] : []),
  ]);
  return { csv: stringify([header, ...body]), hasPrediction, hasTarget };
}

/** Classification, or regression when the labels are numbers of many values (the drift report's own type rule). */
async function windowPerformance(
  file: string,
  display: string,
  target: string,
  prediction: string,
): Promise<ModelPerformance | null> {
  const t = await readTable({ label: display, file, display, format: 'csv', expectHash: null });
  const ti = t.names.indexOf(target);
  const pi = t.names.indexOf(prediction);
  if (ti < 0 || pi < 0) return null;
  const tc = t.columns[ti]!;
  return inferType(tc, tc) === 'numeric' ? regression(tc, t.columns[pi]!) : classification(tc, t.columns[pi]!, null);
}

async function materialize(
  projectDir: string,
  db: Database,
  monitor: string,
  config: MonitorConfig,
  w: Window,
  rows: readonly LogRow[],
): Promise<{ batch: PredictionBatch; written: boolean }> {
  const predictionCol = config.prediction ?? DEFAULT_PREDICTION;
  const targetCol = config.target ?? DEFAULT_TARGET;
  const { csv, hasPrediction, hasTarget } = windowCsv(rows, predictionCol, targetCol);
  const rel = windowPath(monitor, w.label);
  const abs = path.join(projectDir, ...rel.split('/'));
  // Rewritten only when the content changed, so an unchanged window keeps its hash and its file.
  const written = !existsSync(abs) || readFileSync(abs, 'utf8') !== csv;
  if (written) {
    // A project made before these windows existed has no ignore line for them yet.
    ensureGitignore(projectDir);
    writeFileAtomic(abs, csv);
  }
  const performance = hasPrediction && hasTarget ? await windowPerformance(abs, rel, targetCol, predictionCol) : null;
  return {
    batch: {
      path: rel,
      abs,
      label: w.label,
      roles: { target: hasTarget ? targetCol : undefined, prediction: hasPrediction ? predictionCol : undefined },
      performance,
      serving: servingMetrics(db, config.predictions!.model, w),
    },
    written,
  };
}

function windowPath(monitor: string, label: string): string {
  return `${MONITOR_BATCHES_DIR}/${monitor}/${label}.csv`;
}

/** What one check read of the log: for tests and the bench, which must see what was skipped, not how fast. */
export interface PredictionScanStats {
  /** The whole log was read (first check, or a change the marks cannot follow). */
  full: boolean;
  windowsRead: number;
  rowsRead: number;
  filesWritten: number;
  /** Windows recorded with their current content, not read again. */
  skipped: number;
}

export interface PredictionBatchOptions {
  /** The time that decides which windows are closed. */
  now?: Date;
  /** Also the open window (the current hour, day or week, or the last records short of N). */
  includeOpen?: boolean;
  onScan?: (stats: PredictionScanStats) => void;
}

export interface PredictionBatches {
  /** The windows read this time, oldest first. */
  batches: PredictionBatch[];
  /** Windows recorded with their current content and not read again: unchanged, as the check counts them. */
  skipped: number;
  stats: PredictionScanStats;
  /** Once the check has handled the batches: `recorded` maps a batch path to the hash recorded for it (none if it failed). */
  settle(recorded: ReadonlyMap<string, string>): void;
}

/** The windows of the monitor's prediction log that this check must look at, written as batch files. */
export async function predictionBatches(
  projectDir: string,
  db: Database,
  monitor: { id: number; name: string },
  config: MonitorConfig,
  options: PredictionBatchOptions = {},
): Promise<PredictionBatches> {
  const source = config.predictions!;
  // What the window files' text depends on: another source or other column names rewrite every window.
  const key = JSON.stringify([
    source.model,
    source.window,
    config.prediction ?? DEFAULT_PREDICTION,
    config.target ?? DEFAULT_TARGET,
  ]);
  const scan = scanPredictionLog(db, monitor.id, source, key, {
    now: options.now ?? new Date(),
    includeOpen: options.includeOpen ?? false,
    fileExists: (label) => existsSync(path.join(projectDir, ...windowPath(monitor.name, label).split('/'))),
  });
  const batches: PredictionBatch[] = [];
  let filesWritten = 0;
  for (const g of scan.read) {
    const { batch, written } = await materialize(projectDir, db, monitor.name, config, g.window, g.rows);
    batches.push(batch);
    if (written) filesWritten++;
  }
  const stats: PredictionScanStats = {
    full: scan.full,
    windowsRead: scan.read.length,
    rowsRead: scan.rowsRead,
    filesWritten,
    skipped: scan.skipped,
  };
  options.onScan?.(stats);
  return {
    batches,
    skipped: scan.skipped,
    stats,
    settle(recorded) {
      const byLabel = new Map<string, string>();
      for (const b of batches) {
        const hash = recorded.get(b.path);
        if (hash !== undefined) byLabel.set(b.label, hash);
      }
      saveScan(db, monitor.id, scan, byLabel);
    },
  };
}
