// Runs in: main (core). Distinct values of a column: counted exactly (a Set of the texts) up to
// DISTINCT_CAP values, then by a HyperLogLog sketch (2^14 registers, about 0.8% standard error; one 32-bit hash, so it is meant for up to ~10^8 values),
// so a column of a million unique ids costs 16 KiB instead of a million strings.
import { ownString } from '../../files/delimited';
import { valueHash32 } from './row-hash';

export const DISTINCT_CAP = 10_000;
const P = 14;
const M = 1 << P;

export class DistinctCounter {
  private exact: Set<string> | null = new Set();
  private registers: Uint8Array | null = null;

  add(value: string): void {
    if (this.exact) {
      // A new value is copied so that the set does not keep the reader's chunk of text alive.
      if (!this.exact.has(value)) this.exact.add(ownString(value));
      if (this.exact.size > DISTINCT_CAP) {
        this.registers = new Uint8Array(M);
        for (const v of this.exact) this.sketch(v);
        this.exact = null;
      }
      return;
    }
    this.sketch(value);
  }

  private sketch(value: string): void {
    const h = valueHash32(value);
    const index = h >>> (32 - P);
    // The rank comes from the bits the index did not use (18 of them: enough up to ~10^9 values).
    const rank = Math.min(Math.clz32(h << P), 32 - P) + 1;
    if (rank > this.registers![index]!) this.registers![index] = rank;
  }

  /** Whether count() is exact (false once the cap was passed). */
  get isExact(): boolean {
    return this.exact !== null;
  }

  count(): number {
    if (this.exact) return this.exact.size;
    const regs = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -regs[i]!;
      if (regs[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const raw = (alpha * M * M) / sum;
    // Linear counting is the better estimate while many registers are still empty.
    const estimate = raw <= 2.5 * M && zeros > 0 ? M * Math.log(M / zeros) : raw;
    // Past the cap the true count is at least the cap: never report less than was seen exactly.
    return Math.max(DISTINCT_CAP + 1, Math.round(estimate));
  }
}
