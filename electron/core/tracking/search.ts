// Runs in: main (core). Finding runs: the query language's filter, sort by any column, and each
// run's params, latest metrics and tags, fetched in bulk.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import type { Field } from '../../../shared/query/ast';
import { parseQuery, QuerySyntaxError } from '../../../shared/query/parse';
import { compileQuery } from './query-sql';

export interface RunRow {
  id: string;
  name: string;
  status: string;
  experiment: string;
  startTime: string | null;
  endTime: string | null;
  duration: number | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  starred: boolean;
  source: string;
}

export interface SearchOptions {
  filter?: string;
  /** Deleted runs are hidden unless asked for ('only' lists just them). */
  deleted?: 'hide' | 'include' | 'only';
  /** A field, `-` in front for descending: `-metrics.accuracy`, `start_time`. */
  sort?: string;
  limit?: number;
  /** Matching runs skipped before the first one returned (paging). */
  offset?: number;
}

function sortField(spec: string): { field: Field; desc: boolean } {
  const desc = spec.startsWith('-');
  const text = desc ? spec.slice(1) : spec;
  try {
    const node = parseQuery(`${text} = 0`);
    if (node?.type === 'cmp') return { field: node.field, desc };
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
  }
  throw new BenchtopError('INVALID_INPUT', `Cannot sort by "${spec}".`, {
    field: 'sort',
    hint: 'Sort by a field such as metrics.accuracy, params.model or start_time; put - in front for descending.',
  });
}

function orderBy(spec: string, params: unknown[]): string {
  const { field, desc } = sortField(spec);
  const dir = desc ? 'DESC' : 'ASC';
  if (field.kind === 'attr') {
    const column = {
      id: 'r.id',
      name: 'r.name',
      status: 'r.status',
      experiment: 'e.name',
      start_time: 'r.started_at',
      duration: "(unixepoch(r.ended_at, 'subsec') - unixepoch(r.started_at, 'subsec'))",
    }[field.name];
    return `${column} ${dir} NULLS LAST, r.id`;
  }
  const table = { metric: 'run_latest_metrics', param: 'run_params', tag: 'run_tags' }[field.kind];
  const value = `(SELECT value FROM ${table} WHERE run_id = r.id AND key = ?)`;
  if (field.kind === 'metric') {
    params.push(field.key);
    return `${value} ${dir} NULLS LAST, r.id`;
  }
  // Params and tags are text: the numbers among them sort as numbers, then the rest as text.
  params.push(field.key, field.key);
  return `bt_num(${value}) ${dir} NULLS LAST, ${value} ${dir}, r.id`;
}

export function searchRuns(db: Database, opts: SearchOptions = {}): RunRow[] {
  // bt_num, used by the compiled SQL, is registered on every connection by migrate().
  const { where, params } = compileQuery(opts.filter ?? '');
  const orderParams: unknown[] = [];
  const order = orderBy(opts.sort ?? '-start_time', orderParams);
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 100_000);
  // The page's ids first, with nothing else computed for the rows that do not make the page
  // (SQLite computes every selected column of every matching row before it sorts).
  const joinExperiments = where.includes('e.name') || order.includes('e.name');
  const ids = db
    .prepare(
      `SELECT r.id FROM runs r${joinExperiments ? ' JOIN experiments e ON e.id = r.experiment_id' : ''}
        WHERE ${where} AND ${{ hide: 'r.deleted_at IS NULL', include: '1', only: 'r.deleted_at IS NOT NULL' }[opts.deleted ?? 'hide']}
        ORDER BY ${order}
        LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(...params, ...orderParams, limit, Math.max(opts.offset ?? 0, 0)) as string[];
  if (ids.length === 0) return [];
  const idList = JSON.stringify(ids);
  // Params and tags come back as two JSON objects per run, built by SQLite: a row per run instead
  // of a row per value (50,000 rows for a page of 1,000 runs with 50 params), and JSON.parse builds
  // an object faster than setting its properties one by one. Metrics cannot travel that way: SQLite
  // prints a REAL in JSON with 15 significant digits, which is not the number that was logged, and
  // printf cannot print every double exactly either. So each run's metric keys come as a JSON
  // array, and their values as one flat list of numbers in the same order (runs in page order,
  // keys sorted), which costs far less to read than a row of run, key and value per metric.
  const byId = new Map<string, [RunRow, string]>();
  for (const [
    id,
    name,
    status,
    experiment,
    startTime,
    endTime,
    duration,
    starred,
    source,
    params,
    tags,
    metricKeys,
  ] of db.prepare(PAGE).raw().all(idList) as PageRow[]) {
    byId.set(id, [
      {
        id,
        name,
        status,
        experiment,
        startTime,
        endTime,
        duration,
        starred: starred === 1,
        source,
        params: JSON.parse(params) as Record<string, string>,
        metrics: {},
        tags: JSON.parse(tags) as Record<string, string>,
      },
      metricKeys,
    ]);
  }
  const values = db.prepare(METRIC_VALUES).pluck().all(idList) as (number | null)[];
  let next = 0;
  return ids.map((id) => {
    const [run, keys] = byId.get(id)!;
    const metrics = run.metrics;
    for (const key of JSON.parse(keys) as string[]) {
      // SQLite keeps a NaN metric as NULL.
      const value = values[next++] ?? Number.NaN;
      // A key may be "__proto__", which plain assignment would take as the object's prototype.
      if (key === '__proto__')
        Object.defineProperty(metrics, key, { value, enumerable: true, writable: true, configurable: true });
      else metrics[key] = value;
    }
    return run;
  });
}

type PageRow = [
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  number | null,
  0 | 1,
  string,
  string,
  string,
  string,
];

const PAGE = `SELECT r.id, r.name, r.status, e.name, r.started_at, r.ended_at,
    unixepoch(r.ended_at, 'subsec') - unixepoch(r.started_at, 'subsec'), r.starred, r.source,
    (SELECT json_group_object(key, value) FROM run_params WHERE run_id = r.id),
    (SELECT json_group_object(key, value) FROM run_tags WHERE run_id = r.id),
    (SELECT json_group_array(key ORDER BY key) FROM run_latest_metrics WHERE run_id = r.id)
  FROM runs r JOIN experiments e ON e.id = r.experiment_id
  WHERE r.id IN (SELECT value FROM json_each(?))`;

/** The page's metric values: its runs in page order (json_each's key is the position), keys sorted as in PAGE. */
const METRIC_VALUES = `SELECT m.value FROM json_each(?) j JOIN run_latest_metrics m ON m.run_id = j.value
  ORDER BY j.key, m.key`;
