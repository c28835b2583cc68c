import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearScale, logScale, niceNumber, niceTicks, tickLabel } from '../../../electron/core/reports/scale';

describe('nice numbers and ticks', () => {
  it('rounds to 1, 2, 5 or 10 times a power of ten', () => {
    expect([0.8, 1.4, 2.9, 3.1, 6.9, 7.1, 42, 0.0031].map((x) => niceNumber(x, true))).toEqual([
      1, 1, 2, 5, 5, 10, 50, 0.005,
    ]);
    expect([0.7, 1, 1.01, 2.5, 5, 5.5].map((x) => niceNumber(x, false))).toEqual([1, 1, 2, 5, 5, 10]);
    expect(() => niceNumber(0, true)).toThrow(RangeError);
    expect(() => niceNumber(Number.NaN, true)).toThrow(RangeError);
  });

  it('gives readable ticks without float noise', () => {
    expect(niceTicks(0, 1)).toEqual({ min: 0, max: 1, step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceTicks(0.13, 0.87).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 17).values).toEqual([-5, 0, 5, 10, 15, 20]);
    expect(niceTicks(0.1, 0.3, 3).values).toEqual([0.1, 0.2, 0.3]);
    // Reversed bounds and a flat range still give an axis that contains the value.
    expect(niceTicks(10, 0).values[0]).toBe(0);
    const flat = niceTicks(5, 5);
    expect(flat.min).toBeLessThan(5);
    expect(flat.max).toBeGreaterThan(5);
    expect(niceTicks(0, 0).values).toContain(0);
    expect(() => niceTicks(0, Infinity)).toThrow(RangeError);
  });

  it('always covers the data, with evenly spaced ticks that are multiples of 1, 2 or 5 × 10^n', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: 10 }),
        (a, b, count) => {
          const t = niceTicks(a, b, count);
          expect(t.min).toBeLessThanOrEqual(Math.min(a, b) + Math.abs(t.step) * 1e-9);
          expect(t.max).toBeGreaterThanOrEqual(Math.max(a, b) - Math.abs(t.step) * 1e-9);
          const mantissa = t.step / 10 ** Math.floor(Math.log10(t.step));
          expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
          expect(t.values.length).toBeGreaterThanOrEqual(2);
          expect(t.values.length).toBeLessThanOrEqual(count * 3 + 2);
        },
      ),
    );
  });
});

describe('scales', () => {
  it('maps the nice domain linearly onto the pixel range, y drawn downwards', () => {
    const y = linearScale(0.13, 0.87, 200, 0);
    expect(y.domain).toEqual([0, 1]);
    expect(y(0)).toBe(200);
    expect(y(1)).toBe(0);
    expect(y(0.5)).toBe(100);
    expect(y.log).toBe(false);
  });

  it('log scale: decades as ticks, 2 and 5 between when there are few', () => {
    const y = logScale(0.001, 10, 400, 0);
    expect(y.ticks).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(y(0.001)).toBe(400);
    expect(y(10)).toBe(0);
    expect(y(0.1)).toBeCloseTo(200);
    expect(logScale(3, 40, 100, 0).ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });

  it('log scale refuses zero and negative values with an error that says why', () => {
    expect(() => logScale(0, 10, 100, 0)).toThrow(/log scale needs values above zero; these reach 0/);
    expect(() => logScale(-1, 10, 100, 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', hint: expect.stringContaining('linear scale') }),
    );
  });

  it('labels ticks briefly', () => {
    expect([0, 0.2, 0.30000000000000004, 1500, 2e7, 0.0001].map(tickLabel)).toEqual([
      '0',
      '0.2',
      '0.3',
      '1500',
      '2e7',
      '1e-4',
    ]);
  });
});
