// Runs in: CLI (Node). `--paper a4|letter`, shared by every command that writes a PDF; left out, the
// core prints on the paper of the user's locale.
import { type Paper, paperSize } from '../../shared/contract/reports';
import { UsageError } from './output';

export const PAPER_FLAGS = '--paper <size>';
export const PAPER_HELP =
  "the PDF's paper, a4 or letter (default: the locale's: Letter in the US, Canada, Mexico, the Philippines…, else A4)";

/** The paper named on the command line (any case), or nothing when not given. */
export function paperOption(given: string | undefined): { paper?: Paper } {
  if (given === undefined) return {};
  const parsed = paperSize.safeParse(given.toLowerCase());
  if (!parsed.success) throw new UsageError(`--paper must be a4 or letter, not "${given}".`);
  return { paper: parsed.data };
}
