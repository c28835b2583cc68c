// MLflow's wire quirks and filter language, translated: bare NaN/Infinity tokens in request JSON,
// protobuf's "NaN" strings in answers, and run filters read into Benchtop's query language.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/query/parse';
import { MlflowError } from '../../../electron/server/mlflow/errors';
import { translateOrderBy, translateRunFilterText } from '../../../electron/server/mlflow/filter';
import { parseLenientJson, stringifyMlflow } from '../../../electron/server/mlflow/json';

/** JSON as Python's json.dumps writes it: non-finite floats as bare tokens. */
function pythonDumps(v: unknown): string {
  if (Object.is(v, -0)) return '-0.0';
  if (typeof v === 'number')
    return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonDumps).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pythonDumps(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
}

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.double(),
    fc.constantFrom(Number.NaN, Infinity, -Infinity),
    fc.string(),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', 'a "NaN" b', '\\"NaN'),
    fc.boolean(),
    fc.constant(null),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
  ),
})).node;

describe('lenient JSON', () => {
  it("reads Python's bare NaN / Infinity / -Infinity tokens and leaves strings alone", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(parseLenientJson(pythonDumps(v))).toEqual(v);
      }),
    );
  });

  it('still refuses what is not JSON', () => {
    for (const bad of ['{', 'NaNa', '[Infinityy]', '{"a": nan}', "{'a': 1}"])
      expect(() => parseLenientJson(bad), bad).toThrow();
  });

  it("answers non-finite numbers as protobuf's strings", () => {
    expect(stringifyMlflow({ a: [Number.NaN, Infinity, -Infinity, 1.5] })).toBe(
      '{"a":["NaN","Infinity","-Infinity",1.5]}',
    );
  });
});

describe('MLflow run filters', () => {
  it('translates metrics, params, tags and attributes', () => {
    expect(translateRunFilterText("metrics.acc > 0.9 AND params.model = 'rf'")).toBe(
      "(metrics.acc > 0.9 and params.model = 'rf')",
    );
    expect(translateRunFilterText('tags."mlflow.runName" = \'x\'')).toBe("name = 'x'");
    expect(translateRunFilterText("tags.`my key` ILIKE '%a%'")).toBe("tags.`my key` like '%a%'");
    expect(translateRunFilterText("attributes.status = 'KILLED'")).toBe("status in ('cancelled', 'interrupted')");
    expect(translateRunFilterText("attributes.status != 'FINISHED'")).toBe("status not in ('succeeded')");
    expect(translateRunFilterText("attribute.run_id IN ('a', 'b')")).toBe("id in ('a', 'b')");
    expect(translateRunFilterText("run_name LIKE 'base%'")).toBe("name like 'base%'");
    expect(translateRunFilterText('attributes.start_time >= 1769860800000')).toBe(
      "start_time >= '2026-01-31T12:00:00.000Z'",
    );
    expect(translateRunFilterText("params.train.lr = '0.1'")).toBe("params.train.lr = '0.1'");
    expect(translateRunFilterText('')).toBe('');
  });

  it('reads back in the query language as the same conditions', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const cond = fc.oneof(
      fc
        .tuple(key, fc.constantFrom('<', '<=', '>', '>=', '=', '!='), fc.integer({ min: -1000, max: 1000 }))
        .map(([k, op, n]) => `metrics.${k} ${op} ${n}`),
      fc
        .tuple(key, fc.constantFrom('=', '!='), fc.string({ maxLength: 6 }))
        .map(([k, op, s]) => `params.${k} ${op} '${s.replace(/'/g, "''")}'`),
      fc.tuple(key, fc.string({ maxLength: 6 })).map(([k, s]) => `tags.\`${k}\` LIKE '${s.replace(/'/g, "''")}%'`),
    );
    fc.assert(
      fc.property(fc.array(cond, { minLength: 1, maxLength: 4 }), (conds) => {
        const text = translateRunFilterText(conds.join(' and '));
        const tree = parseQuery(text);
        expect(tree).not.toBeNull();
        // As many comparisons as there were conditions, all joined by and.
        expect((text.match(/ and /g) ?? []).length).toBe(conds.length - 1);
      }),
    );
  });

  it('refuses what Benchtop cannot answer, as INVALID_PARAMETER_VALUE', () => {
    for (const bad of [
      "metrics.acc > 0.9 OR params.a = 'b'",
      'attributes.end_time > 5',
      "metrics.acc = 'high'",
      "attributes.status = 'DONE'",
      'metrics.acc >',
      "attributes.status LIKE 'F%'",
    ]) {
      let err: unknown;
      try {
        translateRunFilterText(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(MlflowError);
      expect((err as MlflowError).code).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('translates order_by clauses', () => {
    expect(translateOrderBy('metrics.acc DESC')).toBe('-metrics.acc');
    expect(translateOrderBy('attributes.start_time')).toBe('start_time');
    expect(translateOrderBy('params.`a b` ASC')).toBe('params.`a b`');
    expect(() => translateOrderBy('attributes.end_time DESC')).toThrow(MlflowError);
  });
});
