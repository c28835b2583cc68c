// Runs in: main (core). Checks a monitor's prediction-log source when it is added: the model must be
// known (registered, or with predictions logged), and a monitor reads either files or a log, not both.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import type { MonitorAddInput, PredictionSource } from '../../../../shared/contract/schemas';
import { requireLoggedModel } from '../../serving/prediction-table';

export function checkPredictionSource(
  db: Database,
  input: Pick<MonitorAddInput, 'name' | 'folder' | 'files'> & { predictions?: PredictionSource | undefined },
): PredictionSource {
  const source = input.predictions!;
  if (input.folder !== undefined || (input.files !== undefined && input.files.length > 0)) {
    throw new BenchtopError(
      'INVALID_INPUT',
      'A monitor reads its batches from files or from a prediction log, not both.',
      { field: 'predictions', hint: 'Give --predictions MODEL without --batches and --batch, or add two monitors.' },
    );
  }
  // Its windows are written under .benchtop/monitor-batches/<name>/; a name of dots would leave that folder.
  if (/^\.+$/.test(input.name))
    throw new BenchtopError('INVALID_INPUT', `"${input.name}" cannot name a monitor of a prediction log.`, {
      field: 'name',
      hint: 'Use letters or digits in the name.',
    });
  return { model: requireLoggedModel(db, source.model, 'predictions.model'), window: source.window };
}
