import { describe, expect, it } from 'vitest';
import type { MonitorBatch } from '../../../shared/contract';
import { columnLineOption, timelineOptions } from '../../../renderer/src/sections/monitoring/timeline-options';

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
    expect((columnLineOption([batch('w1'), batch('w2')], 'age').series as Series)[0]!.data).toEqual([null, null]);
  });
});

type HeatItem = { value: [number, number, number | '-']; drifted: boolean; text: string };

describe('the monitor heatmap and column line', () => {
  const batches = [
    batch('w1', {
      columns: [
        { name: 'age', test: 'ks', scoreKind: 'p_value', score: 0.6, threshold: 0.05, drifted: false },
        { name: 'income', test: 'wasserstein', scoreKind: 'distance', score: 0.02, threshold: 0.1, drifted: false },
      ],
    }),
    batch('w2', {
      columns: [
        { name: 'age', test: 'ks', scoreKind: 'p_value', score: 1e-6, threshold: 0.05, drifted: true },
        { name: 'income', test: 'wasserstein', scoreKind: 'distance', score: 0.2, threshold: 0.1, drifted: true },
        { name: 'note', test: null, scoreKind: null, score: null, threshold: null, drifted: false },
      ],
    }),
    batch('w3', {
      columns: [
        { name: 'age', test: 'ks', scoreKind: 'p_value', score: Number.NaN, threshold: 0.05, drifted: false },
        { name: 'income', test: 'wasserstein', scoreKind: 'distance', score: 0.09, threshold: 0.1, drifted: false },
      ],
    }),
  ];

  it('has a cell per tested column and batch, coloured by severity against its own threshold, drifted cells marked', () => {
    const o = timelineOptions(batches);
    expect(o.columnNames).toEqual(['age', 'income']);
    const series = o.heatmap.series as {
      type: string;
      data: HeatItem[];
      label: { formatter: (p: unknown) => string };
    }[];
    expect(series[0]!.type).toBe('heatmap');
    const data = series[0]!.data;
    expect(data).toHaveLength(6);
    // The first column on top: y runs bottom-up.
    expect((o.heatmap.yAxis as { data: string[] }).data).toEqual(['income', 'age']);
    expect((o.heatmap.xAxis as { data: string[] }).data).toEqual(['w1', 'w2', 'w3']);
    const at = (x: number, name: string) =>
      data.find((d) => d.value[0] === x && d.value[1] === (name === 'age' ? 1 : 0))!;
    expect(at(1, 'age').drifted).toBe(true);
    expect(at(1, 'income').drifted).toBe(true);
    expect(at(0, 'age').drifted).toBe(false);
    // Drifted cells sit at or above the middle of the scale, the others below, whatever the test.
    expect(at(1, 'age').value[2]).toBeGreaterThanOrEqual(0.5);
    expect(at(1, 'income').value[2]).toBeGreaterThanOrEqual(0.5);
    expect(at(0, 'income').value[2]).toBeLessThan(0.5);
    // Just under the distance threshold is nearer the middle than far under it.
    expect(at(2, 'income').value[2] as number).toBeGreaterThan(at(0, 'income').value[2] as number);
    // A NaN score is an empty cell, not a colour.
    expect(at(2, 'age').value[2]).toBe('-');
    const formatter = series[0]!.label.formatter;
    expect(formatter({ data: at(1, 'age') })).toBe('×');
    expect(formatter({ data: at(0, 'age') })).toBe('');
    expect(at(1, 'age').text).toContain('ks p-value');
    expect(at(1, 'income').text).toMatch(/w2: DRIFT; wasserstein distance 0\.2/);
    const visual = o.heatmap.visualMap as { type: string; pieces: { min: number; max: number }[] };
    expect(visual.type).toBe('piecewise');
    expect(visual.pieces.map((p) => p.min)).toEqual([0, 0.25, 0.5, 0.75]);
  });

  it('draws one chosen column over the batches against its threshold', () => {
    const income = columnLineOption(batches, 'income');
    const series = income.series as { name: string; data: (number | null)[] }[];
    expect(series.map((s) => s.name)).toEqual(['income (wasserstein distance)', 'Threshold']);
    expect(series[0]!.data).toEqual([0.02, 0.2, 0.09]);
    expect(series[1]!.data).toEqual([0.1, 0.1, 0.1]);
    const age = columnLineOption(batches, 'age');
    expect((age.series as Series)[0]!.data).toEqual([0.6, 1e-6, null]);
    expect((age.series as Series)[0]!.name).toBe('age (ks p-value)');
  });
});
