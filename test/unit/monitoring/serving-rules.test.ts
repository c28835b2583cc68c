import { describe, expect, it } from 'vitest';
import {
  evaluateRule,
  needsPerformance,
  needsServing,
  parseRule,
  type BatchFacts,
} from '../../../electron/core/monitoring/monitors/rules';
import type { ServingMetrics } from '../../../shared/contract/schemas';

const day = (label: string, serving: ServingMetrics | null | undefined): BatchFacts => ({
  label,
  share: 0,
  datasetDrift: false,
  driftedColumns: 0,
  columns: [],
  performance: null,
  serving,
});

describe('serving metrics in alert rules', () => {
  it('parse, and are told apart from drift and performance metrics', () => {
    for (const [text, metric] of [
      ['latency_p95 > 250', 'latency_p95'],
      ['LATENCY_P99>=1e3 for 2', 'latency_p99'],
      ['error_rate > 5%', 'error_rate'],
      ['requests < 10', 'requests'],
      ['latency_p50 != 0', 'latency_p50'],
    ] as const) {
      const rule = parseRule(text);
      expect(rule.condition).toMatchObject({ kind: 'metric', metric });
      expect(needsServing(rule)).toBe(true);
      expect(needsPerformance(rule)).toBe(false);
    }
    expect(parseRule('error_rate > 5%').condition).toMatchObject({ threshold: 0.05 });
    expect(needsServing(parseRule('accuracy < 0.8'))).toBe(false);
    expect(needsPerformance(parseRule('accuracy < 0.8'))).toBe(true);
    expect(needsServing(parseRule('drift_share >= 0.5'))).toBe(false);
    expect(() => parseRule('latency_p90 > 100')).toThrow(/not a metric Benchtop measures/);
  });

  it('read the window serving figures; a window without them (a file batch, no requests) never fires', () => {
    const slow = day('d2', {
      requests: 40,
      errors: 4,
      error_rate: 0.1,
      latency_p50: 20,
      latency_p95: 300,
      latency_p99: 900,
    });
    const quiet = day('d1', {
      requests: 0,
      errors: 0,
      error_rate: null,
      latency_p50: null,
      latency_p95: null,
      latency_p99: null,
    });
    expect(evaluateRule(parseRule('latency_p95 > 250'), [quiet, slow])).toMatchObject({
      value: 300,
      threshold: 250,
      message: 'latency_p95 is 300 (> 250) in d2',
    });
    expect(evaluateRule(parseRule('error_rate >= 0.1'), [slow])).toMatchObject({ value: 0.1 });
    expect(evaluateRule(parseRule('latency_p95 > 250 for 2'), [quiet, slow])).toBeNull();
    expect(evaluateRule(parseRule('error_rate > 0'), [slow, quiet])).toBeNull();
    expect(evaluateRule(parseRule('requests < 1'), [quiet])).toMatchObject({ value: 0 });
    expect(evaluateRule(parseRule('latency_p99 > 1'), [day('w1', undefined), day('w2', null)])).toBeNull();
  });
});
