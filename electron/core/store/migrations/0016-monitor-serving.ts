// Runs in: main (core). Version 16: a monitor that reads a model's prediction log records, per window,
// how the endpoint served it (requests, error rate, latency percentiles) beside drift and performance,
// so alert rules on latency and errors read the same timeline. Null for batches read from files.
import type { Migration } from './types';

export const migration0016: Migration = {
  version: 16,
  name: 'monitor-serving',
  up(db) {
    db.exec(`ALTER TABLE monitor_batches ADD COLUMN serving_json TEXT`);
  },
};
