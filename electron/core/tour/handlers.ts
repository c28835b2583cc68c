// Runs in: main (core). The contract's `tour.*` handlers: where the guided tour was left.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { Workspace } from '../workspace/workspace';
import { readTourState, saveTourState } from './tour-state';

type TourHandlers = Pick<Handlers, Extract<keyof Handlers, `tour.${string}`>>;

export interface TourContext {
  project(): Workspace;
}

export function tourHandlers(ctx: TourContext): TourHandlers {
  return {
    'tour.get': () => readTourState(ctx.project().dir),
    'tour.save': ({ step, open }) => saveTourState(ctx.project().dir, { step, open }),
  };
}
