// Runs in: main (core). Compiling a run query to SQL: every value is a bound parameter, keys too,
// so no query text ever reaches SQL itself.
import { BenchtopError } from '../../../shared/contract/errors';
import type { Field, QueryNode, Value } from '../../../shared/query/ast';
import { printField } from '../../../shared/query/ast';
import { parseQuery, QuerySyntaxError } from '../../../shared/query/parse';

const NUMERIC_ATTRS = new Set(['duration']);
const ATTR_SQL: Record<string, string> = {
  id: 'r.id',
  name: 'r.name',
  status: 'r.status',
  experiment: 'e.name',
  start_time: 'r.started_at',
  duration: "(unixepoch(r.ended_at, 'subsec') - unixepoch(r.started_at, 'subsec'))",
};
const TABLE = { metric: 'run_latest_metrics', param: 'run_params', tag: 'run_tags' } as const;

export interface CompiledQuery {
  where: string;
  params: unknown[];
}

function invalid(message: string): never {
  throw new BenchtopError('INVALID_INPUT', message, {
    field: 'filter',
    hint: "For example: metrics.accuracy > 0.9 and params.model = 'rf'",
  });
}

function check(field: Field, value: Value | null, like: boolean): void {
  const isNumeric = field.kind === 'metric' || (field.kind === 'attr' && NUMERIC_ATTRS.has(field.name));
  if (isNumeric && like) invalid(`${printField(field)} is a number, so it cannot be matched with like.`);
  if (isNumeric && typeof value === 'string')
    invalid(`${printField(field)} is a number: compare it with a number, not '${value}'.`);
}

/** `value op ?` on a column, numerically when the literal is a number. */
function predicate(column: string, op: string, value: Value, numericColumn: boolean, params: unknown[]): string {
  params.push(value);
  // Text that does not read as a number makes bt_num NULL: count that as false, never unknown,
  // so that `not` means what it says.
  if (typeof value === 'number' && !numericColumn) return `COALESCE(bt_num(${column}) ${op} ?, 0)`;
  return `${column} ${op} ?`;
}

function fieldCondition(
  field: Field,
  build: (column: string, numericColumn: boolean) => string,
  params: unknown[],
  numericLiteral = false,
): string {
  if (field.kind === 'attr') {
    const column = ATTR_SQL[field.name]!;
    return `(${column} IS NOT NULL AND ${build(column, NUMERIC_ATTRS.has(field.name))})`;
  }
  params.push(field.key); // the key's ? comes before the value's in the SQL text
  // Params compared with a number use their stored numeric value (indexed; NULL when not a number).
  const inner =
    field.kind === 'param' && numericLiteral ? build('x.num', true) : build('x.value', field.kind === 'metric');
  // A set of run ids from the (key, value) index, rather than a lookup per run.
  return `r.id IN (SELECT x.run_id FROM ${TABLE[field.kind]} x WHERE x.key = ? AND ${inner})`;
}

function compileNode(n: QueryNode, params: unknown[]): string {
  switch (n.type) {
    case 'and':
    case 'or':
      return `(${compileNode(n.left, params)} ${n.type.toUpperCase()} ${compileNode(n.right, params)})`;
    case 'not':
      return `(NOT ${compileNode(n.expr, params)})`;
    case 'cmp':
      check(n.field, n.value, false);
      return fieldCondition(
        n.field,
        (col, num) => predicate(col, n.op, n.value, num, params),
        params,
        typeof n.value === 'number',
      );
    case 'in':
      n.values.forEach((v) => check(n.field, v, false));
      // Mixed lists compare numbers as numbers and text as text: the value column serves both.
      return fieldCondition(
        n.field,
        (col, num) =>
          `${n.negated ? 'NOT ' : ''}(${n.values.map((v) => predicate(col, '=', v, num, params)).join(' OR ')})`,
        params,
      );
    case 'like':
      check(n.field, null, true);
      return fieldCondition(
        n.field,
        (col) => {
          params.push(n.pattern);
          return `${col} ${n.negated ? 'NOT LIKE' : 'LIKE'} ?`;
        },
        params,
      );
  }
}

export function compileQuery(text: string): CompiledQuery {
  let tree: QueryNode | null;
  try {
    tree = parseQuery(text);
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      throw new BenchtopError('INVALID_INPUT', `The filter has a mistake: ${err.message}.`, {
        field: 'filter',
        hint: `${text}\n${' '.repeat(err.column - 1)}^`,
      });
    }
    throw err;
  }
  if (!tree) return { where: '1', params: [] };
  const params: unknown[] = [];
  return { where: compileNode(tree, params), params };
}
