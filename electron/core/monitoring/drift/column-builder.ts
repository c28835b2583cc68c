// Runs in: main (core). One column of a table read for a drift report, stored columnar: a Float64Array
// while every cell is a number (NaN = missing), or dictionary codes (Int32Array, −1 = missing) once a
// cell is text. A million rows × 20 columns then cost 8 bytes per numeric cell and 4 per categorical
// cell instead of a JS string each.

/** Cells that mean "no value", as `data add` reads them (table-schema.ts typeOfText). */
const MISSING = new Set(['', 'NA', 'null']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;

export type ColumnData =
  /** `sorted`: the finite values sorted (sortedSample), when a reader thread had them sorted already. */
  | { kind: 'numeric'; values: Float64Array; sorted?: Float64Array }
  | { kind: 'dictionary'; codes: Int32Array; labels: string[]; counts: Int32Array };

export class ColumnBuilder {
  private nums: Float64Array | null = new Float64Array(1024);
  private codes: Int32Array | null = null;
  private readonly dict = new Map<string, number>();
  private readonly labels: string[] = [];
  /** What each text cell's bytes came to before, so a repeated category costs no string (see TextCache). */
  private readonly seen = new TextCache();
  length = 0;

  /**
   * A cell straight from the bytes: a decimal number parsed in place, an empty cell, or a text cell
   * met before. Returns false when the cell must go through its text (pushText, then remember()).
   */
  pushCell(buf: Uint8Array, start: number, end: number): boolean {
    if (start === end) {
      this.pushMissing();
      return true;
    }
    const nums = this.nums;
    if (nums && this.length < nums.length) {
      const v = decimalOrNaN(buf, start, end);
      if (!Number.isNaN(v)) {
        nums[this.length++] = v;
        return true;
      }
    } else {
      const v = decimalOrNaN(buf, start, end);
      if (!Number.isNaN(v)) {
        this.pushNumber(v);
        return true;
      }
    }
    const slot = this.seen.find(buf, start, end);
    if (slot < 0) return false;
    const kind = this.seen.kind[slot]!;
    if (kind === OUTCOME_LABEL) this.pushCode(this.seen.code[slot]!);
    else if (kind === OUTCOME_MISSING) this.pushMissing();
    else this.pushNumber(this.seen.num[slot]!);
    return true;
  }

  /** Remembers what the text of buf[start, end) came to (the last pushText), for pushCell next time. */
  remember(buf: Uint8Array, start: number, end: number): void {
    this.seen.add(buf, start, end, this.lastKind, this.lastCode, this.lastNum);
  }

  private lastKind = OUTCOME_MISSING;
  private lastCode = -1;
  private lastNum = NaN;

  /** The value of a cell's text: a number, missing (NaN), or text that makes the column categorical. */
  pushText(raw: string): void {
    const v = raw.trim();
    if (MISSING.has(v)) {
      this.lastKind = OUTCOME_MISSING;
      return this.pushMissing();
    }
    // In a categorical column too, so a number reads the same before and after the column's first text.
    if (NUMBER.test(v)) {
      this.lastKind = OUTCOME_NUMBER;
      this.lastNum = parseNumber(v);
      return this.pushNumber(this.lastNum);
    }
    this.pushLabel(v);
    // A label always leaves the column a dictionary, whose codes never change afterwards.
    this.lastKind = OUTCOME_LABEL;
    this.lastCode = this.codes![this.length - 1]!;
  }

  pushMissing(): void {
    if (this.nums) this.pushNumber(NaN);
    else this.pushCode(-1);
  }

  pushNumber(v: number): void {
    const nums = this.nums;
    if (!nums) return this.pushLabel(Number.isNaN(v) ? '' : String(v));
    if (this.length === nums.length) {
      const grown = new Float64Array(nums.length * 2);
      grown.set(nums);
      this.nums = grown;
      grown[this.length++] = v;
      return;
    }
    nums[this.length++] = v;
  }

  pushLabel(label: string): void {
    if (label === '') return this.pushMissing();
    if (this.nums) this.toDictionary();
    let code = this.dict.get(label);
    if (code === undefined) {
      code = this.labels.length;
      this.dict.set(label, code);
      this.labels.push(label);
    }
    this.pushCode(code);
  }

  /**
   * The first text cell turns the column categorical. Numbers, before and after, are the category of
   * their shortest text (String(v)): "1.50" and "1.5" are one category; only formatting is lost.
   */
  private toDictionary(): void {
    const nums = this.nums!;
    this.nums = null;
    this.codes = new Int32Array(Math.max(1024, nums.length));
    const n = this.length;
    this.length = 0;
    for (let i = 0; i < n; i++) {
      const v = nums[i]!;
      if (Number.isNaN(v)) this.pushCode(-1);
      else this.pushLabel(String(v));
    }
  }

  private pushCode(code: number): void {
    let codes = this.codes!;
    if (this.length === codes.length) {
      const grown = new Int32Array(codes.length * 2);
      grown.set(codes);
      this.codes = codes = grown;
    }
    codes[this.length++] = code;
  }

  /** Missing cells for rows read before this column appeared (a JSONL key first seen part-way). */
  padTo(rows: number): void {
    while (this.length < rows) this.pushMissing();
  }

  finish(): ColumnData {
    if (this.nums) return { kind: 'numeric', values: this.nums.subarray(0, this.length) };
    const codes = this.codes!.subarray(0, this.length);
    const counts = new Int32Array(this.labels.length);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c >= 0) counts[c]!++;
    }
    return { kind: 'dictionary', codes, labels: this.labels, counts };
  }
}

function parseNumber(v: string): number {
  const lower = v.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number(v);
}

/** The number a cell's bytes spell in plain decimal, or undefined when it needs the general path. */
export function fastNumber(buf: Uint8Array, start: number, end: number): number | undefined {
  const v = decimalOrNaN(buf, start, end);
  return Number.isNaN(v) ? undefined : v;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * A decimal number straight from the bytes, without making a string: exact (correctly rounded) because
 * the mantissa stays below 2^53 and the power of ten is exact up to 10^22, so one multiplication or
 * division rounds once (Clinger's fast path). Returns NaN (which no digits can spell) when the cell needs
 * the general path: a plain double return stays unboxed where undefined would force a heap number.
 */
export function decimalOrNaN(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  let neg = false;
  let c = buf[i]!;
  if (c === 45 || c === 43) {
    neg = c === 45;
    if (++i >= end) return NaN;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let seen = false;
  for (; i < end; i++) {
    c = buf[i]!;
    if (c < 48 || c > 57) break;
    seen = true;
    if (mant === 0 && c === 48) continue;
    if (++digits > 15) return NaN;
    mant = mant * 10 + (c - 48);
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      c = buf[i]!;
      if (c < 48 || c > 57) break;
      seen = true;
      scale--;
      if (mant === 0 && c === 48) continue;
      if (++digits > 15) return NaN;
      mant = mant * 10 + (c - 48);
    }
  }
  if (!seen) return NaN;
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) eneg = buf[i++] === 45;
    let exp = 0;
    let edigits = 0;
    for (; i < end; i++) {
      c = buf[i]!;
      if (c < 48 || c > 57) return NaN;
      if (++edigits > 4) return NaN;
      exp = exp * 10 + (c - 48);
    }
    if (edigits === 0) return NaN;
    scale += eneg ? -exp : exp;
  }
  if (i !== end) return NaN;
  let v: number;
  if (mant === 0) v = 0;
  else if (scale >= 0 && scale <= 22) v = mant * POW10[scale]!;
  else if (scale < 0 && scale >= -22) v = mant / POW10[-scale]!;
  else return NaN;
  return neg ? -v : v;
}

const OUTCOME_MISSING = 0;
const OUTCOME_NUMBER = 1;
const OUTCOME_LABEL = 2;
/** Texts longer than this are not remembered (long values are rarely repeated categories). */
const MAX_KEY_BYTES = 64;
/** Distinct texts remembered per column; a column with more (free text, IDs) reads the rest as strings. */
const MAX_KEYS = 4096;

/**
 * Open-addressing table from a cell's raw bytes to what they came to (missing, a number, a category
 * code). A categorical column repeats a few values a million times: matching bytes here avoids
 * decoding, trimming and hashing a JS string per cell, which was a third of the read.
 */
class TextCache {
  private slots = new Int32Array(2 * MAX_KEYS).fill(-1);
  private readonly offsets = new Int32Array(MAX_KEYS + 1);
  private bytes = new Uint8Array(4096);
  readonly kind = new Uint8Array(MAX_KEYS);
  readonly code = new Int32Array(MAX_KEYS);
  readonly num = new Float64Array(MAX_KEYS);
  private size = 0;

  private static hash(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    return h >>> 0;
  }

  /** The entry for these bytes, or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    if (this.size === 0) return -1;
    const len = end - start;
    if (len > MAX_KEY_BYTES) return -1;
    const mask = this.slots.length - 1;
    for (let s = TextCache.hash(buf, start, end) & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e < 0) return -1;
      const at = this.offsets[e]!;
      if (this.offsets[e + 1]! - at !== len) continue;
      let k = 0;
      while (k < len && this.bytes[at + k] === buf[start + k]) k++;
      if (k === len) return e;
    }
  }

  add(buf: Uint8Array, start: number, end: number, kind: number, code: number, num: number): void {
    const len = end - start;
    if (len > MAX_KEY_BYTES || this.size === MAX_KEYS || this.find(buf, start, end) >= 0) return;
    const e = this.size++;
    const at = this.offsets[e]!;
    if (at + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + len));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(buf.subarray(start, end), at);
    this.offsets[e + 1] = at + len;
    this.kind[e] = kind;
    this.code[e] = code;
    this.num[e] = num;
    const mask = this.slots.length - 1;
    let s = TextCache.hash(buf, start, end) & mask;
    while (this.slots[s]! >= 0) s = (s + 1) & mask;
    this.slots[s] = e;
  }
}
