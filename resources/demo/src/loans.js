// Runs in: a stage's child process or `node src/make-data.js` (Node, no dependencies).
// The simulated world of the demo: who applies for a loan and who defaults. One seeded generator
// makes the historical applications (data/loans.csv) and the weekly production batches
// (data/production/week-NN.csv); from week 5 the economy shifts (see shiftOf), so a model trained on
// the history grows wrong and retraining on the new weeks helps.
'use strict';

const { mulberry32 } = require('./common');

const COLUMNS = ['id', 'age', 'income', 'amount', 'term', 'employment', 'region', 'credit_history_years', 'previous_defaults', 'default'];
const EMPLOYMENT = ['salaried', 'self_employed', 'contract', 'unemployed', 'retired'];
const REGIONS = ['north', 'south', 'east', 'west', 'capital'];
const TERMS = [12, 24, 36, 48, 60];

/**
 * How far week `week` has drifted, from 0 (as in the history) to 1. Weeks 1-4 are calm; from week 5
 * a plant closes in the east: incomes fall, people borrow more for longer, the east's share of
 * applicants grows, and there a missed payment is likelier than before at the same income.
 */
function shiftOf(week) {
  return [0, 0, 0, 0, 0.9, 1, 1, 1][week - 1] ?? 1;
}

function gaussian(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function pick(random, items, weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i];
    if (r < 0) return items[i];
  }
  return items[items.length - 1];
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const round = (v, step) => Math.round(v / step) * step;

/** One applicant and whether they default, at drift level `s` (0..1). */
function applicant(random, id, s) {
  const age = Math.round(clamp(40 - 6 * s + 12 * gaussian(random), 21, 75));
  const employment =
    age >= 64 && random() < 0.7
      ? 'retired'
      : pick(random, EMPLOYMENT, [0.62 - 0.12 * s, 0.14, 0.12 + 0.08 * s, 0.05 + 0.04 * s, 0.07]);
  const region = pick(random, REGIONS, [0.2, 0.2, 0.15 + 0.3 * s, 0.2 - 0.05 * s, 0.25 - 0.1 * s]);
  const baseIncome = { salaried: 3400, self_employed: 3600, contract: 2700, unemployed: 900, retired: 1800 }[employment];
  const regionIncome = { north: 1, south: 0.92, east: 0.95 - 0.25 * s, west: 1.02, capital: 1.25 }[region];
  const income = round(clamp(baseIncome * regionIncome * Math.exp(0.35 * gaussian(random)) * (1 - 0.1 * s), 300, 20000), 10);
  const term = pick(random, TERMS, [0.15 - 0.05 * s, 0.25 - 0.1 * s, 0.3 - 0.1 * s, 0.15 + 0.1 * s, 0.15 + 0.15 * s]);
  const amount = round(clamp(income * (1.5 + 2.5 * random()) * (term / 24) * (1 + 0.4 * s), 500, 60000), 50);
  const creditYears = Math.round(clamp((age - 20) * random() * 0.9 + gaussian(random), 0, 50));
  const previousDefaults = Math.min(4, Math.floor(-Math.log(Math.max(random(), 1e-12)) * (0.25 + (employment === 'unemployed' ? 0.35 : 0))));

  // The hidden model: the monthly burden of the loan against income matters most, then the past.
  const burden = amount / term / income;
  const logit =
    -2.6 +
    9 * burden +
    1.1 * previousDefaults -
    0.04 * creditYears -
    0.012 * (age - 40) +
    { salaried: 0, self_employed: 0.35, contract: 0.6, unemployed: 1.5, retired: 0.1 }[employment] +
    { north: 0, south: 0.2, east: 0.15 + 1.6 * s, west: -0.1, capital: -0.25 }[region] +
    0.3 * gaussian(random);
  const defaulted = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  return {
    id,
    age,
    income,
    amount,
    term,
    employment,
    region,
    credit_history_years: creditYears,
    previous_defaults: previousDefaults,
    default: defaulted,
  };
}

/** The historical applications the first models learn from. */
function history(rows, seed) {
  const random = mulberry32(seed);
  return Array.from({ length: rows }, (_, i) => applicant(random, `L${String(i + 1).padStart(5, '0')}`, 0));
}

/** One week of production applications with their true outcome. */
function week(n, rows, seed) {
  const random = mulberry32((seed + 7919 * n) >>> 0);
  const s = shiftOf(n);
  return Array.from({ length: rows }, (_, i) => applicant(random, `W${String(n).padStart(2, '0')}-${String(i + 1).padStart(4, '0')}`, s));
}

/**
 * Where an application falls in the train/test split: FNV-1a of the seed and its id, mixed by
 * MurmurHash3's finalizer (sequential ids differ in their last characters only), in [0, 1).
 */
function placement(seed, id) {
  let h = (2166136261 ^ seed) >>> 0;
  for (const ch of String(id)) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

module.exports = { COLUMNS, placement, EMPLOYMENT, REGIONS, TERMS, shiftOf, history, week };
