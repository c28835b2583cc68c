// Runs in: main (core). One column of a table read for a drift report, stored columnar: a Float64Array
// while every cell is a number (NaN = missing), or dictionary codes (Int32Array, −1 = missing) once a
// cell is text. A million rows × 20 columns then cost 8 bytes per numeric cell and 4 per categorical
// cell instead of a JS string each.

/** Cells that mean "no value", as `data add` reads them (table-schema.ts typeOfText). */
const MISSING = new Set(['', 'NA', 'null']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;

export type ColumnData =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'dictionary'; codes: Int32Array; labels: string[]; counts: Int32Array };

export class ColumnBuilder {
  private nums: Float64Array | null = new Float64Array(1024);
  private codes: Int32Array | null = null;
  private readonly dict = new Map<string, number>();
  private readonly labels: string[] = [];
  length = 0;

  /** The value of a cell's text: a number, missing (NaN), or text that makes the column categorical. */
  pushText(raw: string): void {
    const v = raw.trim();
    if (MISSING.has(v)) return this.pushMissing();
    // In a categorical column too, so a number reads the same before and after the column's first text.
    if (NUMBER.test(v)) return this.pushNumber(parseNumber(v));
    this.pushLabel(v);
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

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * A decimal number straight from the bytes, without making a string: exact (correctly rounded) because
 * the mantissa stays below 2^53 and the power of ten is exact up to 10^22, so one multiplication or
 * division rounds once (Clinger's fast path). Returns undefined when the cell needs the general path.
 */
export function fastNumber(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  if (i >= end) return undefined;
  let neg = false;
  let c = buf[i]!;
  if (c === 45 || c === 43) {
    neg = c === 45;
    if (++i >= end) return undefined;
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
    if (++digits > 15) return undefined;
    mant = mant * 10 + (c - 48);
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      c = buf[i]!;
      if (c < 48 || c > 57) break;
      seen = true;
      scale--;
      if (mant === 0 && c === 48) continue;
      if (++digits > 15) return undefined;
      mant = mant * 10 + (c - 48);
    }
  }
  if (!seen) return undefined;
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) eneg = buf[i++] === 45;
    let exp = 0;
    let edigits = 0;
    for (; i < end; i++) {
      c = buf[i]!;
      if (c < 48 || c > 57) return undefined;
      if (++edigits > 4) return undefined;
      exp = exp * 10 + (c - 48);
    }
    if (edigits === 0) return undefined;
    scale += eneg ? -exp : exp;
  }
  if (i !== end) return undefined;
  let v: number;
  if (mant === 0) v = 0;
  else if (scale >= 0 && scale <= 22) v = mant * POW10[scale]!;
  else if (scale < 0 && scale >= -22) v = mant / POW10[-scale]!;
  else return undefined;
  return neg ? -v : v;
}
