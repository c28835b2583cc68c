import { describe, expect, it } from 'vitest';
import { stageWhere } from '../../../renderer/src/sections/experiments/stage-job';

describe('stageWhere', () => {
  it('says where a stage ran: here, or its Slurm job, node and queue wait', () => {
    expect(stageWhere(undefined)).toBe('here');
    expect(stageWhere({ id: '42', node: 'gpu-07', queueWaitMs: 2000 })).toBe('Slurm job 42 on gpu-07, waited 2 s');
    expect(stageWhere({ id: '42', node: 'gpu-07', queueWaitMs: 600_000 })).toBe(
      'Slurm job 42 on gpu-07, waited 10 min',
    );
    expect(stageWhere({ id: '43', node: null, queueWaitMs: null })).toBe('Slurm job 43');
  });
});
