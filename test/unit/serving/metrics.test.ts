// The Prometheus exposition of an endpoint's counters: read back by a strict parser of the format,
// whatever was observed (property-based), with the histogram cumulative and consistent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EndpointMetrics, errorKind, escapeLabel, LATENCY_BUCKETS } from '../../../electron/core/serving/metrics';
import { parsePrometheus } from '../../support/prometheus';

describe('the endpoint metrics', () => {
  it('render text the strict parser accepts, with counts, buckets, sum and count matching what was observed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(200, 400, 401, 413, 422, 502, 503, 504),
            fc.double({ min: 0, max: 30, noNaN: true }),
            fc.nat(50),
          ),
          { maxLength: 200 },
        ),
        fc.string({ maxLength: 20 }),
        (observed, ref) => {
          const m = new EndpointMetrics();
          for (const [status, seconds, records] of observed) m.observe(status, seconds, records);
          const p = parsePrometheus(m.render({ model: 'churn', version: 3, ref }, { ready: 1, total: 2 }));
          for (const status of new Set(observed.map((o) => o[0]))) {
            expect(p.sample('benchtop_requests_total', { code: String(status) })).toBe(
              observed.filter((o) => o[0] === status).length,
            );
          }
          expect(p.sample('benchtop_request_duration_seconds_count', {})).toBe(observed.length);
          expect(p.sample('benchtop_request_duration_seconds_sum', {})).toBeCloseTo(
            observed.reduce((s, o) => s + o[1], 0),
            6,
          );
          for (const le of LATENCY_BUCKETS) {
            expect(p.sample('benchtop_request_duration_seconds_bucket', { le: String(le) })).toBe(
              observed.filter((o) => o[1] <= le).length,
            );
          }
          for (const kind of ['client', 'model', 'server'] as const) {
            expect(p.sample('benchtop_request_errors_total', { kind })).toBe(
              observed.filter((o) => errorKind(o[0]) === kind).length,
            );
          }
          expect(p.sample('benchtop_predictions_total', {})).toBe(observed.reduce((s, o) => s + o[2], 0));
          expect(p.sample('benchtop_model_version_info', { model: 'churn', version: '3', ref })).toBe(1);
        },
      ),
    );
  });

  it('escapes label values and classifies statuses', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect([200, 400, 401, 422, 500, 504].map(errorKind)).toEqual([
      null,
      'client',
      'client',
      'model',
      'server',
      'server',
    ]);
  });

  it('are refused by the parser when broken: a sample before its TYPE, buckets not cumulative, no +Inf', () => {
    expect(() => parsePrometheus('x_total 1\n')).toThrow(/no TYPE/);
    const hist = (buckets: string) => `# TYPE h histogram\n${buckets}h_sum 1\nh_count 2\n`;
    expect(() => parsePrometheus(hist('h_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\n'))).toThrow(
      /cumulative/,
    );
    expect(() => parsePrometheus(hist('h_bucket{le="1"} 1\nh_bucket{le="2"} 2\n'))).toThrow(/\+Inf/);
    expect(() => parsePrometheus(hist('h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 3\n'))).toThrow(/_count/);
    expect(() => parsePrometheus('# TYPE g gauge\ng{a="1} 1\n')).toThrow(/unterminated/);
    expect(() => parsePrometheus('# TYPE g gauge\ng 1')).toThrow(/newline/);
  });
});
