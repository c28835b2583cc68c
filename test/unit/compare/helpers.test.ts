import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numericValues, sideBySide } from '../../../shared/compare/side-by-side';
import { noteBlocks } from '../../../shared/markdown/note-blocks';
import { formatMetric, smooth, xValues } from '../../../renderer/src/sections/compare/series-math';

describe('side by side', () => {
  it('lines up params and metrics of runs, missing ones as null, flagging rows that differ', () => {
    const t = sideBySide([
      { params: { lr: '0.1', model: 'rf' }, metrics: { acc: 0.8, loss: Number.NaN } },
      { params: { lr: '0.1', depth: '3' }, metrics: { acc: 0.9, loss: Number.NaN } },
    ]);
    expect(t.params).toEqual([
      { key: 'depth', values: [null, '3'], differs: true },
      { key: 'lr', values: ['0.1', '0.1'], differs: false },
      { key: 'model', values: ['rf', null], differs: true },
    ]);
    // Both NaN: the same outcome, not a difference.
    expect(t.metrics).toEqual([
      { key: 'acc', values: [0.8, 0.9], differs: true },
      { key: 'loss', values: [Number.NaN, Number.NaN], differs: false },
    ]);
    expect(
      sideBySide([
        { params: { toString: 'x' }, metrics: {} },
        { params: {}, metrics: {} },
      ]).params,
    ).toEqual([{ key: 'toString', values: ['x', null], differs: true }]);
  });

  it('reads param values as numbers only when every present one is a finite number', () => {
    expect(numericValues(['0.1', null, '3'])).toEqual([0.1, null, 3]);
    expect(numericValues(['0.1', 'rf'])).toBeNull();
    expect(numericValues([null, null])).toBeNull();
    expect(numericValues(['Infinity'])).toBeNull();
  });
});

describe('curve helpers', () => {
  it('smoothing 0 keeps the values; the debiased EMA starts at the first value and stays within the range', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(smooth([5, 5, 5], 0.9).map((v) => Number(v.toFixed(10)))).toEqual([5, 5, 5]);
    expect(smooth([2, 4], 0.5)[0]).toBeCloseTo(2);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (values, w) => {
          const out = smooth(values, w);
          expect(out).toHaveLength(values.length);
          const lo = Math.min(...values);
          const hi = Math.max(...values);
          for (const v of out) {
            expect(v).toBeGreaterThanOrEqual(lo - 1e-6 * (1 + Math.abs(lo)));
            expect(v).toBeLessThanOrEqual(hi + 1e-6 * (1 + Math.abs(hi)));
          }
        },
      ),
    );
  });

  it('x by step, wall time, or seconds since the first point', () => {
    expect(xValues('step', [0, 5], [1000, 3000])).toEqual([0, 5]);
    expect(xValues('wall', [0, 5], [1000, 3000])).toEqual([1000, 3000]);
    expect(xValues('relative', [0, 5], [1000, 3000])).toEqual([0, 2]);
  });

  it('spells out NaN and the infinities', () => {
    expect([Number.NaN, Infinity, -Infinity, null, 0.5].map(formatMetric)).toEqual(['NaN', '∞', '−∞', '—', '0.5']);
  });
});

describe('notes as light markdown', () => {
  it('splits headings, lists and paragraphs, keeping any markup as plain text', () => {
    expect(noteBlocks('# Why\nbigger net\nstill bigger\n\n- a <b>\n* b\n\nend')).toEqual([
      { kind: 'heading', level: 1, text: 'Why' },
      { kind: 'paragraph', text: 'bigger net\nstill bigger' },
      { kind: 'list', items: ['a <b>', 'b'] },
      { kind: 'paragraph', text: 'end' },
    ]);
    expect(noteBlocks('')).toEqual([]);
  });
});
