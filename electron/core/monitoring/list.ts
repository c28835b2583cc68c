// Runs in: main (core). Monitors and their latest check for the Monitoring section.
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { monitorsList } from '../../../shared/contract/schemas';

type MonitorsList = z.infer<typeof monitorsList>;

export function listMonitors(db: Database): MonitorsList {
  const monitors = db
    .prepare(
      `SELECT m.id, m.name, m.kind,
              COALESCE((SELECT status FROM monitor_checks c WHERE c.monitor_id = m.id ORDER BY ran_at DESC, id DESC LIMIT 1), 'never-run') AS lastStatus,
              (SELECT MAX(ran_at) FROM monitor_checks c WHERE c.monitor_id = m.id) AS lastRunAt
         FROM monitors m ORDER BY m.name`,
    )
    .all() as MonitorsList['monitors'];
  return { monitors };
}
