// Runs in: main (core, MLflow server) and renderer (shared). How long keys and values may be. The
// figures are MLflow's, so that code written for MLflow is refused by Benchtop exactly where MLflow
// would refuse it, and no further. Shared so the MLflow layer can refuse an oversized batch before
// reading it, with the core's own words.
import { BenchtopError } from '../contract/errors';

export const LIMITS = {
  key: 250,
  paramValue: 6000,
  tagValue: 8000,
  runName: 250,
  experimentName: 500,
  notes: 1_000_000,
  /** log-batch: metrics per request, params+tags per request, and all of them together. */
  batchMetrics: 1000,
  batchParamsTags: 100,
  batchEntities: 1000,
} as const;

/** Letters, digits and `_ - . / :` and spaces, like MLflow's keys (colons name a params file). */
const KEY = /^[A-Za-z0-9_\-./: ]+$/;

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function checkKey(kind: 'metric' | 'param' | 'tag', key: string, field = 'key'): void {
  if (key.length === 0)
    throw new BenchtopError('INVALID_INPUT', `A ${kind} key is empty.`, { field, hint: 'Give the key a name.' });
  if (key.length > LIMITS.key) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `The ${kind} key "${key.slice(0, 40)}…" is ${key.length} characters long; the limit is ${LIMITS.key}.`,
      { field, hint: `Use a key of at most ${LIMITS.key} characters.` },
    );
  }
  // Names JavaScript objects give special meaning: records keyed by them lose the entry silently.
  if (RESERVED_KEYS.has(key)) {
    throw new BenchtopError('INVALID_INPUT', `"${key}" cannot be a ${kind} key: the name is reserved.`, {
      field,
      hint: `Rename the ${kind}, e.g. "${key.replace(/_/g, '')}_value".`,
    });
  }
  if (!KEY.test(key) || key.split('/').includes('..')) {
    throw new BenchtopError('INVALID_INPUT', `The ${kind} key "${key}" has characters a key cannot have.`, {
      field,
      hint: 'Keys may use letters, digits, spaces and _ - . / : (and no "..").',
    });
  }
}

export function checkValue(kind: 'param' | 'tag', key: string, value: string, field = 'value'): void {
  const limit = kind === 'param' ? LIMITS.paramValue : LIMITS.tagValue;
  if (value.length > limit) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `The value of ${kind} "${key}" is ${value.length} characters long; the limit for a ${kind} value is ${limit}.`,
      { field, hint: `Shorten it to at most ${limit} characters, or log it as an artifact.` },
    );
  }
}

export function checkText(what: string, value: string, limit: number, field: string): void {
  if (value.length > limit) {
    throw new BenchtopError('INVALID_INPUT', `The ${what} is ${value.length} characters long; the limit is ${limit}.`, {
      field,
      hint: `Shorten it to at most ${limit} characters.`,
    });
  }
}

/**
 * A batch's size against MLflow's log-batch limits, checked before anything is written so that a
 * refused batch leaves the run as it was.
 */
export function checkBatch(metrics: number, params: number, tags: number): void {
  const refuse = (message: string, hint: string): never => {
    throw new BenchtopError('INVALID_INPUT', message, { field: 'batch', hint });
  };
  if (metrics > LIMITS.batchMetrics)
    refuse(
      `A batch may hold at most ${LIMITS.batchMetrics} metrics; this one holds ${metrics}.`,
      `Split it into batches of at most ${LIMITS.batchMetrics} metrics.`,
    );
  if (params + tags > LIMITS.batchParamsTags) {
    refuse(
      `A batch may hold at most ${LIMITS.batchParamsTags} params and tags together; this one holds ${params + tags}.`,
      `Split it into batches of at most ${LIMITS.batchParamsTags} params and tags.`,
    );
  }
  if (metrics + params + tags > LIMITS.batchEntities) {
    refuse(
      `A batch may hold at most ${LIMITS.batchEntities} metrics, params and tags in all; this one holds ${metrics + params + tags}.`,
      `Split it into batches of at most ${LIMITS.batchEntities} entries.`,
    );
  }
}

/** An artifact's name inside its run: relative, `/`-separated, no `..`, no empty parts. */
export function checkArtifactName(name: string, field = 'path'): string {
  const clean = name.replace(/\\/g, '/').replace(/^\.\//, '');
  const parts = clean.split('/');
  if (
    clean === '' ||
    clean.length > 1024 ||
    clean.startsWith('/') ||
    /^[A-Za-z]:/.test(clean) ||
    parts.some((p) => p === '' || p === '.' || p === '..') ||
    clean.includes('\0')
  ) {
    throw new BenchtopError('INVALID_INPUT', `"${name.slice(0, 200)}" cannot be an artifact path.`, {
      field,
      hint: 'Use a relative path such as plots/loss.png, without "..".',
    });
  }
  return clean;
}
