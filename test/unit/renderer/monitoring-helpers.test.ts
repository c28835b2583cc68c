// Runs in: tests (Node). The Monitoring view's pure helpers: the drift tests it offers match the core's
// (names, titles, which need numbers), the tests offered per column type, the overrides a request
// carries, and which run artifacts a drift report can read.
import { describe, expect, it } from 'vitest';
import { DRIFT_TESTS, TEST_SPECS } from '../../../electron/core/monitoring/stats';
import { DRIFT_TEST_CHOICES, testsFor } from '../../../renderer/src/sections/monitoring/drift-tests';
import { batchRequest, cleanOverrides, tableArtifacts } from '../../../renderer/src/sections/monitoring/drift-sources';
import { driftRequest } from '../../../shared/contract/schemas';

describe('monitoring view helpers', () => {
  it('offer exactly the tests the core runs, with its titles and numeric-only flags', () => {
    expect(Object.keys(DRIFT_TEST_CHOICES).sort()).toEqual([...DRIFT_TESTS].sort());
    for (const t of DRIFT_TESTS)
      expect(DRIFT_TEST_CHOICES[t], t).toEqual({ title: TEST_SPECS[t].title, numericOnly: TEST_SPECS[t].numericOnly });
  });

  it('offer no test for text, every test for numbers and dates, and the category tests for categorical columns', () => {
    expect(testsFor('text')).toEqual([]);
    expect(testsFor('numeric')).toEqual([...DRIFT_TESTS]);
    expect(testsFor('datetime')).toEqual([...DRIFT_TESTS]);
    expect(testsFor('categorical')).toEqual(['chisquare', 'z', 'jensenshannon', 'psi', 'kl_div', 'hellinger']);
  });

  it('send only the overrides that were chosen', () => {
    expect(
      cleanOverrides({
        a: {},
        b: { type: 'categorical' },
        c: { test: 'psi', threshold: 0.2 },
        d: { threshold: Number.NaN },
      }),
    ).toEqual({ b: { type: 'categorical' }, c: { test: 'psi', threshold: 0.2 } });
    expect(cleanOverrides({ e: { threshold: 0 } })).toEqual({ e: { threshold: 0 } });
  });

  it('list the logged table artifacts a drift report reads, once each, not outputs or other files', () => {
    const a = (path: string, role: 'dep' | 'out' | 'artifact' = 'artifact', hash: string | null = 'h') => ({
      path,
      stage: '',
      role,
      hash,
      size: 1,
      type: null,
    });
    expect(
      tableArtifacts([
        a('b/scored.CSV'),
        a('a.parquet'),
        a('model.json'),
        a('x.tsv', 'out'),
        a('y.jsonl', 'artifact', null),
        a('a.parquet'),
        a('z.jsonl'),
      ]),
    ).toEqual(['a.parquet', 'b/scored.CSV', 'z.jsonl']);
  });

  it("rebuild a monitor's batch request as a valid drift request carrying its settings", () => {
    const config = {
      model: null,
      reference: 'data/ref.csv',
      folder: 'batches',
      files: [],
      target: 'y',
      prediction: 'p',
      columns: { age: { test: 'psi' as const } },
      exclude: ['id'],
      shareThreshold: 0.3,
      rules: [],
      retrain: false,
    };
    const request = batchRequest(config, { path: 'batches/w1.csv' });
    expect(driftRequest.parse(request)).toEqual({
      reference: 'data/ref.csv',
      current: 'batches/w1.csv',
      target: 'y',
      prediction: 'p',
      columns: { age: { test: 'psi' } },
      exclude: ['id'],
      shareThreshold: 0.3,
    });
  });
});
