import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateRule,
  formatRule,
  parseRule,
  RULE_METRICS,
  type AlertRule,
  type BatchFacts,
} from '../../../electron/core/monitoring/monitors/rules';

const batch = (label: string, share: number, extra: Partial<BatchFacts> = {}): BatchFacts => ({
  label,
  share,
  datasetDrift: share >= 0.5,
  driftedColumns: Math.round(share * 4),
  columns: [],
  performance: null,
  ...extra,
});

describe('alert rules', () => {
  it('parse the documented forms to a canonical text', () => {
    expect(parseRule('drift_share >= 0.5 for 2')).toEqual({
      text: 'drift_share >= 0.5 for 2',
      condition: { kind: 'metric', metric: 'drift_share', op: '>=', threshold: 0.5 },
      times: 2,
      retrain: false,
    });
    expect(parseRule('  accuracy<0.85  ').text).toBe('accuracy < 0.85');
    expect(parseRule('ACCURACY = 85% for 3 batches retrain')).toMatchObject({
      text: 'accuracy == 0.85 for 3 retrain',
      times: 3,
      retrain: true,
    });
    expect(parseRule('column:income drifted').condition).toEqual({ kind: 'column', column: 'income' });
    expect(parseRule('column:"annual income" drifted for 2').text).toBe('column:"annual income" drifted for 2');
    expect(parseRule('dataset drifted retrain')).toMatchObject({
      condition: { kind: 'dataset' },
      retrain: true,
      times: 1,
    });
  });

  it('refuse what is not in the grammar, saying where', () => {
    for (const bad of [
      '',
      'drift_share',
      'drift_share >= ',
      'drift_share >= x',
      'loss > 1',
      'accuracy < 0.8 for',
      'accuracy < 0.8 for 0',
      'accuracy < 0.8 for two',
      'accuracy < 0.8 retrain retrain',
      'accuracy < 0.8 soon',
      'column: drifted',
      'dataset',
      'accuracy < 1e999',
    ]) {
      expect(() => parseRule(bad, 'rules.3'), bad).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', field: 'rules.3' }),
      );
    }
  });

  it('round-trip: parsing the canonical text gives the same rule', () => {
    const condition = fc.oneof(
      fc.record({
        kind: fc.constant('metric' as const),
        metric: fc.constantFrom(...RULE_METRICS),
        op: fc.constantFrom('<' as const, '<=' as const, '>' as const, '>=' as const, '==' as const, '!=' as const),
        threshold: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
      }),
      fc.record({
        kind: fc.constant('column' as const),
        column: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s.length > 0),
      }),
      fc.constant({ kind: 'dataset' as const }),
    );
    fc.assert(
      fc.property(condition, fc.integer({ min: 1, max: 1000 }), fc.boolean(), (c, times, retrain) => {
        const rule = {
          condition: c.kind === 'metric' && Object.is(c.threshold, -0) ? { ...c, threshold: 0 } : c,
          times,
          retrain,
        } as Omit<AlertRule, 'text'>;
        const text = formatRule(rule);
        expect(parseRule(text)).toEqual({ ...rule, text });
      }),
    );
  });

  it('fire only when the newest N batches all meet the condition', () => {
    const rule = parseRule('drift_share >= 0.5 for 2');
    expect(evaluateRule(rule, [batch('w1', 0.1), batch('w2', 0.75)])).toBeNull();
    expect(evaluateRule(rule, [batch('w1', 0.75)])).toBeNull();
    expect(evaluateRule(rule, [batch('w1', 0.6), batch('w2', 0.2), batch('w3', 0.75)])).toBeNull();
    expect(evaluateRule(rule, [batch('w1', 0.1), batch('w2', 0.5), batch('w3', 0.75)])).toEqual({
      holds: true,
      value: 0.75,
      threshold: 0.5,
      message: 'drift_share is 0.75 (>= 0.5) in 2 batches in a row (w2, w3)',
    });
  });

  it('fire a "for N" rule once when its streak reaches N, and again only after it breaks and reaches N anew', () => {
    const rule = parseRule('drift_share >= 0.5 for 2');
    const shares = [0.1, 0.6, 0.7, 0.8, 0.9, 0.2, 0.6, 0.1, 0.6, 0.7, 0.6];
    const history = shares.map((s, i) => batch(`w${i + 1}`, s));
    const firedAt = history.flatMap((b, i) => (evaluateRule(rule, history.slice(0, i + 1)) ? [b.label] : []));
    expect(firedAt).toEqual(['w3', 'w10']);
    // A streak from the very first batch fires when it reaches N.
    expect(evaluateRule(rule, [batch('w1', 0.6), batch('w2', 0.6)])).not.toBeNull();
    // Without "for", every batch that meets the condition fires.
    const each = parseRule('drift_share >= 0.5');
    expect(history.filter((_, i) => evaluateRule(each, history.slice(0, i + 1))).map((b) => b.label)).toEqual([
      'w2',
      'w3',
      'w4',
      'w5',
      'w7',
      'w9',
      'w10',
      'w11',
    ]);
  });

  it('never fire on a metric the batch does not have, and read columns by name', () => {
    expect(evaluateRule(parseRule('accuracy < 0.9'), [batch('w1', 0)])).toBeNull();
    expect(
      evaluateRule(parseRule('accuracy < 0.9'), [batch('w1', 0, { performance: { accuracy: Number.NaN } })]),
    ).toBeNull();
    expect(
      evaluateRule(parseRule('accuracy < 0.9'), [batch('w1', 0, { performance: { accuracy: 0.8 } })]),
    ).toMatchObject({ value: 0.8, message: 'accuracy is 0.8 (< 0.9) in w1' });
    const col = parseRule('column:income drifted');
    expect(evaluateRule(col, [batch('w1', 0, { columns: [{ name: 'income', drifted: false }] })])).toBeNull();
    expect(evaluateRule(col, [batch('w1', 0, { columns: [{ name: 'income', drifted: true }] })])).toMatchObject({
      message: 'column income drifted in w1',
      value: 1,
    });
  });
});
