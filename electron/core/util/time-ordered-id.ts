// Runs in: main (core) or the CLI. Unique ids that sort as text in the order they were made: version
// 7 UUIDs (RFC 9562), the time in milliseconds first, then a counter for ids made within the same
// millisecond, then random bits. A table keyed or indexed by such ids grows at the end of its
// indexes; random (version 4) ids land anywhere, and once an index outgrows SQLite's page cache
// every insert reads pages back, so writes slow down as the table grows.
import { randomFillSync } from 'node:crypto';

/** The 12-bit counter's room: past it the id borrows the next millisecond (still unique and ordered). */
const COUNTER_MAX = 0xfff;
let lastMs = 0;
let counter = 0;
const bytes = Buffer.alloc(16);
// Random bytes drawn 4 KiB at a time: one call per id cost 6 us, more than the rest of the id.
const random = Buffer.alloc(4096);
let randomAt = random.length;

export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else if (counter < COUNTER_MAX) {
    // The clock did not move (or went back): keep the last time and count up.
    ms = lastMs;
    counter++;
  } else {
    ms = ++lastMs;
    counter = 0;
  }
  if (randomAt === random.length) {
    randomFillSync(random);
    randomAt = 0;
  }
  random.copy(bytes, 8, randomAt, randomAt + 8);
  randomAt += 8;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // the RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
