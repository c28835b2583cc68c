// Runs in: main (core). Checking a monitor: every batch not yet checked with its current content gets
// a drift report against the reference (and its HTML file in reports/), is recorded, and the rules are
// evaluated on the timeline; alerts are recorded and, when a rule asks, start the pipeline through a
// callback (so this module does not depend on who runs pipelines).
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import type {
  DriftReport,
  MonitorAlert,
  MonitorBatch,
  MonitorCheckResult,
  ModelPerformance,
} from '../../../../shared/contract/schemas';
import { toWire } from '../../../../shared/contract/wire';
import { writeDriftReport } from '../../reports/drift';
import { writeTransaction } from '../../store/database';
import { computeDriftReport, type DriftOptions } from '../drift';
import { batchFiles, hashFile } from './batches';
import {
  predictionBatches,
  type PredictionBatch,
  type PredictionBatchOptions,
  type PredictionBatches,
} from './prediction-batches';
import { alertsWhere, batchesOf, requireMonitor } from './read';
import { evaluateRule, parseRule, type BatchFacts } from './rules';

export interface CheckOptions {
  /** Starts the pipeline with this reason (recorded as `triggered: <reason>`); returns the run id. */
  retrain?: (reason: string) => Promise<string>;
  /** Told of each alert once it is recorded (the app shows a notification). */
  onAlert?: (alert: MonitorAlert) => void;
  project?: string;
  /** Passed to the drift report (worker bundle, time). */
  drift?: Pick<DriftOptions, 'workerFile' | 'now'>;
  /** Prediction-log monitors: the time that decides which windows are closed, whether the open one is checked too, and what was read. */
  predictions?: PredictionBatchOptions;
}

const running = new WeakMap<Database, Set<number>>();

export function performanceSummary(p: ModelPerformance): NonNullable<MonitorBatch['performance']> {
  if (p.kind === 'regression')
    return { kind: 'regression', metrics: { mae: p.mae, rmse: p.rmse, mape: p.mape, r2: p.r2 } };
  return {
    kind: 'classification',
    metrics: {
      accuracy: p.accuracy,
      precision: p.macro.precision,
      recall: p.macro.recall,
      f1: p.macro.f1,
      roc_auc: p.rocAuc,
    },
  };
}

function facts(b: MonitorBatch): BatchFacts {
  return {
    label: b.label,
    share: b.share,
    datasetDrift: b.datasetDrift,
    driftedColumns: b.drifted,
    columns: b.columns,
    performance: b.performance?.metrics ?? null,
    serving: b.serving ?? null,
  };
}

/** A non-finite metric is stored as null: SQLite and JSON keep no NaN. */
const finite = (m: Record<string, number | null>): Record<string, number | null> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v !== null && Number.isFinite(v) ? v : null]));

export async function checkMonitor(
  projectDir: string,
  db: Database,
  name: string,
  options: CheckOptions = {},
): Promise<MonitorCheckResult> {
  const monitor = requireMonitor(db, name);
  const busy = running.get(db) ?? new Set<number>();
  running.set(db, busy);
  if (busy.has(monitor.id))
    throw new BenchtopError('BUSY', `Monitor ${name} is being checked already.`, {
      field: 'name',
      hint: 'Wait for that check to finish.',
    });
  busy.add(monitor.id);
  try {
    return await runCheck(projectDir, db, monitor, options);
  } finally {
    busy.delete(monitor.id);
  }
}

async function runCheck(
  projectDir: string,
  db: Database,
  monitor: ReturnType<typeof requireMonitor>,
  options: CheckOptions,
): Promise<MonitorCheckResult> {
  const { config } = monitor;
  const rules = config.rules.map((r, i) => parseRule(r, `rules.${i}`));
  const seen = db.prepare(`SELECT 1 FROM monitor_batches WHERE monitor_id = ? AND path = ? AND hash = ?`);
  const newBatchIds: number[] = [];
  const alertIds: number[] = [];
  const failed: MonitorCheckResult['failed'] = [];
  // A prediction log's windows recorded with their current content are not even read: they count as unchanged.
  const log: PredictionBatches | null = config.predictions
    ? await predictionBatches(projectDir, db, monitor, config, options.predictions)
    : null;
  let unchanged = log?.skipped ?? 0;
  /** Batch path → the content hash recorded for it, so the log's scan knows which windows are done. */
  const recordedHashes = new Map<string, string>();

  const files: (ReturnType<typeof batchFiles>[number] | PredictionBatch)[] = log
    ? log.batches
    : batchFiles(projectDir, config);
  for (const file of files) {
    // The reference may sit beside the batches; it is not one of them.
    if (file.path === config.reference) continue;
    const hash = await hashFile(file.abs);
    if (seen.get(monitor.id, file.path, hash)) {
      unchanged++;
      recordedHashes.set(file.path, hash);
      continue;
    }
    const request = {
      reference: config.reference,
      current: file.path,
      columns: config.columns,
      exclude: config.exclude,
      shareThreshold: config.shareThreshold,
      ...(config.target !== undefined ? { target: config.target } : {}),
      ...(config.prediction !== undefined ? { prediction: config.prediction } : {}),
      ...(config.score !== undefined ? { score: config.score } : {}),
      ...(config.id !== undefined ? { id: config.id } : {}),
      ...(config.timestamp !== undefined ? { timestamp: config.timestamp } : {}),
    };
    // A prediction window names the target and prediction only when it has them (labels may not have arrived).
    if ('roles' in file) Object.assign(request, file.roles);
    let report: DriftReport;
    try {
      report = await computeDriftReport(projectDir, db, request, options.drift ?? {});
    } catch (err) {
      // A batch that cannot be read (empty, broken) must not stop the ones after it; it is not
      // recorded, so it is tried again once the file changes or on the next check.
      // A problem with the reference would fail every batch: that stops the check.
      if (!(err instanceof BenchtopError) || err.field === 'reference') throw err;
      failed.push({
        label: file.label,
        path: file.path,
        message: err.hint ? `${err.message} ${err.hint}` : err.message,
      });
      continue;
    }
    const written = await writeDriftReport(projectDir, report, {
      format: 'html',
      title: `Monitor ${monitor.name}: ${file.label}`,
      ...(options.project ? { project: options.project } : {}),
    });
    const columns = report.columns
      .filter((c) => c.test !== null)
      .map((c) => ({
        name: c.name,
        test: c.test,
        scoreKind: c.scoreKind,
        score: c.score,
        threshold: c.threshold,
        drifted: c.drifted,
      }));
    const measured = report.performance?.current ?? ('performance' in file ? file.performance : null);
    const performance = measured ? performanceSummary(measured) : null;

    const recordedHash = report.current.hash ?? hash;
    const recorded = writeTransaction(db, () => {
      // Another process (the CLI beside the app) may have checked the same content meanwhile.
      if (seen.get(monitor.id, file.path, recordedHash)) return false;
      const batchId = Number(
        db
          .prepare(
            `INSERT INTO monitor_batches (monitor_id, label, path, hash, rows, drift_share, share_threshold, dataset_drift, drifted_columns, tested_columns, columns_json, performance_json, report_path)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            monitor.id,
            file.label,
            file.path,
            // What the report read, should the file have changed since it was hashed.
            recordedHash,
            report.current.rows,
            report.summary.share,
            report.summary.shareThreshold,
            report.summary.datasetDrift ? 1 : 0,
            report.summary.drifted,
            report.summary.tested,
            toWire(columns),
            performance ? JSON.stringify({ kind: performance.kind, metrics: finite(performance.metrics) }) : null,
            written.path,
          ).lastInsertRowid,
      );
      newBatchIds.push(batchId);
      if ('serving' in file)
        db.prepare(`UPDATE monitor_batches SET serving_json = ? WHERE id = ?`).run(
          JSON.stringify(file.serving),
          batchId,
        );
      // Rules read the timeline as it now stands: "for N" means the N newest batches.
      const history = batchesOf(db, monitor.id).map(facts);
      const insertAlert = db.prepare(
        `INSERT INTO monitor_alerts (monitor_id, batch_id, rule, message, value, threshold) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      for (const rule of rules) {
        const fired = evaluateRule(rule, history);
        if (fired)
          alertIds.push(
            Number(
              insertAlert.run(monitor.id, batchId, rule.text, fired.message, fired.value, fired.threshold)
                .lastInsertRowid,
            ),
          );
      }
      return true;
    });
    if (!recorded) unchanged++;
    recordedHashes.set(file.path, recordedHash);
  }
  log?.settle(recordedHashes);

  if (newBatchIds.length) {
    const batches = batchesOf(db, monitor.id, newBatchIds);
    const status = alertIds.length ? 'alert' : batches.some((b) => b.datasetDrift) ? 'warning' : 'ok';
    writeTransaction(db, () =>
      db
        .prepare(`INSERT INTO monitor_checks (monitor_id, status, summary) VALUES (?, ?, ?)`)
        .run(monitor.id, status, JSON.stringify({ batches: newBatchIds.length, alerts: alertIds.length, unchanged })),
    );
  }

  let runId: string | null = null;
  let retrainError: string | null = null;
  const alertsNow = (): MonitorAlert[] => alertIds.map((id) => alertsWhere(db, `WHERE a.id = ?`, id)[0]!);
  const retraining = alertsNow().filter((a) => config.retrain || rules.find((r) => r.text === a.rule)?.retrain);
  if (retraining.length && options.retrain) {
    // One run answers every alert of this check: the pipeline runs one at a time per project.
    const first = retraining[0]!;
    const reason =
      `monitor ${monitor.name} alert ${first.id}: ${first.rule} (${first.message})${retraining.length > 1 ? ` and ${retraining.length - 1} more` : ''}`.slice(
        0,
        500,
      );
    try {
      runId = await options.retrain(reason);
      const ids = retraining.map((a) => a.id);
      writeTransaction(db, () => {
        const set = db.prepare(`UPDATE monitor_alerts SET run_id = ? WHERE id = ?`);
        for (const id of ids) set.run(runId, id);
      });
    } catch (err) {
      retrainError =
        err instanceof BenchtopError && err.hint
          ? `${err.message} ${err.hint}`
          : err instanceof Error
            ? err.message
            : String(err);
    }
  } else if (retraining.length) {
    retrainError = 'Nothing here can start the pipeline.';
  }
  const alerts = alertsNow();
  for (const a of alerts) options.onAlert?.(a);
  return {
    monitor: monitor.name,
    batches: batchesOf(db, monitor.id, newBatchIds),
    unchanged,
    failed,
    alerts,
    runId,
    retrainError,
  };
}
