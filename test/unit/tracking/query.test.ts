import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { searchRuns } from '../../../electron/core/tracking/search';
import { printField, printQuery, type Field, type QueryNode } from '../../../shared/query/ast';
import { evaluateQuery, type QueryableRun } from '../../../shared/query/evaluate';
import { parseQuery, QuerySyntaxError } from '../../../shared/query/parse';

const KEYS = ['acc', 'loss', 'train.lr'];
const WORDS = ['rf', 'svm', 'RF', 'a_b', 'x%y', '0.5', '10', ''];

const runArb = fc.record({
  name: fc.constantFrom('alpha', 'beta', 'Gamma', 'delta-1'),
  status: fc.constantFrom('running', 'succeeded', 'failed'),
  experiment: fc.constantFrom('e1', 'e2'),
  started: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  length: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  metrics: fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -2, max: 2, noNaN: true })),
  ),
  params: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...WORDS)),
  tags: fc.dictionary(fc.constantFrom('team', 'model'), fc.constantFrom(...WORDS)),
});

const textField: fc.Arbitrary<Field> = fc.oneof(
  fc.constantFrom(...KEYS).map((key) => ({ kind: 'param' as const, key })),
  fc.constantFrom('team', 'model').map((key) => ({ kind: 'tag' as const, key })),
  fc.constantFrom('name', 'status', 'experiment', 'start_time').map((name) => ({ kind: 'attr' as const, name })),
);
const numField: fc.Arbitrary<Field> = fc.oneof(
  fc.constantFrom(...KEYS).map((key) => ({ kind: 'metric' as const, key })),
  fc.constant({ kind: 'attr' as const, name: 'duration' as const }),
);
// -0 prints as 0: the same query, but not the same tree.
const num = fc
  .oneof(fc.integer({ min: -5, max: 60 }), fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }))
  .map((v) => v + 0);
const op = fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const);
const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.record({ type: fc.constant('cmp' as const), field: numField, op, value: num }),
  fc.record({
    type: fc.constant('cmp' as const),
    field: textField,
    op,
    value: fc.oneof(fc.constantFrom(...WORDS, 'alpha', 'succeeded', 'e1'), num),
  }),
  fc.record({
    type: fc.constant('in' as const),
    field: textField,
    values: fc.array(fc.constantFrom(...WORDS, 'beta', 'failed'), { minLength: 1, maxLength: 3 }),
    negated: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('like' as const),
    field: textField,
    pattern: fc.constantFrom('r%', '%B%', '_f', 'x%y', 'a\\_b', '%'),
    negated: fc.boolean(),
  }),
);
const query: fc.Arbitrary<QueryNode> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      left: tie('node') as fc.Arbitrary<QueryNode>,
      right: tie('node') as fc.Arbitrary<QueryNode>,
    }),
    fc.record({ type: fc.constant('not' as const), expr: tie('node') as fc.Arbitrary<QueryNode> }),
  ),
})).node;

function load(runs: (typeof runArb extends fc.Arbitrary<infer T> ? T : never)[]): {
  db: BetterSqlite3.Database;
  mem: QueryableRun[];
} {
  const db = new BetterSqlite3(':memory:');
  migrate(db, ':memory:');
  db.prepare(`INSERT INTO experiments (name) VALUES ('e1'), ('e2')`).run();
  const mem: QueryableRun[] = [];
  runs.forEach((r, i) => {
    const id = `r${i}`;
    const start = r.started === null ? null : new Date(Date.UTC(2026, 0, 1, 0, 0, r.started)).toISOString();
    const end = start && r.length !== null ? new Date(Date.parse(start) + r.length * 1000).toISOString() : null;
    db.prepare(
      'INSERT INTO runs (id, experiment_id, name, status, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, r.experiment === 'e1' ? 1 : 2, r.name, r.status, start, end);
    for (const [k, v] of Object.entries(r.metrics))
      db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, 0, ?, 'now')`).run(id, k, v);
    for (const [k, v] of Object.entries(r.params))
      db.prepare('INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)').run(id, k, v);
    for (const [k, v] of Object.entries(r.tags))
      db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)').run(id, k, v);
    mem.push({
      id,
      name: r.name,
      status: r.status,
      experiment: r.experiment,
      startTime: start,
      duration: start && end ? (Date.parse(end) - Date.parse(start)) / 1000 : null,
      metrics: r.metrics,
      params: r.params,
      tags: r.tags,
    });
  });
  return { db, mem };
}

describe('the run query language', () => {
  it('prints and parses back to the same tree (property)', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(parseQuery(printQuery(q))).toEqual(q);
      }),
      { numRuns: 500 },
    );
  });

  it('selects in SQL exactly the runs the in-memory evaluator selects (property)', () => {
    fc.assert(
      fc.property(
        fc.array(runArb, { maxLength: 12 }),
        fc.array(query, { minLength: 1, maxLength: 8 }),
        (runs, queries) => {
          const { db, mem } = load(runs);
          for (const q of queries) {
            const sql = searchRuns(db, { filter: printQuery(q), sort: 'id', limit: 1000 })
              .map((r) => r.id)
              .sort();
            const expected = mem
              .filter((r) => evaluateQuery(q, r))
              .map((r) => r.id)
              .sort();
            expect(sql, printQuery(q)).toEqual(expected);
          }
          db.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads the documented example, dotted keys, in, like and attributes', () => {
    expect(parseQuery("metrics.accuracy > 0.9 and params.model = 'rf' and tags.team = 'vision'")).toEqual({
      type: 'and',
      left: {
        type: 'and',
        left: { type: 'cmp', field: { kind: 'metric', key: 'accuracy' }, op: '>', value: 0.9 },
        right: { type: 'cmp', field: { kind: 'param', key: 'model' }, op: '=', value: 'rf' },
      },
      right: { type: 'cmp', field: { kind: 'tag', key: 'team' }, op: '=', value: 'vision' },
    });
    expect(parseQuery('params.train.lr in (0.1, 0.01) or not status = "failed"')).toMatchObject({
      type: 'or',
      left: { type: 'in', field: { key: 'train.lr' }, values: [0.1, 0.01] },
      right: { type: 'not' },
    });
    expect(parseQuery("name not like 'base%' and duration >= 60")).toMatchObject({
      type: 'and',
      left: { type: 'like', negated: true },
    });
    expect(parseQuery('   ')).toBeNull();
    // The README's examples.
    for (const q of [
      "(params.train.lr in (0.1, 0.01) or status = 'failed') and not name like 'base%'",
      "duration >= 60 and start_time > '2026-11-01'",
      'metrics.`f1@0.5` > 0.8',
    ]) {
      expect(() => parseQuery(q), q).not.toThrow();
    }
    expect(parseQuery('metrics.`f1@0.5` > 0.8')).toMatchObject({ field: { kind: 'metric', key: 'f1@0.5' } });
  });

  it('points at the bad token', () => {
    const cases: [string, number, RegExp][] = [
      ['metrics.acc >', 14, /expected a value/],
      ["params.model = 'rf", 16, /unclosed string/],
      ['metrics.acc > 1 and', 20, /expected a field/],
      ['colour = 1', 1, /unknown field 'colour'/],
      ['metrics.acc > 1 params.x = 2', 17, /expected 'and', 'or'/],
      ['(metrics.acc > 1', 17, /expected '\)'/],
      ['metrics.acc ~ 1', 13, /unexpected character '~'/],
      ['params.x in 1', 13, /expected '\(' after 'in'/],
    ];
    for (const [text, column, message] of cases) {
      let caught: unknown;
      try {
        parseQuery(text);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).toBeInstanceOf(QuerySyntaxError);
      expect((caught as QuerySyntaxError).column, text).toBe(column);
      expect((caught as Error).message, text).toMatch(message);
    }
  });

  it('cannot be used to inject SQL: keys and values are bound, never spliced', () => {
    const { db } = load([
      {
        name: 'alpha',
        status: 'succeeded',
        experiment: 'e1',
        started: 1,
        length: 2,
        metrics: { acc: 1 },
        params: { acc: 'rf' },
        tags: {},
      },
    ]);
    const attempts = [
      "params.model = 'x'' OR 1=1 --'",
      "params.`x') OR 1=1 --` = 'a'",
      "name = ''; DROP TABLE runs; --'",
      "tags.`team` like '%' or name = 'x'' union select sql from sqlite_master --'",
    ];
    for (const a of attempts) {
      // Either a clean refusal of the text, or an ordinary match: never SQL of the caller's making.
      let rows: { name: string }[] = [];
      try {
        rows = searchRuns(db, { filter: a });
      } catch (err) {
        expect((err as { code?: string }).code, a).toBe('INVALID_INPUT');
      }
      expect(rows.every((r) => r.name === 'alpha')).toBe(true);
      expect(rows.length).toBeLessThanOrEqual(1);
    }
    expect(db.prepare(`SELECT COUNT(*) AS n FROM runs`).get()).toEqual({ n: 1 });
    expect(() => searchRuns(db, { filter: "metrics.acc = 'high'" })).toThrow(/is a number: compare it with a number/);
    expect(() => searchRuns(db, { filter: 'metrics.acc like 1' })).toThrow();
    expect(() => searchRuns(db, { sort: 'colour' })).toThrow(/Cannot sort by "colour"/);
    db.close();
  });

  it('sorts by metrics, params (numbers as numbers) and attributes, missing values last', () => {
    const base = { status: 'succeeded', experiment: 'e1', length: 1, tags: {} };
    const { db } = load([
      { ...base, name: 'a', started: 3, metrics: { acc: 0.5 }, params: { 'train.lr': '10' } },
      { ...base, name: 'b', started: 1, metrics: { acc: 0.9 }, params: { 'train.lr': '9' } },
      { ...base, name: 'c', started: 2, metrics: {}, params: { 'train.lr': 'rf' } },
    ] as unknown as Parameters<typeof load>[0]);
    const names = (sort: string) => searchRuns(db, { sort }).map((r) => r.name);
    expect(names('-metrics.acc')).toEqual(['b', 'a', 'c']);
    expect(names('metrics.acc')).toEqual(['a', 'b', 'c']);
    expect(names('params.train.lr')).toEqual(['b', 'a', 'c']);
    expect(names('start_time')).toEqual(['b', 'c', 'a']);
    expect(names('-start_time')).toEqual(['a', 'c', 'b']);
    const [first] = searchRuns(db, { filter: 'metrics.acc > 0.8' });
    expect(first).toMatchObject({ name: 'b', metrics: { acc: 0.9 }, params: { 'train.lr': '9' }, duration: 1 });
    db.close();
  });
});

describe('printField', () => {
  it('prints any key so that the parser reads the same key back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('metric', 'param', 'tag') as fc.Arbitrary<'metric' | 'param' | 'tag'>,
        fc.stringMatching(/^[A-Za-z0-9_.\- `]{1,8}$/),
        (kind, key) => {
          const node = parseQuery(`${printField({ kind, key })} = 1`);
          expect(node).toMatchObject({ type: 'cmp', field: { kind, key } });
        },
      ),
    );
    expect(printField({ kind: 'metric', key: 'A.-' })).toBe('metrics.`A.-`');
  });
});
