// Runs in: main (core). A monitor's batches from a model's prediction log: each closed window (a UTC
// hour, day or week, or a run of N records) is written as a CSV under
// .benchtop/monitor-batches/<monitor>/<window>.csv (the inputs as columns, the prediction, the joined
// label as the target), so the drift report and the batch hash logic work on it as on any batch file:
// a window whose labels arrive later has new content and is checked again. The window's serving
// figures (requests, error rate, latency percentiles) come from the request log beside it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Database } from 'better-sqlite3';
import type { ModelPerformance, MonitorConfig, PredictionWindow, ServingMetrics } from '../../../../shared/contract/schemas';
import { cellText, flattenInput, parseJson, predictionValue, type Cell } from '../../serving/prediction-table';
import { writeFileAtomic } from '../../util/atomic-write';
import { ensureGitignore } from '../../workspace/gitignore';
import { BENCHTOP_DIR } from '../../workspace/layout';
import { inferType } from '../report/column-types';
import { classification, regression } from '../report/performance';
import { readTable } from '../report/read-table';
import type { BatchFile } from './batches';

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

interface Window {
  label: string;
  /** ISO bounds of the requests that count for it: [start, end), or [start, end] for record windows. */
  start: string;
  end: string;
  endInclusive: boolean;
  closed: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The calendar window an ISO time falls in (UTC; weeks start on Monday, as ISO 8601 has them). */
export function timeWindow(at: string, window: 'hour' | 'day' | 'week', now: Date): Window {
  const t = Date.parse(at);
  let start: number;
  let length: number;
  let label: string;
  if (window === 'hour') {
    start = Math.floor(t / HOUR) * HOUR;
    length = HOUR;
    label = new Date(start).toISOString().slice(0, 13);
  } else if (window === 'day') {
    start = Math.floor(t / DAY) * DAY;
    length = DAY;
    label = new Date(start).toISOString().slice(0, 10);
  } else {
    const day = Math.floor(t / DAY) * DAY;
    // 1970-01-01 was a Thursday: (weekday + 6) % 7 days back is the Monday.
    const weekday = new Date(day).getUTCDay();
    start = day - ((weekday + 6) % 7) * DAY;
    length = 7 * DAY;
    label = `week-${new Date(start).toISOString().slice(0, 10)}`;
  }
  const end = start + length;
  return { label, start: new Date(start).toISOString(), end: new Date(end).toISOString(), endInclusive: false, closed: end <= now.getTime() };
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
export function servingMetrics(db: Database, model: string, w: Pick<Window, 'start' | 'end' | 'endInclusive'>): ServingMetrics {
  const rows = db
    .prepare(`SELECT status, latency_ms AS ms FROM prediction_requests WHERE model_name = ? AND at >= ? AND at ${w.endInclusive ? '<=' : '<'} ? ORDER BY latency_ms`)
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

interface LogRow {
  id: number;
  at: string;
  input_json: string;
  output_json: string | null;
  label_json: string | null;
}

/** The window file's text: inputs in the order they first appear, then the prediction and the target. */
function windowCsv(rows: readonly LogRow[], predictionCol: string, targetCol: string): { csv: string; hasPrediction: boolean; hasTarget: boolean } {
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
  const header = [...keys.map((k) => (reserved.has(k) ? `input.${k}` : k)), ...(hasPrediction ? [predictionCol] : []), ...(hasTarget ? [targetCol] : [])];
  const body = rows.map((_, i) => [...keys.map((k) => cellText(inputs[i]![k])), ...(hasPrediction ? [cellText(predictions[i])] : []), ...(hasTarget ? [cellText(labels[i])] : [])]);
  return { csv: stringify([header, ...body]), hasPrediction, hasTarget };
}

/** Classification, or regression when the labels are numbers of many values (the drift report's own type rule). */
async function windowPerformance(file: string, display: string, target: string, prediction: string): Promise<ModelPerformance | null> {
  const t = await readTable({ label: display, file, display, format: 'csv', expectHash: null });
  const ti = t.names.indexOf(target);
  const pi = t.names.indexOf(prediction);
  if (ti < 0 || pi < 0) return null;
  const tc = t.columns[ti]!;
  return inferType(tc, tc) === 'numeric' ? regression(tc, t.columns[pi]!) : classification(tc, t.columns[pi]!, null);
}

async function materialize(projectDir: string, db: Database, monitor: string, config: MonitorConfig, w: Window, rows: readonly LogRow[]): Promise<PredictionBatch> {
  const predictionCol = config.prediction ?? DEFAULT_PREDICTION;
  const targetCol = config.target ?? DEFAULT_TARGET;
  const { csv, hasPrediction, hasTarget } = windowCsv(rows, predictionCol, targetCol);
  const rel = `${MONITOR_BATCHES_DIR}/${monitor}/${w.label}.csv`;
  const abs = path.join(projectDir, ...rel.split('/'));
  // Rewritten only when the content changed, so an unchanged window keeps its hash and its file.
  if (!existsSync(abs) || readFileSync(abs, 'utf8') !== csv) {
    // A project made before these windows existed has no ignore line for them yet.
    ensureGitignore(projectDir);
    writeFileAtomic(abs, csv);
  }
  const performance = hasPrediction && hasTarget ? await windowPerformance(abs, rel, targetCol, predictionCol) : null;
  return {
    path: rel,
    abs,
    label: w.label,
    roles: { target: hasTarget ? targetCol : undefined, prediction: hasPrediction ? predictionCol : undefined },
    performance,
    serving: servingMetrics(db, config.predictions!.model, w),
  };
}

/** Every window of the monitor's prediction log, oldest first; the open one only when `includeOpen`. */
export async function predictionBatches(projectDir: string, db: Database, monitor: string, config: MonitorConfig, options: { now?: Date; includeOpen?: boolean } = {}): Promise<PredictionBatch[]> {
  const source = config.predictions!;
  const now = options.now ?? new Date();
  const windowOf = windowing(source.window, now);
  // Record windows follow the order predictions were logged (rowid); time windows follow their time.
  const order = typeof source.window === 'number' ? 'id' : 'at, id';
  const all = db.prepare(`SELECT id, at, input_json, output_json, label_json FROM predictions WHERE model_name = ? ORDER BY ${order}`).all(source.model) as LogRow[];
  // Grouped by label rather than by runs of rows: times written with different offsets sort apart as text.
  const groups = new Map<string, { window: Window; rows: LogRow[] }>();
  all.forEach((row, i) => {
    const w = windowOf(row, i, all);
    const g = groups.get(w.label);
    if (g) g.rows.push(row);
    else groups.set(w.label, { window: w, rows: [row] });
  });
  const windows = [...groups.values()].filter((g) => g.window.closed || options.includeOpen);
  if (typeof source.window !== 'number') windows.sort((a, b) => (a.window.start < b.window.start ? -1 : a.window.start > b.window.start ? 1 : 0));
  const out: PredictionBatch[] = [];
  for (const g of windows) out.push(await materialize(projectDir, db, monitor, config, g.window, g.rows));
  return out;
}

type Windowing = (row: LogRow, index: number, all: readonly LogRow[]) => Window;

function windowing(window: PredictionWindow, now: Date): Windowing {
  if (typeof window !== 'number') return (row) => timeWindow(row.at, window, now);
  // Records first..last of the log make a window; it closes once it holds N records. Its requests are
  // those between its first and last prediction.
  return (_row, index, all) => {
    const first = Math.floor(index / window) * window;
    const last = Math.min(first + window, all.length) - 1;
    return { label: `records-${first + 1}-${first + window}`, start: all[first]!.at, end: all[last]!.at, endInclusive: true, closed: last - first + 1 === window };
  };
}
