// Runs in: main and renderer. The run query language's syntax tree, and how to print it back.
export const ATTRIBUTES = ['id', 'name', 'status', 'experiment', 'start_time', 'duration'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export type Field = { kind: 'metric' | 'param' | 'tag'; key: string } | { kind: 'attr'; name: Attribute };
export type Value = string | number;
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type QueryNode =
  | { type: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { type: 'not'; expr: QueryNode }
  | { type: 'cmp'; field: Field; op: CompareOp; value: Value }
  | { type: 'in'; field: Field; values: Value[]; negated: boolean }
  | { type: 'like'; field: Field; pattern: string; negated: boolean };

const PREFIX = { metric: 'metrics', param: 'params', tag: 'tags' } as const;

export function printField(f: Field): string {
  if (f.kind === 'attr') return f.name;
  // Unquoted only when the parser reads it back as the same key: dot-separated words (a part of
  // digits would be read as a number, `.0` included).
  const plain = f.key.split('.').every((part) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part));
  return `${PREFIX[f.kind]}.${plain ? f.key : `\`${f.key.replace(/`/g, '``')}\``}`;
}

export function printValue(v: Value): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}

/** Prints a tree as query text that parses back to the same tree. */
export function printQuery(n: QueryNode): string {
  switch (n.type) {
    case 'and':
    case 'or':
      return `(${printQuery(n.left)} ${n.type} ${printQuery(n.right)})`;
    case 'not':
      return `not (${printQuery(n.expr)})`;
    case 'cmp':
      return `${printField(n.field)} ${n.op} ${printValue(n.value)}`;
    case 'in':
      return `${printField(n.field)} ${n.negated ? 'not in' : 'in'} (${n.values.map(printValue).join(', ')})`;
    case 'like':
      return `${printField(n.field)} ${n.negated ? 'not like' : 'like'} ${printValue(n.pattern)}`;
  }
}
