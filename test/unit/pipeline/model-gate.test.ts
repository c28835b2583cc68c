import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateGate,
  formatGate,
  GATE_OPS,
  GateSyntaxError,
  parseGate,
  type AliasSnapshot,
  type Gate,
} from '../../../electron/core/pipeline/models/gate';

const none = (): AliasSnapshot => ({ exists: false });
const champion =
  (metrics: Record<string, number>, version = 2) =>
  (alias: string): AliasSnapshot =>
    alias === 'champion' ? { exists: true, version, metrics } : { exists: false };

function syntaxError(text: string): string {
  try {
    parseGate(text);
  } catch (err) {
    if (err instanceof GateSyntaxError) return err.message;
    throw err;
  }
  throw new Error(`"${text}" should have been refused`);
}

describe('the register gate: parsing', () => {
  it('reads METRIC OP NUMBER and METRIC OP ALIAS, with or without spaces', () => {
    expect(parseGate('accuracy >= champion')).toEqual({
      metric: 'accuracy',
      op: '>=',
      target: { kind: 'alias', alias: 'champion' },
    });
    expect(parseGate('  val/loss<0.2 ')).toEqual({
      metric: 'val/loss',
      op: '<',
      target: { kind: 'number', value: 0.2 },
    });
    expect(parseGate('f1.macro == -1e-3')).toEqual({
      metric: 'f1.macro',
      op: '==',
      target: { kind: 'number', value: -0.001 },
    });
    expect(parseGate('auc > .5')).toEqual({ metric: 'auc', op: '>', target: { kind: 'number', value: 0.5 } });
    expect(parseGate('auc <= prod-2')).toEqual({ metric: 'auc', op: '<=', target: { kind: 'alias', alias: 'prod-2' } });
    // A right-hand side that reads as a number is a number, even if an alias could be spelled so.
    expect(parseGate('auc >= 10').target).toEqual({ kind: 'number', value: 10 });
  });

  it('refuses what is not a gate, saying what is wrong', () => {
    expect(syntaxError('accuracy')).toBe('"accuracy" is not a comparison');
    expect(syntaxError('accuracy = 0.9')).toBe('"accuracy = 0.9" has an operator the gate does not know');
    expect(syntaxError('accuracy != champion')).toBe('"accuracy != champion" has an operator the gate does not know');
    expect(syntaxError('accuracy => champion')).toBe('"accuracy => champion" has an operator the gate does not know');
    expect(syntaxError('accuracy >= champion or 0.9')).toBe('"accuracy >= champion or 0.9" is not a comparison');
    expect(syntaxError('-acc >= 1')).toBe('"-acc" is not a metric name (letters, digits and _ . / -)');
    expect(syntaxError('acc >= champ!on')).toBe(
      '"champ!on" is neither a number nor an alias (letters, digits, _ and -)',
    );
    expect(syntaxError('acc >= latest')).toMatch(/names a version, not an alias/);
    expect(syntaxError('acc >= v3')).toMatch(/names a version, not an alias/);
    expect(syntaxError('acc >= 1e999')).toBe('1e999 is too large a number');
  });

  it('round-trips: formatting a gate and parsing it again gives the same gate', () => {
    const metric = fc.stringMatching(/^[A-Za-z0-9_/][A-Za-z0-9_./-]{0,20}$/);
    const alias = fc
      .stringMatching(/^[A-Za-z0-9_-]{1,20}$/)
      .filter((a) => !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a) && !/^latest$/i.test(a) && !/^v\d+$/i.test(a));
    const target = fc.oneof(
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((value) => ({ kind: 'number' as const, value: Object.is(value, -0) ? 0 : value })),
      alias.map((a) => ({ kind: 'alias' as const, alias: a })),
    );
    fc.assert(
      fc.property(metric, fc.constantFrom(...GATE_OPS), target, (m, op, t) => {
        const gate: Gate = { metric: m, op, target: t };
        expect(parseGate(formatGate(gate))).toEqual(gate);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but a GateSyntaxError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          const g = parseGate(text);
          expect(parseGate(formatGate(g))).toEqual(g);
        } catch (err) {
          expect(err).toBeInstanceOf(GateSyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the register gate: its verdict', () => {
  it('compares with a number', () => {
    expect(evaluateGate(parseGate('accuracy >= 0.9'), { accuracy: 0.93 }, none)).toEqual({
      passed: true,
      explanation: 'accuracy 0.93 >= 0.9',
    });
    expect(evaluateGate(parseGate('loss < 0.2'), { loss: 0.2 }, none)).toEqual({
      passed: false,
      explanation: 'loss 0.2 >= 0.2',
    });
    expect(evaluateGate(parseGate('n == 3'), { n: 3 }, none).passed).toBe(true);
  });

  it("compares with an alias's metric snapshot", () => {
    expect(evaluateGate(parseGate('accuracy >= champion'), { accuracy: 0.93 }, champion({ accuracy: 0.91 }))).toEqual({
      passed: true,
      explanation: "accuracy 0.93 >= champion's 0.91",
    });
    expect(evaluateGate(parseGate('accuracy > champion'), { accuracy: 0.91 }, champion({ accuracy: 0.91 }))).toEqual({
      passed: false,
      explanation: "accuracy 0.91 <= champion's 0.91",
    });
  });

  it('passes when the alias does not exist yet (the first champion)', () => {
    expect(evaluateGate(parseGate('accuracy >= champion'), { accuracy: 0.5 }, none)).toEqual({
      passed: true,
      explanation: 'accuracy 0.5; there was no champion yet',
    });
  });

  it('does not pass on a missing or NaN metric, on either side', () => {
    expect(evaluateGate(parseGate('accuracy >= 0.9'), {}, none)).toEqual({
      passed: false,
      explanation: 'the run logged no metric accuracy before the stage ended',
    });
    expect(evaluateGate(parseGate('accuracy >= 0.9'), { accuracy: Number.NaN }, none)).toEqual({
      passed: false,
      explanation: 'accuracy is NaN',
    });
    expect(evaluateGate(parseGate('accuracy >= champion'), { accuracy: 0.9 }, champion({ loss: 1 }, 4))).toEqual({
      passed: false,
      explanation: "champion's version 4 has no metric accuracy to compare with",
    });
    expect(
      evaluateGate(parseGate('accuracy >= champion'), { accuracy: 0.9 }, champion({ accuracy: Number.NaN }, 4)),
    ).toEqual({ passed: false, explanation: "champion's accuracy (version 4) is NaN" });
  });
});
