// Runs in: main (browser-mode server). MLflow's run filter and order_by strings, translated into
// Benchtop's query language: `metrics.acc > 0.9 and params.model = 'rf'` reads the same in both;
// attributes (status values, start_time in ms, run_name, run_id) are renamed and converted.
import type { Field, QueryNode, Value } from '../../../shared/query/ast';
import { printField, printQuery } from '../../../shared/query/ast';
import { QuerySyntaxError, tokenize } from '../../../shared/query/parse';
import { invalid } from './errors';

type Token = ReturnType<typeof tokenize>[number];

const PREFIX: Record<string, 'metric' | 'param' | 'tag' | 'attr'> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attr',
  attributes: 'attr',
  attr: 'attr',
  run: 'attr',
};

/** MLflow's run statuses and the Benchtop statuses each one stands for. */
export const STATUS_FROM_MLFLOW: Record<string, string[]> = {
  RUNNING: ['running'],
  SCHEDULED: ['queued'],
  FINISHED: ['succeeded'],
  FAILED: ['failed'],
  KILLED: ['cancelled', 'interrupted'],
};

export const SUPPORTED_ATTRIBUTES = ['run_id', 'run_name', 'status', 'start_time'];

type Ident = { kind: 'metric' | 'param' | 'tag'; key: string } | { kind: 'attr'; name: string };

class Reader {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token {
    return this.tokens[this.pos]!;
  }
  next(): Token {
    return this.tokens[this.pos++]!;
  }
  isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toLowerCase() === w;
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }
}

function text(t: Token): string {
  return t.kind === 'end' ? 'the end' : `'${'text' in t ? t.text : ''}'`;
}

function identifier(r: Reader): Ident {
  const t = r.next();
  if (t.kind === 'quoted-key' || t.kind === 'string') return { kind: 'attr', name: t.text };
  if (t.kind !== 'word')
    throw invalid(
      `Expected a field such as metrics.accuracy, params.model, tags.team or attributes.status, found ${text(t)}.`,
    );
  const prefix = PREFIX[t.text.toLowerCase()];
  if (!prefix || !r.isPunct('.')) return { kind: 'attr', name: t.text.toLowerCase() };
  r.next();
  const first = r.next();
  let key: string;
  if (first.kind === 'quoted-key' || first.kind === 'string') key = first.text;
  else if (first.kind === 'word' || first.kind === 'number') {
    key = first.text;
    // Dotted keys written without quotes: words joined by dots with nothing between them.
    while (r.isPunct('.')) {
      const dot = r.next();
      const part = r.next();
      if ((part.kind !== 'word' && part.kind !== 'number') || part.at !== dot.at + 1)
        throw invalid(`Expected the rest of the key after '.' in ${t.text}.${key}.`);
      key += `.${part.text}`;
    }
  } else throw invalid(`Expected a key after '${t.text}.', found ${text(first)}.`);
  return prefix === 'attr' ? { kind: 'attr', name: key.toLowerCase() } : { kind: prefix, key };
}

function value(r: Reader): Value {
  const t = r.next();
  if (t.kind === 'string') return t.text;
  if (t.kind === 'number') return t.value;
  throw invalid(`Expected a value (a number or a 'quoted string'), found ${text(t)}.`);
}

function msToIso(v: Value, what: string): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw invalid(`${what} is compared with milliseconds since 1970, not ${JSON.stringify(v)}.`);
  return new Date(n).toISOString();
}

function statusValues(v: Value): string[] {
  const mapped = STATUS_FROM_MLFLOW[String(v).toUpperCase()];
  if (!mapped)
    throw invalid(`"${String(v)}" is not a run status; use one of ${Object.keys(STATUS_FROM_MLFLOW).join(', ')}.`);
  return mapped;
}

function attrField(name: string): Field {
  switch (name) {
    case 'run_id':
    case 'id':
      return { kind: 'attr', name: 'id' };
    case 'run_name':
    case 'name':
      return { kind: 'attr', name: 'name' };
    case 'status':
      return { kind: 'attr', name: 'status' };
    case 'start_time':
    case 'created':
      return { kind: 'attr', name: 'start_time' };
    default:
      throw invalid(
        `Filtering or sorting on attribute "${name}" is not supported by Benchtop; use one of ${SUPPORTED_ATTRIBUTES.join(', ')}.`,
      );
  }
}

function toField(id: Ident): Field {
  if (id.kind !== 'attr') {
    // The run name is shown to MLflow clients as the tag mlflow.runName.
    if (id.kind === 'tag' && id.key === 'mlflow.runName') return { kind: 'attr', name: 'name' };
    return id;
  }
  return attrField(id.name);
}

function condition(r: Reader): QueryNode {
  const field = toField(identifier(r));
  let negated = false;
  if (r.isWord('not')) {
    r.next();
    negated = true;
    if (!r.isWord('in') && !r.isWord('like') && !r.isWord('ilike'))
      throw invalid(`Expected IN or LIKE after NOT, found ${text(r.peek())}.`);
  }
  const op = r.next();
  const isStatus = field.kind === 'attr' && field.name === 'status';
  const isTime = field.kind === 'attr' && field.name === 'start_time';
  if (op.kind === 'word' && op.text.toLowerCase() === 'in') {
    if (!r.isPunct('(')) throw invalid(`Expected '(' after IN.`);
    r.next();
    const values = [value(r)];
    while (r.isPunct(',')) {
      r.next();
      values.push(value(r));
    }
    if (!r.isPunct(')')) throw invalid(`Expected ',' or ')' in the IN list, found ${text(r.peek())}.`);
    r.next();
    if (isTime) throw invalid('start_time cannot be compared with IN; use <, <=, >, >=, = or !=.');
    return { type: 'in', field, values: isStatus ? values.flatMap(statusValues) : values, negated };
  }
  if (op.kind === 'word' && ['like', 'ilike'].includes(op.text.toLowerCase())) {
    const p = r.next();
    if (p.kind !== 'string') throw invalid(`Expected a 'quoted pattern' after ${op.text.toUpperCase()}.`);
    if (field.kind === 'metric' || isStatus || isTime)
      throw invalid(`${printField(field)} cannot be matched with ${op.text.toUpperCase()}.`);
    return { type: 'like', field, pattern: p.text, negated };
  }
  if (op.kind !== 'op')
    throw invalid(
      `Expected a comparison (=, !=, <, <=, >, >=, IN, LIKE, ILIKE) after ${printField(field)}, found ${text(op)}.`,
    );
  const v = value(r);
  if (field.kind === 'metric' && typeof v !== 'number')
    throw invalid(`${printField(field)} is a number: compare it with a number, not '${v}'.`);
  if (isStatus) {
    if (op.text !== '=' && op.text !== '!=') throw invalid('status can be compared with = , != or IN only.');
    return { type: 'in', field, values: statusValues(v), negated: op.text === '!=' };
  }
  if (isTime) return { type: 'cmp', field, op: op.text, value: msToIso(v, 'start_time') };
  return { type: 'cmp', field, op: op.text, value: v };
}

function tokens(source: string, what: string): Reader {
  try {
    return new Reader(tokenize(source));
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw invalid(`The ${what} has a mistake: ${err.message}.`);
    throw err;
  }
}

/** An MLflow run filter (conditions joined by AND) as a Benchtop query tree; null for none. */
export function translateRunFilter(filter: string): QueryNode | null {
  const r = tokens(filter, 'filter');
  if (r.peek().kind === 'end') return null;
  let tree = condition(r);
  while (r.isWord('and')) {
    r.next();
    tree = { type: 'and', left: tree, right: condition(r) };
  }
  if (r.peek().kind !== 'end')
    throw invalid(
      `Expected AND or the end of the filter, found ${text(r.peek())}; MLflow filters join conditions with AND only.`,
    );
  return tree;
}

export function translateRunFilterText(filter: string): string {
  const tree = translateRunFilter(filter);
  return tree ? printQuery(tree) : '';
}

/** One MLflow order_by clause (`metrics.acc DESC`) as a Benchtop sort (`-metrics.acc`). */
export function translateOrderBy(clause: string): string {
  const r = tokens(clause, 'order_by clause');
  const field = toField(identifier(r));
  let desc = false;
  if (r.isWord('desc') || r.isWord('asc')) desc = (r.next() as { text: string }).text.toLowerCase() === 'desc';
  if (r.peek().kind !== 'end') throw invalid(`The order_by clause "${clause}" should be a field and ASC or DESC.`);
  return `${desc ? '-' : ''}${printField(field)}`;
}
