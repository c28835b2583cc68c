// Runs in: main (core). A monitor as the contract shows it: its config, the timeline of checked
// batches, and its alerts.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../../shared/contract/events';
import {
  monitorConfig,
  type MonitorAlert,
  type MonitorBatch,
  type MonitorConfig,
  type MonitorDetail,
} from '../../../../shared/contract/schemas';
import { fromWire } from '../../../../shared/contract/wire';

export interface MonitorRecord {
  id: number;
  name: string;
  kind: string;
  config: MonitorConfig;
  createdAt: string;
}

export function requireMonitor(db: Database, name: string): MonitorRecord {
  const row = db
    .prepare(`SELECT id, name, kind, config, created_at AS createdAt FROM monitors WHERE name = ?`)
    .get(name) as { id: number; name: string; kind: string; config: string; createdAt: string } | undefined;
  if (!row) {
    const names = (db.prepare(`SELECT name FROM monitors ORDER BY name LIMIT 20`).all() as { name: string }[]).map(
      (r) => r.name,
    );
    throw new BenchtopError('NOT_FOUND', `There is no monitor named ${name}.`, {
      field: 'name',
      hint: names.length ? `Monitors: ${names.join(', ')}.` : 'Add one with `benchtop monitor add`.',
    });
  }
  const parsed = monitorConfig.safeParse(JSON.parse(row.config));
  if (!parsed.success)
    throw new BenchtopError(
      'BAD_FILE',
      `The settings of monitor ${name} are not ones this version of Benchtop reads.`,
      { field: 'name', hint: 'Delete the monitor and add it again.' },
    );
  return { id: row.id, name: row.name, kind: row.kind, config: parsed.data, createdAt: row.createdAt };
}

interface BatchRow {
  id: number;
  label: string;
  path: string;
  hash: string;
  checked_at: string;
  rows: number;
  drift_share: number;
  share_threshold: number;
  dataset_drift: number;
  drifted_columns: number;
  tested_columns: number;
  columns_json: string;
  performance_json: string | null;
  report_path: string | null;
  serving_json: string | null;
}

const BATCH_COLUMNS = `id, label, path, hash, checked_at, rows, drift_share, share_threshold, dataset_drift, drifted_columns, tested_columns, columns_json, performance_json, report_path, serving_json`;

function toBatch(r: BatchRow): MonitorBatch {
  return {
    id: r.id,
    label: r.label,
    path: r.path,
    hash: r.hash,
    checkedAt: r.checked_at,
    rows: r.rows,
    share: r.drift_share,
    shareThreshold: r.share_threshold,
    datasetDrift: r.dataset_drift === 1,
    drifted: r.drifted_columns,
    tested: r.tested_columns,
    // Wire JSON: a NaN score stays NaN.
    columns: fromWire(r.columns_json) as MonitorBatch['columns'],
    performance: r.performance_json === null ? null : (JSON.parse(r.performance_json) as MonitorBatch['performance']),
    report: r.report_path,
    serving: r.serving_json === null ? null : (JSON.parse(r.serving_json) as MonitorBatch['serving']),
  };
}

export function batchesOf(db: Database, monitorId: number, ids?: number[]): MonitorBatch[] {
  if (ids) {
    const one = db.prepare(`SELECT ${BATCH_COLUMNS} FROM monitor_batches WHERE id = ?`);
    return ids.map((id) => toBatch(one.get(id) as BatchRow));
  }
  return (
    db
      .prepare(`SELECT ${BATCH_COLUMNS} FROM monitor_batches WHERE monitor_id = ? ORDER BY id`)
      .all(monitorId) as BatchRow[]
  ).map(toBatch);
}

interface AlertRow {
  id: number;
  monitor: string;
  batchId: number | null;
  batch: string | null;
  rule: string;
  message: string;
  value: number | null;
  threshold: number | null;
  at: string;
  acknowledgedAt: string | null;
  runId: string | null;
}

const ALERT_SELECT = `SELECT a.id, m.name AS monitor, a.batch_id AS batchId, b.label AS batch, a.rule, a.message, a.value, a.threshold, a.at,
                             a.acknowledged_at AS acknowledgedAt, a.run_id AS runId
                        FROM monitor_alerts a JOIN monitors m ON m.id = a.monitor_id LEFT JOIN monitor_batches b ON b.id = a.batch_id`;

export function alertsWhere(db: Database, where: string, ...args: unknown[]): MonitorAlert[] {
  return db.prepare(`${ALERT_SELECT} ${where}`).all(...args) as AlertRow[];
}

export function getMonitor(db: Database, name: string): MonitorDetail {
  const m = requireMonitor(db, name);
  return {
    ...m,
    batches: batchesOf(db, m.id),
    alerts: alertsWhere(db, `WHERE a.monitor_id = ? ORDER BY a.id DESC`, m.id),
  };
}

/** The event that announces an alert, the same whether this process raised it or saw another's. */
export function alertEvent(a: MonitorAlert): BenchtopEvent {
  return {
    name: 'monitors.alert',
    payload: {
      id: a.id,
      monitor: a.monitor,
      rule: a.rule,
      message: a.message,
      batch: a.batch,
      at: a.at,
      runId: a.runId,
    },
  };
}
