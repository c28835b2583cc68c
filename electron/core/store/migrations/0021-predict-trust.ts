// Runs in: main (core). Version 21: a model version imported from a bundle brings a predict command
// written by someone else, run through the shell when the version is served. `predict_trusted_at`
// records when someone here agreed to run it (`benchtop serve --trust`, or "Trust and deploy" in
// the app); until then an imported version is not served. Versions registered in this project run
// their own project's command and need no such record.
import type { Migration } from './types';

export const migration0021: Migration = {
  version: 21,
  name: 'predict-trust',
  up(db) {
    db.exec(`ALTER TABLE model_versions ADD COLUMN predict_trusted_at TEXT;`);
  },
};
