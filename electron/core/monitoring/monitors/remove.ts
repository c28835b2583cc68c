// Runs in: main (core). Deleting a monitor (its batches and alerts go with it; the reports it wrote
// stay in reports/, they are the user's files now) and acknowledging alerts.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import type { MonitorAlert } from '../../../../shared/contract/schemas';
import { writeTransaction } from '../../store/database';
import { alertsWhere, requireMonitor } from './read';

export function deleteMonitor(db: Database, name: string): { deleted: boolean; batches: number; alerts: number } {
  const m = requireMonitor(db, name);
  return writeTransaction(db, () => {
    const batches = (
      db.prepare(`SELECT COUNT(*) AS n FROM monitor_batches WHERE monitor_id = ?`).get(m.id) as { n: number }
    ).n;
    const alerts = (
      db.prepare(`SELECT COUNT(*) AS n FROM monitor_alerts WHERE monitor_id = ?`).get(m.id) as { n: number }
    ).n;
    db.prepare(`DELETE FROM monitors WHERE id = ?`).run(m.id);
    return { deleted: true, batches, alerts };
  });
}

/** Alerts newest first: one monitor's, or every monitor's. */
export function listAlerts(db: Database, name?: string, open = false): MonitorAlert[] {
  const openOnly = open ? ' AND a.acknowledged_at IS NULL' : '';
  if (name === undefined) return alertsWhere(db, `WHERE 1 = 1${openOnly} ORDER BY a.id DESC LIMIT 1000`);
  const m = requireMonitor(db, name);
  return alertsWhere(db, `WHERE a.monitor_id = ?${openOnly} ORDER BY a.id DESC LIMIT 1000`, m.id);
}

export function acknowledgeAlert(db: Database, id: number): MonitorAlert {
  return writeTransaction(db, () => {
    const r = db
      .prepare(
        `UPDATE monitor_alerts SET acknowledged_at = COALESCE(acknowledged_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE id = ?`,
      )
      .run(id);
    if (r.changes === 0)
      throw new BenchtopError('NOT_FOUND', `There is no alert ${id}.`, {
        field: 'id',
        hint: 'See the alerts with monitors.alerts.',
      });
    return alertsWhere(db, `WHERE a.id = ?`, id)[0]!;
  });
}
