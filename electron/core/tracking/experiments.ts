// Runs in: main (core). Experiments one at a time, by id or by name, for clients (MLflow's REST API)
// that address experiments by a stable id rather than by name.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';
import { checkText, LIMITS } from './limits';

export interface ExperimentRecord {
  id: number;
  name: string;
  description: string;
  createdAt: string;
  /** The latest start of one of its runs, or its creation when it has none. */
  updatedAt: string;
}

const SELECT = `SELECT e.id, e.name, e.description, e.created_at AS createdAt,
                       COALESCE((SELECT MAX(started_at) FROM runs r WHERE r.experiment_id = e.id), e.created_at) AS updatedAt
                  FROM experiments e`;

export function experimentById(db: Database, id: number): ExperimentRecord {
  const row = db.prepare(`${SELECT} WHERE e.id = ?`).get(id) as ExperimentRecord | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `There is no experiment with id ${id} in this project.`, {
      field: 'experiment_id',
      hint: 'Search the experiments to see their ids.',
    });
  return row;
}

export function experimentByName(db: Database, name: string): ExperimentRecord {
  const row = db.prepare(`${SELECT} WHERE e.name = ?`).get(name) as ExperimentRecord | undefined;
  if (!row)
    throw new BenchtopError('NOT_FOUND', `There is no experiment named "${name.slice(0, 200)}" in this project.`, {
      field: 'experiment_name',
      hint: 'Create it first, or check the spelling.',
    });
  return row;
}

/** Creates an experiment; unlike ensureExperiment, an existing name is an error (MLflow's rule). */
export function createExperiment(db: Database, name: string, description = ''): number {
  if (name.trim() === '')
    throw new BenchtopError('INVALID_INPUT', 'The experiment name is empty.', {
      field: 'name',
      hint: 'Name the experiment.',
    });
  checkText('experiment name', name, LIMITS.experimentName, 'name');
  return writeTransaction(db, () => {
    if (db.prepare('SELECT 1 FROM experiments WHERE name = ?').get(name)) {
      throw new BenchtopError('ALREADY_EXISTS', `An experiment named "${name.slice(0, 200)}" already exists.`, {
        field: 'name',
        hint: 'Use it (get it by name), or choose another name.',
      });
    }
    return Number(
      db.prepare('INSERT INTO experiments (name, description) VALUES (?, ?)').run(name, description).lastInsertRowid,
    );
  });
}

export interface NameCondition {
  /** `like` is SQL LIKE (case-insensitive for ASCII, as SQLite's LIKE is). */
  op: '=' | '!=' | 'like' | 'not like';
  value: string;
}

export interface ExperimentSearch {
  names?: readonly NameCondition[] | undefined;
  orderBy?: 'name' | 'created' | 'updated' | 'id' | undefined;
  ascending?: boolean | undefined;
  offset?: number | undefined;
  limit: number;
}

export function searchExperiments(db: Database, q: ExperimentSearch): ExperimentRecord[] {
  const where = (q.names ?? []).map(
    (c) => `e.name ${{ '=': '=', '!=': '!=', like: 'LIKE', 'not like': 'NOT LIKE' }[c.op]} ?`,
  );
  const column = { name: 'e.name', created: 'e.created_at', updated: 'updatedAt', id: 'e.id' }[q.orderBy ?? 'updated'];
  const dir = q.ascending ? 'ASC' : 'DESC';
  return db
    .prepare(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${column} ${dir}, e.id ${dir} LIMIT ? OFFSET ?`,
    )
    .all(...(q.names ?? []).map((c) => c.value), q.limit, q.offset ?? 0) as ExperimentRecord[];
}
