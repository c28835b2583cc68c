// Runs in: renderer. The guided tour's state: whether its panel is open and which step shows
// (remembered per project through tour.get/tour.save), and the project snapshot its progress is
// derived from, reloaded when the project announces a change.
import { create } from 'zustand';
import { BenchtopError } from '../../../shared/contract';
import { api } from '../api/client';
import { toastError } from '../store/app-store';
import { DEMO } from './demo-names';
import { EMPTY_SNAPSHOT, STEP_IDS, type TourSnapshot } from './progress';

interface TourState {
  open: boolean;
  step: number;
  /** The project path the state was loaded for (a switch reloads it). */
  loadedFor: string | null;
  snapshot: TourSnapshot;
  setOpen(open: boolean): void;
  setStep(step: number): void;
  /** Reads the stored place; a demo project where the tour never started opens it. */
  load(projectPath: string, isDemo: boolean): Promise<void>;
  refresh(): Promise<void>;
}

/** A read that answers null when the thing does not exist (yet): a missing model or monitor is asked for only when listed, since a NOT_FOUND answer is an HTTP 404 that the browser logs as an error. */
async function ifListed<T>(listed: boolean, read: () => Promise<T>): Promise<T | null> {
  if (!listed) return null;
  try {
    return await read();
  } catch (err) {
    // Deleted between the list and the read.
    if (err instanceof BenchtopError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

export async function readSnapshot(): Promise<TourSnapshot> {
  const [models, monitors] = await Promise.all([api.call('models.list', {}), api.call('monitors.list', {})]);
  const [tracked, files, runs, pipelineRuns, model, deployments, monitor, sweep] = await Promise.all([
    api.call('data.tracked', {}),
    api.call('data.list', {}),
    api.call('runs.search', { limit: 500 }),
    api.call('pipelines.runs', { limit: 100 }),
    ifListed(
      models.models.some((m) => m.name === DEMO.model),
      () => api.call('models.get', { name: DEMO.model }),
    ),
    api.call('deployments.list', {}),
    ifListed(
      monitors.monitors.some((m) => m.name === DEMO.monitor),
      () => api.call('monitors.get', { name: DEMO.monitor }),
    ),
    api.call('pipelines.sweepStatus', {}),
  ]);
  return {
    tracked: tracked.items,
    dataFiles: files.files.map((f) => f.path),
    runs: runs.runs,
    pipelineRuns: pipelineRuns.runs,
    model,
    deployments: deployments.deployments,
    monitor,
    sweep,
  };
}

let saveQueue: Promise<unknown> = Promise.resolve();
function save(change: { step?: number; open?: boolean }): void {
  // In order, so the last click is what is stored.
  saveQueue = saveQueue
    .then(() => api.call('tour.save', change))
    .catch((err: unknown) => toastError('The tour could not remember where you are', err));
}

let refreshing: Promise<void> | null = null;
let again = false;

export const useTour = create<TourState>((set, get) => ({
  open: false,
  step: 0,
  loadedFor: null,
  snapshot: EMPTY_SNAPSHOT,
  setOpen: (open) => {
    set({ open });
    save({ open });
    if (open) void get().refresh();
  },
  setStep: (step) => {
    const s = Math.max(0, Math.min(STEP_IDS.length - 1, step));
    set({ step: s });
    save({ step: s });
  },
  load: async (projectPath, isDemo) => {
    set({ loadedFor: projectPath, snapshot: EMPTY_SNAPSHOT, open: false, step: 0 });
    const stored = await api.call('tour.get', {});
    if (get().loadedFor !== projectPath) return;
    const step = Math.min(stored.step, STEP_IDS.length - 1);
    if (!stored.started && isDemo) {
      set({ open: true, step });
      save({ open: true });
    } else set({ open: stored.open, step });
    await get().refresh();
  },
  refresh: async () => {
    // One read at a time; changes during a read ask for one more afterwards.
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        const path = get().loadedFor;
        try {
          const snapshot = await readSnapshot();
          if (get().loadedFor === path) set({ snapshot });
        } catch (err) {
          if (!(err instanceof BenchtopError && err.code === 'NO_PROJECT'))
            toastError('The tour could not read the project', err);
        }
      } while (again);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  },
}));
