// Runs in: main and renderer. The meaning of a query over runs held in memory: the reference the
// SQL compiler is tested against, and the filter the UI can apply to live rows.
import type { Attribute, Field, QueryNode, Value } from './ast';

export interface QueryableRun {
  id: string;
  name: string;
  status: string;
  experiment: string;
  startTime: string | null;
  duration: number | null;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/** A param's text as a number, or null when it does not read as one (the SQL side uses the same). */
export function numericText(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string' || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** SQL LIKE: % any run, _ one character, ASCII letters compared without case. */
export function likeToRegExp(pattern: string): RegExp {
  let src = '';
  for (const ch of pattern)
    src += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${src}$`, 'i');
}

function fieldValue(run: QueryableRun, f: Field): string | number | null {
  if (f.kind === 'attr') return attributeValue(run, f.name);
  if (f.kind === 'metric') return f.key in run.metrics ? run.metrics[f.key]! : null;
  if (f.kind === 'param') return f.key in run.params ? run.params[f.key]! : null;
  return f.key in run.tags ? run.tags[f.key]! : null;
}

function attributeValue(run: QueryableRun, name: Attribute): string | number | null {
  switch (name) {
    case 'id':
      return run.id;
    case 'name':
      return run.name;
    case 'status':
      return run.status;
    case 'experiment':
      return run.experiment;
    case 'start_time':
      return run.startTime;
    case 'duration':
      return run.duration;
  }
}

function compare(actual: string | number, op: string, expected: Value): boolean {
  let a: string | number = actual;
  if (typeof expected === 'number') {
    const n = numericText(actual);
    if (n === null) return false;
    a = n;
  } else if (typeof a === 'number') return false;
  switch (op) {
    case '=':
      return a === expected;
    case '!=':
      return a !== expected;
    case '<':
      return a < expected;
    case '<=':
      return a <= expected;
    case '>':
      return a > expected;
    default:
      return a >= expected;
  }
}

export function evaluateQuery(node: QueryNode, run: QueryableRun): boolean {
  switch (node.type) {
    case 'and':
      return evaluateQuery(node.left, run) && evaluateQuery(node.right, run);
    case 'or':
      return evaluateQuery(node.left, run) || evaluateQuery(node.right, run);
    case 'not':
      return !evaluateQuery(node.expr, run);
    case 'cmp': {
      const v = fieldValue(run, node.field);
      return v !== null && compare(v, node.op, node.value);
    }
    case 'in': {
      const v = fieldValue(run, node.field);
      if (v === null) return false;
      const hit = node.values.some((x) => compare(v, '=', x));
      return node.negated ? !hit : hit;
    }
    case 'like': {
      const v = fieldValue(run, node.field);
      if (v === null || typeof v === 'number') return false;
      const hit = likeToRegExp(node.pattern).test(v);
      return node.negated ? !hit : hit;
    }
  }
}
