import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeWindow } from '../../../electron/core/monitoring/monitors/prediction-windows';
import { flattenInput, predictionValue } from '../../../electron/core/serving/prediction-table';

const now = new Date('2026-11-30T12:00:00Z');

describe('prediction log windows', () => {
  it('are UTC hours, days and ISO weeks (Monday first), closed once their end has passed', () => {
    expect(timeWindow('2026-11-29T23:59:59.999Z', 'hour', now)).toEqual({
      label: '2026-11-29T23',
      start: '2026-11-29T23:00:00.000Z',
      end: '2026-11-30T00:00:00.000Z',
      endInclusive: false,
      closed: true,
    });
    expect(timeWindow('2026-11-30T11:00:00.000Z', 'hour', now)).toMatchObject({ label: '2026-11-30T11', closed: true });
    expect(timeWindow('2026-11-30T12:00:00.000Z', 'hour', now)).toMatchObject({
      label: '2026-11-30T12',
      closed: false,
    });
    expect(timeWindow('2026-11-30T01:00:00+02:00', 'day', now)).toMatchObject({ label: '2026-11-29', closed: true });
    expect(timeWindow('2026-11-30T00:00:00.000Z', 'day', now)).toMatchObject({ label: '2026-11-30', closed: false });
    // 2026-11-29 is a Sunday: its week began on Monday 2026-11-23.
    expect(timeWindow('2026-11-29T20:00:00Z', 'week', now)).toEqual({
      label: 'week-2026-11-23',
      start: '2026-11-23T00:00:00.000Z',
      end: '2026-11-30T00:00:00.000Z',
      endInclusive: false,
      closed: true,
    });
    expect(timeWindow('2026-11-30T00:00:00Z', 'week', now)).toMatchObject({ label: 'week-2026-11-30', closed: false });
  });

  it('hold every time they label: start <= t < end, a week starts on a Monday', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
        fc.constantFrom('hour' as const, 'day' as const, 'week' as const),
        (t, kind) => {
          const w = timeWindow(new Date(t).toISOString(), kind, now);
          expect(Date.parse(w.start)).toBeLessThanOrEqual(t);
          expect(t).toBeLessThan(Date.parse(w.end));
          if (kind === 'week') expect(new Date(w.start).getUTCDay()).toBe(1);
          expect(w.closed).toBe(Date.parse(w.end) <= now.getTime());
        },
      ),
    );
  });

  it('flatten inputs to columns and pick the prediction out of an output', () => {
    expect(flattenInput({ age: 3, address: { city: 'Lyon', zip: null }, tags: ['a'], ok: true })).toEqual({
      age: 3,
      'address.city': 'Lyon',
      'address.zip': null,
      tags: '["a"]',
      ok: true,
    });
    expect(flattenInput(4.5)).toEqual({ input: 4.5 });
    expect(predictionValue(1)).toBe(1);
    expect(predictionValue({ label: 'setosa', probabilities: [0.9, 0.1] })).toBe('setosa');
    expect(predictionValue({ prediction: 12.5 })).toBe(12.5);
    expect(predictionValue({ scores: [0.2, 0.8] })).toBeNull();
    expect(predictionValue([1, 2])).toBeNull();
    expect(predictionValue(null)).toBeNull();
  });
});
