import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMetricLines } from '../../../electron/core/tracking/mlflow-store';
import { BenchtopError } from '../../../shared/contract/errors';

// How MLflow's FileStore prints a value: Python's str(float).
const py = (v: number): string =>
  Number.isNaN(v)
    ? 'nan'
    : v === Infinity
      ? 'inf'
      : v === -Infinity
        ? '-inf'
        : String(v).replace(/e([+-])(\d)$/, 'e$10$2');

const point = fc.record({
  ts: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  value: fc.double(),
  step: fc.integer({ min: -1000, max: 1_000_000 }),
});

describe('MLflow metric files', () => {
  it('read back every point MLflow writes, NaN and ±Inf included, ordered by step then time', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 40 }), (points) => {
        const text = points.map((p) => `${p.ts} ${py(p.value)} ${p.step}\n`).join('');
        const parsed = parseMetricLines(text, 'm');
        const expected = points
          .map((p, i) => ({
            i,
            at: new Date(p.ts).toISOString(),
            value: Object.is(p.value, -0) ? 0 : p.value,
            step: p.step,
          }))
          .sort((a, b) => a.step - b.step || (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i))
          .map(({ at, value, step }) => ({ at, value, step }));
        expect(parsed.map((p) => ({ ...p, value: Object.is(p.value, -0) ? 0 : p.value }))).toEqual(expected);
      }),
    );
  });

  it('read a line without a step (old MLflow) as step 0', () => {
    expect(parseMetricLines('1000 0.5\n', 'm')).toEqual([{ at: '1970-01-01T00:00:01.000Z', value: 0.5, step: 0 }]);
  });

  it('refuse any other line, naming the file and the line', () => {
    const junk = fc.oneof(
      fc.constantFrom(
        '',
        '1 2 3 4',
        '99999999999999999 1 0',
        'x 1 0',
        '1 x 0',
        '1 2 x',
        '1 0x10 0',
        '1.5 2 0',
        '1 2 0.5',
        '1 Infinity- 0',
      ),
      fc.string().filter((s) => !s.includes('\n')),
    );
    fc.assert(
      fc.property(fc.array(point, { maxLength: 5 }), junk, (before, line) => {
        const parts = line.trim().split(/\s+/);
        const ok =
          (parts.length === 2 || parts.length === 3) &&
          /^[+-]?\d+$/.test(parts[0]!) &&
          Math.abs(Number(parts[0])) <= 8.64e15 &&
          (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(parts[1]!) || /^[+-]?(nan|inf|infinity)$/i.test(parts[1]!)) &&
          (parts[2] === undefined || (/^[+-]?\d+$/.test(parts[2]) && Number.isSafeInteger(Number(parts[2]))));
        fc.pre(!ok);
        const text = `${before.map((p) => `${p.ts} ${py(p.value)} ${p.step}`).join('\n')}${before.length ? '\n' : ''}${line}\nmore`;
        let caught: unknown;
        try {
          parseMetricLines(text, '/x/metrics/loss');
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(BenchtopError);
        expect((caught as BenchtopError).message.startsWith(`/x/metrics/loss:${before.length + 1}: `)).toBe(true);
      }),
    );
  });
});
