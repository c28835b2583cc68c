import { describe, expect, it } from 'vitest';
import type { MonitorBatch } from '../../../shared/contract';
import { timelineOptions } from '../../../renderer/src/sections/monitoring/timeline-options';

const batch = (label: string, over: Partial<MonitorBatch> = {}): MonitorBatch => ({
  id: 1,
  label,
  path: `w/${label}.csv`,
  hash: 'a'.repeat(64),
  checkedAt: '2026-11-30T00:00:00Z',
  rows: 10,
  share: 0.5,
  shareThreshold: 0.5,
  datasetDrift: true,
  drifted: 1,
  tested: 2,
  columns: [{ name: 'age', test: 'ks', scoreKind: 'p_value', score: Number.NaN, threshold: 0.05, drifted: false }],
  performance: null,
  report: null,
  ...over,
});

type Series = { name: string; data: (number | null)[] }[];

describe('timelineOptions', () => {
  it('draws the endpoint figures only for windows of a prediction log, with gaps where a window had no requests', () => {
    const files = timelineOptions([batch('w1'), batch('w2')]);
    expect(files.hasServing).toBe(false);
    const serving = { requests: 4, errors: 1, error_rate: 0.25, latency_p50: 3, latency_p95: 9.5, latency_p99: 9.9 };
    const logs = timelineOptions([
      batch('2026-11-28', { serving }),
      batch('2026-11-29', {
        serving: {
          ...serving,
          requests: 0,
          errors: 0,
          error_rate: null,
          latency_p50: null,
          latency_p95: null,
          latency_p99: null,
        },
      }),
    ]);
    expect(logs.hasServing).toBe(true);
    expect((logs.latency.series as Series).map((s) => [s.name, s.data])).toEqual([
      ['p50', [3, null]],
      ['p95', [9.5, null]],
      ['p99', [9.9, null]],
    ]);
    expect((logs.errors.series as Series)[0]!.data).toEqual([0.25, null]);
    // A NaN score is a gap, not a zero.
    expect((logs.scores.series as Series)[0]!.data).toEqual([null, null]);
  });
});
