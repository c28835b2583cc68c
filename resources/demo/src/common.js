// Runs in: a stage's child process (Node, no dependencies).
// Helpers shared by the demo's JavaScript stages: the Benchtop helper, params (from Benchtop, or
// params.yaml's simple subset when run by hand), CSV tables, and a small seeded random generator.
'use strict';

const fs = require('fs');
const path = require('path');

/** The stage helper: Benchtop may point at its own copy; otherwise the one beside this file. */
const benchtop = require(process.env.BENCHTOP_HELPERS_JS || path.join(__dirname, 'benchtop.cjs'));

/** The stage's params: Benchtop's resolved params, or params.yaml when run outside Benchtop. */
function loadParams(file = 'params.yaml') {
  const fromBenchtop = benchtop.params();
  return Object.keys(fromBenchtop).length > 0 ? fromBenchtop : readParams(file);
}

/** Reads the nested `key: value` subset of YAML that params.yaml uses (no lists, no anchors). */
function readParams(file = 'params.yaml') {
  const params = {};
  const stack = [{ indent: -1, node: params }];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.split('#', 1)[0].replace(/\s+$/, '');
    if (line.trim() === '') return;
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    const colon = text.indexOf(':');
    if (colon <= 0) throw new Error(`${file}:${i + 1}: expected "key: value", got ${JSON.stringify(text)}`);
    const key = text.slice(0, colon).trim();
    const value = text.slice(colon + 1).trim();
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1].node;
    if (value === '') {
      const child = {};
      parent[key] = child;
      stack.push({ indent, node: child });
    } else {
      parent[key] = scalar(value);
    }
  });
  return params;
}

function scalar(text) {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text.replace(/^["']|["']$/g, '');
}

/** Reads a simple CSV (header line, no quoted fields) into objects keyed by column. */
function readTable(file) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const numbered = lines.map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim() !== '');
  if (numbered.length === 0) throw new Error(`${file} is empty: it needs a header line.`);
  const columns = numbered[0].text.split(',');
  return numbered.slice(1).map(({ text, line }) => {
    const cells = text.split(',');
    if (cells.length !== columns.length) {
      throw new Error(`${file}:${line}: ${cells.length} fields where the header has ${columns.length} (quoted fields are not supported).`);
    }
    const row = {};
    columns.forEach((c, j) => (row[c] = cells[j]));
    return row;
  });
}

/** The columns of a table read by readTable. */
function columnsOf(file) {
  const first = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.trim() !== '');
  return first === undefined ? [] : first.replace(/\r$/, '').split(',');
}

/** Writes rows as a simple CSV; refuses values that would need quoting. */
function writeTable(file, rows, columns) {
  const out = [columns.join(',')];
  for (const row of rows) {
    const cells = columns.map((c) => String(row[c] ?? ''));
    const bad = cells.find((v) => /[,"\r\n]/.test(v));
    if (bad !== undefined) throw new Error(`${file}: the value ${JSON.stringify(bad)} would need quoting, which this writer does not do.`);
    out.push(cells.join(','));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, out.join('\n') + '\n');
}

/** The numeric features of a row, in the given column order. */
function featuresOf(row, features, file) {
  return features.map((f) => {
    const v = Number(row[f]);
    if (row[f] === undefined || row[f].trim() === '' || !Number.isFinite(v)) {
      throw new Error(`${file}: column ${f} holds ${JSON.stringify(row[f])}, which is not a number.`);
    }
    return v;
  });
}

/** mulberry32: a small, seeded 32-bit generator returning floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from any param value (numbers as they are, anything else hashed). */
function seedOf(value) {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value) >>> 0;
  let h = 2166136261;
  for (const ch of String(value)) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  return h;
}

/** Shuffles in place (Fisher-Yates) with the given generator. */
function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** A param by dotted path, or the fallback when absent. */
function param(params, dotted, fallback) {
  let node = params;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return fallback;
    node = node[part];
  }
  return node;
}

/** A param that must be present. */
function requireParam(params, dotted) {
  const value = param(params, dotted, undefined);
  if (value === undefined) throw new Error(`The param ${dotted} is missing (set it in params.yaml).`);
  return value;
}

module.exports = {
  benchtop,
  loadParams,
  readParams,
  readTable,
  columnsOf,
  writeTable,
  featuresOf,
  mulberry32,
  seedOf,
  shuffle,
  param,
  requireParam,
};
