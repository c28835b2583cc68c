// Runs in: main (core). The multiset of 106-bit row fingerprints behind a diff by content: an
// open-addressing table of number pairs and counts in typed arrays. A Map keyed by the fingerprint
// spelt as a string cost a string per row (made, hashed, kept): this table costs 20 bytes per slot,
// at most two slots per distinct row, and no allocation per row.

const INITIAL = 1 << 12;

export class FingerprintCounts {
  /** Two per slot: the first half plus one (0 marks an empty slot), then the second half. */
  private keys = new Float64Array(2 * INITIAL);
  private counts = new Int32Array(INITIAL);
  private mask = INITIAL - 1;
  private used = 0;

  /** The slot holding (hi, lo), or the empty slot where it would go. */
  private slot(hi: number, lo: number): number {
    const keys = this.keys;
    const tag = hi + 1;
    // lo's low 32 bits come out of the hash's final avalanche: uniform enough to index with.
    let i = (lo >>> 0) & this.mask;
    for (;;) {
      const k = keys[2 * i]!;
      if (k === 0 || (k === tag && keys[2 * i + 1] === lo)) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds one (hi, lo). */
  add(hi: number, lo: number): void {
    let i = this.slot(hi, lo);
    if (this.keys[2 * i] === 0) {
      if (2 * (this.used + 1) > this.counts.length) {
        this.grow();
        i = this.slot(hi, lo);
      }
      this.keys[2 * i] = hi + 1;
      this.keys[2 * i + 1] = lo;
      this.used++;
    }
    this.counts[i]!++;
  }

  /** Takes one (hi, lo) away if there is one left; returns whether there was. */
  take(hi: number, lo: number): boolean {
    const i = this.slot(hi, lo);
    // A slot whose count fell to 0 stays (open addressing cannot simply empty it) and counts as absent.
    if (this.keys[2 * i] === 0 || this.counts[i] === 0) return false;
    this.counts[i]!--;
    return true;
  }

  /** How many fingerprints are left in all. */
  total(): number {
    let n = 0;
    for (let i = 0; i < this.counts.length; i++) n += this.counts[i]!;
    return n;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const size = oldCounts.length * 2;
    this.keys = new Float64Array(2 * size);
    this.counts = new Int32Array(size);
    this.mask = size - 1;
    this.used = 0;
    for (let j = 0; j < oldCounts.length; j++) {
      if (oldKeys[2 * j] === 0 || oldCounts[j] === 0) continue;
      const i = this.slot(oldKeys[2 * j]! - 1, oldKeys[2 * j + 1]!);
      this.keys[2 * i] = oldKeys[2 * j]!;
      this.keys[2 * i + 1] = oldKeys[2 * j + 1]!;
      this.counts[i] = oldCounts[j]!;
      this.used++;
    }
  }
}
