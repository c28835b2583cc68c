// Runs in: main (core). Version 22: what travels with the project through git (core/sync/). Each
// record is a file in the tree of `refs/benchtop/records`; `record_dirty` lists the records whose
// rows changed since they were last written there. Triggers fill it, so no writer anywhere can
// forget to, and a killed process leaves its changes listed for the next one to write.
//
// Rows that exist on several machines need an id that is the same everywhere: model versions,
// alias moves, monitor batches, alerts and checks get a random `uid`. A version also keeps the
// number it was registered as (`registered_as`): when two machines both registered `churn/3`, one
// of them is shown under another number after a pull, and this says which it was. Monitors and
// their batches, alerts and checks keep `seq`, their row number where they were made: a clone
// rebuilds them in that order, so it numbers and lists them as the original does.
import type { Migration } from './types';

const UID = `lower(hex(randomblob(8)))`;

/** The record path of a run; experiments and monitors are named in hex (any text can name them). */
const RUN = (id: string) => `'runs/' || ${id} || '.json'`;
const MODEL = (name: string) => `'models/' || ${name} || '/model.json'`;
const VERSION = (name: string, uid: string) => `'models/' || ${name} || '/versions/' || ${uid} || '.json'`;
const ALIAS_MOVE = (name: string, uid: string) => `'models/' || ${name} || '/aliases/' || ${uid} || '.json'`;
const EXPERIMENT = (name: string) => `'experiments/' || hex(${name}) || '.json'`;
const MONITOR = (name: string) => `'monitors/' || hex(${name}) || '/monitor.json'`;
const MONITOR_PART = (part: string, name: string, uid: string) =>
  `'monitors/' || hex(${name}) || '/${part}/' || ${uid} || '.json'`;

/**
 * A record changed while a flush was writing it (it claimed the row) is listed again: the flush
 * then leaves its row for the next one. A row already listed and unclaimed is not written again.
 */
const UNCLAIM = 'ON CONFLICT (path) DO UPDATE SET claim = NULL WHERE claim IS NOT NULL';

/** Three triggers (insert, update, delete) that list `path` (an SQL expression over NEW/OLD) as dirty. */
function dirtyTriggers(table: string, path: (row: 'NEW' | 'OLD') => string, from = ''): string {
  const mark = (row: 'NEW' | 'OLD') =>
    from
      ? `INSERT INTO record_dirty (path) SELECT ${path(row).replaceAll('ROW', row)} ${from.replaceAll('ROW', row)} ${UNCLAIM};`
      : `INSERT INTO record_dirty (path) SELECT ${path(row)} WHERE ${path(row)} IS NOT NULL ${UNCLAIM};`;
  return `
    CREATE TRIGGER ${table}_dirty_insert AFTER INSERT ON ${table} BEGIN ${mark('NEW')} END;
    CREATE TRIGGER ${table}_dirty_update AFTER UPDATE ON ${table} BEGIN ${mark('OLD')} ${mark('NEW')} END;
    CREATE TRIGGER ${table}_dirty_delete AFTER DELETE ON ${table} BEGIN ${mark('OLD')} END;`;
}

export const migration0022: Migration = {
  version: 22,
  name: 'sync-records',
  up(db) {
    db.exec(`
      ALTER TABLE model_versions ADD COLUMN uid TEXT;
      ALTER TABLE model_versions ADD COLUMN registered_as INTEGER;
      ALTER TABLE model_alias_log ADD COLUMN uid TEXT;
      ALTER TABLE monitor_batches ADD COLUMN uid TEXT;
      ALTER TABLE monitor_alerts ADD COLUMN uid TEXT;
      ALTER TABLE monitor_checks ADD COLUMN uid TEXT;
      ALTER TABLE monitors ADD COLUMN seq INTEGER;
      ALTER TABLE monitor_batches ADD COLUMN seq INTEGER;
      ALTER TABLE monitor_alerts ADD COLUMN seq INTEGER;
      ALTER TABLE monitor_checks ADD COLUMN seq INTEGER;
      UPDATE monitors SET seq = id;
      UPDATE monitor_batches SET seq = id;
      UPDATE monitor_alerts SET seq = id;
      UPDATE monitor_checks SET seq = id;
      UPDATE model_versions SET uid = ${UID}, registered_as = version;
      UPDATE model_alias_log SET uid = ${UID};
      UPDATE monitor_batches SET uid = ${UID};
      UPDATE monitor_alerts SET uid = ${UID};
      UPDATE monitor_checks SET uid = ${UID};
      CREATE UNIQUE INDEX model_versions_by_uid ON model_versions (uid);
      CREATE UNIQUE INDEX model_alias_log_by_uid ON model_alias_log (uid);
      CREATE UNIQUE INDEX monitor_batches_by_uid ON monitor_batches (uid);
      CREATE UNIQUE INDEX monitor_alerts_by_uid ON monitor_alerts (uid);
      CREATE UNIQUE INDEX monitor_checks_by_uid ON monitor_checks (uid);

      -- Rows written without a uid (every writer but a pull) get one at once.
      CREATE TRIGGER model_versions_uid AFTER INSERT ON model_versions WHEN NEW.uid IS NULL BEGIN
        UPDATE model_versions SET uid = ${UID}, registered_as = coalesce(NEW.registered_as, NEW.version) WHERE rowid = NEW.rowid;
      END;
      CREATE TRIGGER model_alias_log_uid AFTER INSERT ON model_alias_log WHEN NEW.uid IS NULL BEGIN
        UPDATE model_alias_log SET uid = ${UID} WHERE id = NEW.id;
      END;
      CREATE TRIGGER monitor_batches_uid AFTER INSERT ON monitor_batches WHEN NEW.uid IS NULL BEGIN
        UPDATE monitor_batches SET uid = ${UID}, seq = coalesce(NEW.seq, NEW.id) WHERE id = NEW.id;
      END;
      CREATE TRIGGER monitor_alerts_uid AFTER INSERT ON monitor_alerts WHEN NEW.uid IS NULL BEGIN
        UPDATE monitor_alerts SET uid = ${UID}, seq = coalesce(NEW.seq, NEW.id) WHERE id = NEW.id;
      END;
      CREATE TRIGGER monitor_checks_uid AFTER INSERT ON monitor_checks WHEN NEW.uid IS NULL BEGIN
        UPDATE monitor_checks SET uid = ${UID}, seq = coalesce(NEW.seq, NEW.id) WHERE id = NEW.id;
      END;

      -- claim: set by the flush writing the record (core/sync/records-store.ts).
      CREATE TRIGGER monitors_seq AFTER INSERT ON monitors WHEN NEW.seq IS NULL BEGIN
        UPDATE monitors SET seq = NEW.id WHERE id = NEW.id;
      END;

      CREATE TABLE record_dirty (path TEXT PRIMARY KEY, claim TEXT) STRICT, WITHOUT ROWID;
      -- 'commit': the records commit the database holds (everything up to it is in the tables).
      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      ${dirtyTriggers('runs', (r) => RUN(`${r}.id`))}
      ${dirtyTriggers('run_params', (r) => RUN(`${r}.run_id`))}
      ${dirtyTriggers('run_tags', (r) => RUN(`${r}.run_id`))}
      ${dirtyTriggers('run_stages', (r) => RUN(`${r}.run_id`))}
      ${dirtyTriggers('run_artifacts', (r) => RUN(`${r}.run_id`))}
      ${dirtyTriggers('run_inputs', (r) => RUN(`${r}.run_id`))}
      CREATE TRIGGER run_metrics_dirty_insert AFTER INSERT ON run_metrics BEGIN
        INSERT INTO record_dirty (path) VALUES (${RUN('NEW.run_id')}) ${UNCLAIM};
      END;
      ${dirtyTriggers('experiments', (r) => EXPERIMENT(`${r}.name`))}
      ${dirtyTriggers('registered_models', (r) => MODEL(`${r}.name`))}
      ${dirtyTriggers('model_versions', (r) => VERSION(`${r}.model_name`, `${r}.uid`))}
      ${dirtyTriggers(
        'model_version_tags',
        () => VERSION('v.model_name', 'v.uid'),
        'FROM model_versions v WHERE v.model_name = ROW.model_name AND v.version = ROW.version AND v.uid IS NOT NULL',
      )}
      ${dirtyTriggers('model_alias_log', (r) => ALIAS_MOVE(`${r}.model_name`, `${r}.uid`))}
      ${dirtyTriggers('monitors', (r) => MONITOR(`${r}.name`))}
      -- Removing a monitor removes its batches, alerts and checks in the same statement, when the
      -- monitor's name can no longer be looked up from them: they are listed before it goes.
      CREATE TRIGGER monitors_dirty_parts BEFORE DELETE ON monitors BEGIN
        ${['batches:monitor_batches', 'alerts:monitor_alerts', 'checks:monitor_checks']
          .map((pair) => {
            const [part, table] = pair.split(':') as [string, string];
            return `INSERT INTO record_dirty (path) SELECT ${MONITOR_PART(part, 'OLD.name', 'uid')} FROM ${table} WHERE monitor_id = OLD.id AND uid IS NOT NULL ${UNCLAIM};`;
          })
          .join('\n        ')}
      END;
      ${dirtyTriggers(
        'monitor_batches',
        () => MONITOR_PART('batches', 'm.name', 'ROW.uid'),
        'FROM monitors m WHERE m.id = ROW.monitor_id AND ROW.uid IS NOT NULL',
      )}
      ${dirtyTriggers(
        'monitor_alerts',
        () => MONITOR_PART('alerts', 'm.name', 'ROW.uid'),
        'FROM monitors m WHERE m.id = ROW.monitor_id AND ROW.uid IS NOT NULL',
      )}
      ${dirtyTriggers(
        'monitor_checks',
        () => MONITOR_PART('checks', 'm.name', 'ROW.uid'),
        'FROM monitors m WHERE m.id = ROW.monitor_id AND ROW.uid IS NOT NULL',
      )}

      -- What exists today is written at the next flush.
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${RUN('id')} FROM runs;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${EXPERIMENT('name')} FROM experiments;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${MODEL('name')} FROM registered_models;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${VERSION('model_name', 'uid')} FROM model_versions;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${ALIAS_MOVE('model_name', 'uid')} FROM model_alias_log;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${MONITOR('name')} FROM monitors;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${MONITOR_PART('batches', 'm.name', 'b.uid')} FROM monitor_batches b JOIN monitors m ON m.id = b.monitor_id;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${MONITOR_PART('alerts', 'm.name', 'a.uid')} FROM monitor_alerts a JOIN monitors m ON m.id = a.monitor_id;
      INSERT OR IGNORE INTO record_dirty (path) SELECT ${MONITOR_PART('checks', 'm.name', 'c.uid')} FROM monitor_checks c JOIN monitors m ON m.id = c.monitor_id;
    `);
  },
};
