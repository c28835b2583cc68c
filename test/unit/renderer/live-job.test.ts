import { describe, expect, it } from 'vitest';
import { liveStageState } from '../../../renderer/src/sections/pipelines/live-job';
import { useLiveRuns } from '../../../renderer/src/store/live-runs';

describe('liveStageState', () => {
  it("says a Slurm stage's own state: pending, running on its node, done, or how it ended", () => {
    const job = (state: string, node: string | null = null) => ({ id: '123', state, node });
    expect(liveStageState('running', undefined)).toBe('running');
    expect(liveStageState('running', job('PENDING'))).toBe('pending (job 123)');
    expect(liveStageState('running', job('RUNNING', 'gpu-07'))).toBe('running on gpu-07 (job 123)');
    expect(liveStageState('running', job('RUNNING'))).toBe('running (job 123)');
    expect(liveStageState('succeeded', job('COMPLETED', 'gpu-07'))).toBe('done (job 123)');
    expect(liveStageState('failed', job('TIMEOUT', 'gpu-07'))).toBe('failed: timeout (job 123)');
    expect(liveStageState('failed', job('OUT_OF_MEMORY'))).toBe('failed: out of memory (job 123)');
    // Completed, yet the stage failed (an output missing): the stage's word.
    expect(liveStageState('failed', job('COMPLETED'))).toBe('failed (job 123)');
    expect(liveStageState('cancelled', job('CANCELLED'))).toBe('cancelled (job 123)');
  });

  it('keeps the job a stage last reported when its end event carries none', () => {
    const store = useLiveRuns.getState();
    store.reset();
    const at = '2026-12-08T00:00:00Z';
    const job = { id: '7', state: 'RUNNING', node: 'n1' };
    store.apply({ name: 'stage.status', payload: { runId: 'r', stage: 's', status: 'running', reason: '', at, job } });
    store.apply({ name: 'stage.status', payload: { runId: 'r', stage: 's', status: 'succeeded', reason: '', at } });
    expect(useLiveRuns.getState().stages.s).toEqual({ status: 'succeeded', reason: '', job });
    // A new run starts clean.
    store.apply({ name: 'stage.status', payload: { runId: 'r2', stage: 's', status: 'running', reason: '', at } });
    expect(useLiveRuns.getState().stages.s).toEqual({ status: 'running', reason: '' });
  });
});
