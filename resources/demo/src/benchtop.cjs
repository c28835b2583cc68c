// Runs in: a stage's child process (Node, no dependencies).
/*
 * Report to Benchtop from a pipeline stage, with Node alone.
 *
 * Benchtop starts every stage as a child process with these environment variables:
 *   BENCHTOP_RUN_ID       the run this stage belongs to
 *   BENCHTOP_STAGE        the stage's name
 *   BENCHTOP_PROJECT_DIR  the project folder (also the stage's working directory)
 *   BENCHTOP_PARAMS_FILE  a JSON file with the stage's resolved params as a nested object,
 *                         e.g. {"split": {"seed": 42}, "train": {"lr": 0.1}}
 *
 * A stage reports by printing lines on stdout made of the exact prefix "::benchtop:: " (with one
 * trailing space) and a single-line JSON object:
 *   ::benchtop:: {"type":"metric","key":"loss","value":0.25,"step":3}
 *   ::benchtop:: {"type":"param","key":"train.lr","value":0.1}
 *   ::benchtop:: {"type":"tag","key":"model","value":"softmax"}
 *   ::benchtop:: {"type":"artifact","path":"build/model.json"}
 * Every other line on stdout is an ordinary log line. Each line is written straight away (no
 * buffering here), so Benchtop shows it live. Outside Benchtop the lines are simply printed, and
 * params() is {}.
 *
 * Usage:
 *   const benchtop = require('./benchtop.cjs');
 *   const lr = benchtop.params().train?.lr ?? 0.1;
 *   benchtop.logMetric('loss', 0.25);            // step 0, then 1, 2, ... per key
 *   benchtop.logMetric('loss', 0.2, 10);         // an explicit step (later automatic steps follow it)
 *   benchtop.logParams({ train: { lr } });       // one line per key: train.lr
 *   benchtop.setTag('model', 'softmax');
 *   benchtop.logArtifact('build/model.json');    // relative to the project folder
 */
'use strict';

const fs = require('fs');
const path = require('path');

const PREFIX = '::benchtop:: ';

/** The next automatic step for each metric key. */
const nextStep = new Map();

/** The stage's resolved params (a nested object) from BENCHTOP_PARAMS_FILE; {} when it is unset. */
function params() {
  const file = process.env.BENCHTOP_PARAMS_FILE;
  if (!file) return {};
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`benchtop: BENCHTOP_PARAMS_FILE (${file}) must hold a JSON object, not ${describe(data)}`);
  }
  return data;
}

/** Records a metric value. Without a step, each key counts its own steps from 0. */
function logMetric(key, value, step) {
  checkKey('metric', key);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`benchtop: metric ${JSON.stringify(key)} must be a finite number, got ${describe(value)}`);
  }
  if (step === undefined || step === null) {
    step = nextStep.get(key) ?? 0;
  } else if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new Error(`benchtop: step for metric ${JSON.stringify(key)} must be an integer >= 0, got ${describe(step)}`);
  }
  nextStep.set(key, step + 1);
  emit({ type: 'metric', key, value, step });
}

/** Records params: one line per key; nested objects are flattened with dots ({a: {b: 1}} -> a.b). */
function logParams(values) {
  if (!isPlainObject(values)) throw new Error(`benchtop: logParams takes an object, got ${describe(values)}`);
  for (const [key, value] of flatten(values, '')) {
    checkKey('param', key);
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw new Error(`benchtop: param ${JSON.stringify(key)} must be a string, finite number or boolean, got ${describe(value)}`);
    }
    emit({ type: 'param', key, value });
  }
}

/** Sets a string tag on the run. */
function setTag(key, value) {
  checkKey('tag', key);
  if (typeof value !== 'string') throw new Error(`benchtop: tag ${JSON.stringify(key)} must have a string value, got ${describe(value)}`);
  emit({ type: 'tag', key, value });
}

/** Records a file the stage produced. Give it relative to the project folder (the working directory). */
function logArtifact(file) {
  if (typeof file !== 'string' || file === '') throw new Error(`benchtop: artifact path must be a non-empty string, got ${describe(file)}`);
  let rel = file;
  if (path.isAbsolute(file)) {
    const root = path.resolve(process.env.BENCHTOP_PROJECT_DIR || process.cwd());
    rel = path.relative(root, path.resolve(file));
    if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
      throw new Error(`benchtop: artifact ${JSON.stringify(file)} is outside the project folder ${JSON.stringify(root)}`);
    }
  }
  emit({ type: 'artifact', path: rel.split(path.sep).join('/') });
}

function* flatten(values, prefix) {
  for (const [key, value] of Object.entries(values)) {
    if (key === '') throw new Error(`benchtop: param keys must be non-empty strings (an empty key under ${JSON.stringify(prefix || 'the top level')})`);
    const full = prefix + key;
    if (isPlainObject(value)) yield* flatten(value, full + '.');
    else yield [full, value];
  }
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkKey(kind, key) {
  if (typeof key !== 'string' || key === '') throw new Error(`benchtop: ${kind} key must be a non-empty string, got ${describe(key)}`);
}

function describe(value) {
  if (typeof value === 'number' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value === undefined) return 'undefined';
  try {
    return `${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value} ${JSON.stringify(value)}`;
  } catch {
    return typeof value;
  }
}

function emit(message) {
  process.stdout.write(PREFIX + JSON.stringify(message) + '\n');
}

module.exports = { params, logMetric, logParams, setTag, logArtifact, PREFIX };
