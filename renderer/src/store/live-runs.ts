// Runs in: renderer. Live pipeline progress from core events: stage states and log lines per
// stage, for the run in progress (and the last one, until the next starts).
import { create } from 'zustand';
import type { BenchtopEvent, StageJob, StageRunStatus, SweepView } from '../../../shared/contract';

const MAX_LINES_PER_STAGE = 5000;

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

interface LiveRuns {
  runId: string | null;
  running: boolean;
  /** Each stage's status, and for a stage run as a Slurm job, the job's last known state. */
  stages: Record<string, { status: StageRunStatus; reason: string; job?: StageJob }>;
  logs: Record<string, LogLine[]>;
  /** Bumped when a run starts or ends, so views reload their history and plan. */
  epoch: number;
  /** The sweep in progress (or the last one), as its events describe it. */
  sweep: SweepView | null;
  apply(event: BenchtopEvent): void;
  reset(): void;
}

export const useLiveRuns = create<LiveRuns>((set) => ({
  runId: null,
  running: false,
  stages: {},
  logs: {},
  epoch: 0,
  sweep: null,
  apply: (event) =>
    set((s) => {
      if (event.name === 'sweep.changed') return { sweep: event.payload };
      // Sweep runs report through sweep.changed; they must not take over the live view.
      if (
        (event.name === 'run.status' || event.name === 'stage.status' || event.name === 'run.log') &&
        event.payload.sweep
      ) {
        return event.name === 'run.status' && event.payload.status !== 'running' ? { epoch: s.epoch + 1 } : {};
      }
      if (event.name === 'run.status') {
        const fresh = event.payload.runId !== s.runId;
        return {
          runId: event.payload.runId,
          running: event.payload.status === 'running',
          stages: fresh ? {} : s.stages,
          logs: fresh ? {} : s.logs,
          epoch: s.epoch + 1,
        };
      }
      if (event.name === 'stage.status') {
        const fresh = event.payload.runId !== s.runId;
        // The stage's later events (its end) say nothing of the job: the last state it had stays.
        const job = event.payload.job ?? (fresh ? undefined : s.stages[event.payload.stage]?.job);
        return {
          runId: event.payload.runId,
          stages: {
            ...(fresh ? {} : s.stages),
            [event.payload.stage]: {
              status: event.payload.status,
              reason: event.payload.reason,
              ...(job ? { job } : {}),
            },
          },
          logs: fresh ? {} : s.logs,
        };
      }
      if (event.name === 'run.log' && event.payload.runId === s.runId) {
        const prev = s.logs[event.payload.stage] ?? [];
        const next =
          prev.length >= MAX_LINES_PER_STAGE ? prev.slice(prev.length - MAX_LINES_PER_STAGE + 1) : prev.slice();
        next.push({ stream: event.payload.stream, line: event.payload.line });
        return { logs: { ...s.logs, [event.payload.stage]: next } };
      }
      return {};
    }),
  reset: () => set({ runId: null, running: false, stages: {}, logs: {}, sweep: null }),
}));
