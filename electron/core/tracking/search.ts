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
  throw new BenchtopError('INVALID_INPUT', `Cannot sort by "${spec}".`, { field: 'sort', hint: 'Sort by a field such as metrics.accuracy, params.model or start_time; put - in front for descending.' });
}

function orderBy(spec: string, params: unknown[]): string {
  const { field, desc } = sortField(spec);
  const dir = desc ? 'DESC' : 'ASC';
  if (field.kind === 'attr') {
    const column = { id: 'r.id', name: 'r.name', status: 'r.status', experiment: 'e.name', start_time: 'r.started_at', duration: "(unixepoch(r.ended_at, 'subsec') - unixepoch(r.started_at, 'subsec'))" }[field.name];
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
  const rows = db
    .prepare(
      `SELECT r.id, r.name, r.status, e.name AS experiment, r.started_at AS startTime, r.ended_at AS endTime,
              unixepoch(r.ended_at, 'subsec') - unixepoch(r.started_at, 'subsec') AS duration, r.starred, r.source
         FROM runs r JOIN experiments e ON e.id = r.experiment_id
        WHERE ${where} AND ${{ hide: 'r.deleted_at IS NULL', include: '1', only: 'r.deleted_at IS NOT NULL' }[opts.deleted ?? 'hide']}
        ORDER BY ${order}
        LIMIT ?`,
    )
    .all(...params, ...orderParams, limit) as (Omit<RunRow, 'params' | 'metrics' | 'tags' | 'starred'> & { starred: 0 | 1 })[];
  const byId = new Map<string, RunRow>(rows.map((r) => [r.id, { ...r, starred: r.starred === 1, params: {}, metrics: {}, tags: {} }]));
  const ids = JSON.stringify([...byId.keys()]);
  for (const [table, prop] of [
    ['run_params', 'params'],
    ['run_latest_metrics', 'metrics'],
    ['run_tags', 'tags'],
  ] as const) {
    const all = db.prepare(`SELECT run_id AS runId, key, value FROM ${table} WHERE run_id IN (SELECT value FROM json_each(?))`).all(ids) as { runId: string; key: string; value: never }[];
    // SQLite keeps a NaN metric as NULL; params and tags are never NULL.
    for (const { runId, key, value } of all) byId.get(runId)![prop][key] = value ?? (Number.NaN as never);
  }
  return [...byId.values()];
}
