// Runs in: main (core). Monitors and their latest check for the Monitoring section.
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { monitorsList } from '../../../shared/contract/schemas';

type MonitorsList = z.infer<typeof monitorsList>;

export function listMonitors(db: Database): MonitorsList {
  const rows = db
    .prepare(
      `SELECT m.id, m.name, m.kind, m.config,
              COALESCE((SELECT status FROM monitor_checks c WHERE c.monitor_id = m.id ORDER BY ran_at DESC, id DESC LIMIT 1), 'never-run') AS lastStatus,
              (SELECT MAX(ran_at) FROM monitor_checks c WHERE c.monitor_id = m.id) AS lastRunAt,
              (SELECT COUNT(*) FROM monitor_batches b WHERE b.monitor_id = m.id) AS batches,
              (SELECT COUNT(*) FROM monitor_alerts a WHERE a.monitor_id = m.id AND a.acknowledged_at IS NULL) AS openAlerts
         FROM monitors m ORDER BY m.name`,
    )
    .all() as (Omit<MonitorsList['monitors'][number], 'model'> & { config: string })[];
  return {
    monitors: rows.map(({ config, ...r }) => {
      let model: unknown = null;
      try {
        model = (JSON.parse(config) as { model?: unknown }).model;
      } catch {
        // A config this version cannot read names no model.
      }
      return { ...r, model: typeof model === 'string' ? model : null };
    }),
  };
}
