// Runs in: main (core). A run's stage logs in full, as `benchtop logs` prints them: read from the
// run's log folder (not the database), so the logs of a run whose record is gone still print.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { LOGS_DIR } from '../util/layout';

export function readRunLogs(projectDir: string, runId: string, stage?: string): { stage: string; text: string }[] {
  // The id names a folder: anything but a plain id could reach outside the logs folder.
  const dir = path.join(projectDir, LOGS_DIR, runId);
  if (!/^[A-Za-z0-9_-]+$/.test(runId) || !existsSync(dir))
    throw new BenchtopError('NOT_FOUND', `There are no logs for run ${runId} in ${projectDir}.`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort();
  // Only names listed in the folder are read, so `stage` never builds a path itself.
  const chosen = stage ? files.filter((f) => f === `${stage}.log`) : files;
  if (stage && chosen.length === 0)
    throw new BenchtopError(
      'NOT_FOUND',
      `Run ${runId} has no log for stage ${stage} (it has: ${files.map((f) => f.slice(0, -4)).join(', ')}).`,
    );
  return chosen.map((f) => ({ stage: f.slice(0, -4), text: readFileSync(path.join(dir, f), 'utf8') }));
}
