// Runs in: main (core). Fingerprints of rows and cell values, computed in plain JS because a
// crypto digest per row costs more than parsing the row. Four 32-bit multiply-xor lanes run in one
// loop over the characters; a cell's length is mixed in after it (a value outside the char range),
// so ["ab","c"] and ["a","bc"] hash apart.

let l1 = 0;
let l2 = 0;
let l3 = 0;
let l4 = 0;

function start(): void {
  l1 = 0xdeadbeef;
  l2 = 0x41c6ce57;
  l3 = 0x9e3779b9;
  l4 = 0x85ebca6b;
}

function feed(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    l1 = Math.imul(l1 ^ c, 2654435761);
    l2 = Math.imul(l2 ^ c, 1597334677);
    l3 = Math.imul(l3 ^ c, 2246822507);
    l4 = Math.imul(l4 ^ c, 3266489909);
  }
  const end = 0x10000 + s.length;
  l1 = Math.imul(l1 ^ end, 2654435761);
  l2 = Math.imul(l2 ^ end, 1597334677);
  l3 = Math.imul(l3 ^ end, 2246822507);
  l4 = Math.imul(l4 ^ end, 3266489909);
}

function finish(): void {
  // cyrb53's avalanche, applied pairwise so every lane depends on every character.
  l1 = Math.imul(l1 ^ (l1 >>> 16), 2246822507) ^ Math.imul(l2 ^ (l2 >>> 13), 3266489909);
  l2 = Math.imul(l2 ^ (l2 >>> 16), 2246822507) ^ Math.imul(l1 ^ (l1 >>> 13), 3266489909);
  l3 = Math.imul(l3 ^ (l3 >>> 16), 2246822507) ^ Math.imul(l4 ^ (l4 >>> 13), 3266489909);
  l4 = Math.imul(l4 ^ (l4 >>> 16), 2246822507) ^ Math.imul(l3 ^ (l3 >>> 13), 3266489909);
}

function hashCells(cells: readonly string[], columns: readonly number[]): void {
  start();
  for (const i of columns) feed(cells[i] ?? '');
  finish();
}

/**
 * A 53-bit fingerprint of the chosen cells, used where two given rows are compared (key mode: the
 * old and new row of one key). A false "unchanged" needs those two rows to collide: about 1 in 2^53.
 * Two lanes only: this runs once per row of both files, so it is kept to half the work.
 */
export function rowHash53(cells: readonly string[], columns: readonly number[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let j = 0; j < columns.length; j++) {
    const s = cells[columns[j]!] ?? '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    const end = 0x10000 + s.length;
    h1 = Math.imul(h1 ^ end, 2654435761);
    h2 = Math.imul(h2 ^ end, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 2097152 * (h2 & 2097151) + (h1 >>> 0);
}

/**
 * A 106-bit fingerprint as a short string, used where any row may meet any other (content mode's
 * multiset): with a million rows a birthday collision stays below 1 in 10^19.
 */
export function rowHash106(cells: readonly string[], columns: readonly number[]): string {
  hashCells(cells, columns);
  return (
    (2097152 * (l2 & 2097151) + (l1 >>> 0)).toString(36) + ':' + (2097152 * (l4 & 2097151) + (l3 >>> 0)).toString(36)
  );
}

/**
 * rowHash106 as two numbers below 2^53, written to out[0] and out[1]: the same fingerprint
 * (rowHash106 is their base-36 spelling), without building a string per row.
 */
export function rowHash106Pair(cells: readonly string[], columns: readonly number[], out: Float64Array): void {
  hashCells(cells, columns);
  out[0] = 2097152 * (l2 & 2097151) + (l1 >>> 0);
  out[1] = 2097152 * (l4 & 2097151) + (l3 >>> 0);
}

/** A 32-bit hash of one value for the distinct-count sketch: its register index and its rank. */
export function valueHash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 2654435761);
  // murmur3's finaliser: the sketch needs every output bit to depend on every input bit.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
