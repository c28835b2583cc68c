import { describe, expect, it } from 'vitest';
import { looksLikeId, namedLikeId } from '../../../electron/core/monitoring/drift/column-roles';

const numbers = (from: number, n = 20) => ({
  kind: 'numeric' as const,
  values: Float64Array.from({ length: n }, (_, i) => from + i),
});

describe('id column inference', () => {
  it('takes names that say id, and not words that merely end in "id"', () => {
    for (const n of ['id', 'ID', 'customer_id', 'order-id', 'customerId', 'orderID', 'id_customer', 'uuid'])
      expect(namedLikeId(n), n).toBe(true);
    for (const n of ['paid', 'valid', 'humid', 'fluid', 'age', 'idle']) expect(namedLikeId(n), n).toBe(false);
  });

  it('needs unique integers under an id name, or unique keys', () => {
    expect(looksLikeId('customer_id', numbers(1), numbers(5001))).toBe(true);
    expect(looksLikeId('paid', numbers(1), numbers(5001))).toBe(false);
    // Too few values say nothing about uniqueness.
    expect(looksLikeId('customer_id', numbers(1, 5), numbers(100, 5))).toBe(false);
    const keys = (prefix: string) => ({
      kind: 'dictionary' as const,
      codes: Int32Array.from({ length: 12 }, (_, i) => i),
      labels: Array.from({ length: 12 }, (_, i) => `${prefix}${i}`),
      counts: new Int32Array(12).fill(1),
    });
    expect(looksLikeId('ref', keys('C-'), keys('D-'))).toBe(true);
    expect(looksLikeId('comment', keys('a note '), keys('b note '))).toBe(false);
  });
});
