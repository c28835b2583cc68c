// Runs in: main (core). Where the guided tour was left in a project: the step the user is on and
// whether the panel is open, in .benchtop/tour.json. Which steps are done is not stored: the app
// derives it from the project itself (runs, aliases, deployments, alerts), so it cannot go stale.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TourState } from '../../../shared/contract/schemas';
import { writeFileAtomic } from '../util/atomic-write';
import { ensureGitignore } from '../workspace/gitignore';
import { TOUR_FILE } from '../util/layout';

const stored = z.object({ version: z.literal(1), step: z.number().int().min(0).max(100), open: z.boolean() });

/**
 * The stored state, or the starting one when there is none (`started: false`: the tour has never
 * been opened here, so a demo project opens it by default). A damaged file counts as never started
 * rather than failing the app: it only remembers a panel position.
 */
export function readTourState(projectDir: string): TourState {
  const file = path.join(projectDir, TOUR_FILE);
  if (!existsSync(file)) return { step: 0, open: false, started: false };
  try {
    const s = stored.parse(JSON.parse(readFileSync(file, 'utf8')));
    return { step: s.step, open: s.open, started: true };
  } catch {
    return { step: 0, open: false, started: false };
  }
}

export function saveTourState(
  projectDir: string,
  change: { step?: number | undefined; open?: boolean | undefined },
): TourState {
  const now = readTourState(projectDir);
  const next = { version: 1 as const, step: change.step ?? now.step, open: change.open ?? now.open };
  // Progress on this machine, not the project's history: kept out of git like the database.
  ensureGitignore(projectDir);
  writeFileAtomic(path.join(projectDir, TOUR_FILE), JSON.stringify(next) + '\n');
  return { step: next.step, open: next.open, started: true };
}
