import type { BigIntStats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ctimeToRecord } from '../../../electron/core/util/hashing';

const stat = (mtimeNs: bigint, ctimeNs: bigint): BigIntStats => ({ mtimeNs, ctimeNs }) as BigIntStats;
const sec = 1_000_000_000n;

describe('ctimeToRecord (the stat cache racy rule)', () => {
  it('keeps whole-second stamps from the last two seconds out of the cache, like git smudges racy entries', () => {
    const now = 1_700_000_000_500;
    expect(ctimeToRecord(stat(1_700_000_000n * sec, 1_700_000_000n * sec), now)).toBe('');
    expect(ctimeToRecord(stat(1_699_999_999n * sec, 1_700_000_000n * sec), now)).toBe('');
    // Old enough: recorded.
    expect(ctimeToRecord(stat(1_699_999_990n * sec, 1_699_999_990n * sec), now)).toBe(String(1_699_999_990n * sec));
    // Nanosecond timestamps: the ctime moves with any later write, so no wait is needed.
    expect(ctimeToRecord(stat(1_700_000_000n * sec + 123n, 1_700_000_000n * sec + 456n), now)).toBe(
      String(1_700_000_000n * sec + 456n),
    );
  });
});
