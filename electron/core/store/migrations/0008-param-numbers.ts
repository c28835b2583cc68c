// Runs in: main (core). Version 8: params keep their value as a number too (when it reads as one),
// so numeric filters on params use an index instead of converting every row.
import type { Migration } from './types';

export const migration0008: Migration = {
  version: 8,
  name: 'param-numbers',
  up(db) {
    db.exec(`
      ALTER TABLE run_params ADD COLUMN num REAL;
      UPDATE run_params SET num = bt_num(value);
      CREATE TRIGGER run_params_num_insert AFTER INSERT ON run_params BEGIN
        UPDATE run_params SET num = bt_num(NEW.value) WHERE run_id = NEW.run_id AND key = NEW.key;
      END;
      CREATE TRIGGER run_params_num_update AFTER UPDATE OF value ON run_params BEGIN
        UPDATE run_params SET num = bt_num(NEW.value) WHERE run_id = NEW.run_id AND key = NEW.key;
      END;
      CREATE INDEX run_params_by_number ON run_params (key, num);
    `);
  },
};
