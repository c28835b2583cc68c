// Runs in: main (core). Whether a model version's predict command may run. A version imported from
// a bundle carries a command someone else wrote, run through the shell on serve; it runs only once
// someone here has seen it and agreed (recorded per version). Versions registered in this project
// are trusted as they always were: their command is the project's own.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';

export interface PredictTrust {
  command: string | null;
  /** Imported from a bundle. */
  imported: boolean;
  trusted: boolean;
}

export function predictTrust(db: Database, name: string, version: number): PredictTrust {
  const row = db
    .prepare(
      'SELECT predict, source, predict_trusted_at AS trustedAt FROM model_versions WHERE model_name = ? AND version = ?',
    )
    .get(name, version) as { predict: string | null; source: string; trustedAt: string | null } | undefined;
  if (!row) return { command: null, imported: false, trusted: true };
  const imported = row.source === 'bundle';
  return { command: row.predict, imported, trusted: !imported || row.predict === null || row.trustedAt !== null };
}

/** Records that the version's command may run from now on. */
export function trustPredict(db: Database, name: string, version: number): void {
  db.prepare(
    'UPDATE model_versions SET predict_trusted_at = ? WHERE model_name = ? AND version = ? AND predict_trusted_at IS NULL',
  ).run(new Date().toISOString(), name, version);
}

/** The refusal to serve an imported command nobody has agreed to; says what it would run and how to agree. */
export function untrustedCommand(name: string, version: number, command: string): BenchtopError {
  return new BenchtopError(
    'UNTRUSTED_COMMAND',
    `${name} version ${version} was imported from a bundle, and serving it runs the command it brought: ${command}`,
    {
      field: 'trust',
      hint: `Review that command (and the model files it runs), then serve it with --trust (\`benchtop serve ${name}/${version} --trust\`) or choose "Trust and deploy" in the app; it is asked once per version.`,
    },
  );
}
