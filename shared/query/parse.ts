// Runs in: main and renderer. Parsing run queries such as
// `metrics.accuracy > 0.9 and params.model = 'rf' and tags.team = 'vision'`; a mistake is reported
// with the column of the token at fault.
import { ATTRIBUTES, type Attribute, type CompareOp, type Field, type QueryNode, type Value } from './ast';

export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based column of the offending token. */
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
    this.name = 'QuerySyntaxError';
  }
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'quoted-key'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; value: number; text: string; at: number }
  | { kind: 'op'; text: CompareOp; at: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '.'; at: number }
  | { kind: 'end'; at: number };

function describe(t: Token): string {
  return t.kind === 'end'
    ? 'the end of the query'
    : `'${t.kind === 'string' ? t.text : t.kind === 'number' ? t.text : t.text}'`;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === "'" || c === '"' || c === '`') {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new QuerySyntaxError(`unclosed ${c === '`' ? 'quoted key' : 'string'}: add the closing ${c}`, at);
        if (text[i] === c) {
          if (text[i + 1] === c) {
            out += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += text[i++];
      }
      tokens.push(c === '`' ? { kind: 'quoted-key', text: out, at } : { kind: 'string', text: out, at });
      continue;
    }
    const num = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && (c === '-' || /[\d.]/.test(c)) && !(c === '.' && !/\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', value: Number(num[0]), text: num[0], at });
      i += num[0].length;
      continue;
    }
    const op = /^(!=|<>|<=|>=|=|<|>)/.exec(text.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: (op[0] === '<>' ? '!=' : op[0]) as CompareOp, at });
      i += op[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: 'punct', text: c, at });
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at });
      i += word[0].length;
      continue;
    }
    throw new QuerySyntaxError(`unexpected character '${c}'`, at);
  }
  tokens.push({ kind: 'end', at: text.length + 1 });
  return tokens;
}

const PREFIXES: Record<string, 'metric' | 'param' | 'tag'> = {
  metrics: 'metric',
  params: 'param',
  tags: 'tag',
  metric: 'metric',
  param: 'param',
  tag: 'tag',
};

export function parseQuery(text: string): QueryNode | null {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (t: Token, w: string): boolean => t.kind === 'word' && t.text.toLowerCase() === w;

  if (peek().kind === 'end') return null;

  const field = (): Field => {
    const t = next();
    if (t.kind !== 'word')
      throw new QuerySyntaxError(
        `expected a field such as metrics.accuracy, params.model or status, found ${describe(t)}`,
        t.at,
      );
    const prefix = PREFIXES[t.text.toLowerCase()];
    if (prefix) {
      const dot = next();
      if (dot.kind !== 'punct' || dot.text !== '.')
        throw new QuerySyntaxError(`expected '.' and a key after '${t.text}'`, dot.at);
      const first = next();
      if (first.kind === 'quoted-key') return { kind: prefix, key: first.text };
      if (first.kind !== 'word' && first.kind !== 'number')
        throw new QuerySyntaxError(`expected a key after '${t.text}.', found ${describe(first)}`, first.at);
      let key = first.text;
      // Dotted keys (params.train.lr): words joined by dots with nothing between them.
      while (peek().kind === 'punct' && (peek() as { text: string }).text === '.') {
        const dotAt = next().at;
        const part = next();
        if ((part.kind !== 'word' && part.kind !== 'number') || part.at !== dotAt + 1)
          throw new QuerySyntaxError(`expected the rest of the key after '.'`, part.at);
        key += `.${part.text}`;
      }
      return { kind: prefix, key };
    }
    const name = t.text.toLowerCase();
    if ((ATTRIBUTES as readonly string[]).includes(name)) return { kind: 'attr', name: name as Attribute };
    throw new QuerySyntaxError(
      `unknown field '${t.text}': use metrics.<key>, params.<key>, tags.<key> or one of ${ATTRIBUTES.join(', ')}`,
      t.at,
    );
  };

  const value = (): Value => {
    const t = next();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'number') return t.value;
    throw new QuerySyntaxError(`expected a value (a number or a 'quoted string'), found ${describe(t)}`, t.at);
  };

  const comparison = (): QueryNode => {
    const f = field();
    let negated = false;
    if (isWord(peek(), 'not')) {
      next();
      negated = true;
      if (!isWord(peek(), 'in') && !isWord(peek(), 'like'))
        throw new QuerySyntaxError(`expected 'in' or 'like' after 'not', found ${describe(peek())}`, peek().at);
    }
    const t = next();
    if (isWord(t, 'in')) {
      const open = next();
      if (open.kind !== 'punct' || open.text !== '(') throw new QuerySyntaxError(`expected '(' after 'in'`, open.at);
      const values = [value()];
      while (peek().kind === 'punct' && (peek() as { text: string }).text === ',') {
        next();
        values.push(value());
      }
      const close = next();
      if (close.kind !== 'punct' || close.text !== ')')
        throw new QuerySyntaxError(`expected ',' or ')' in the list, found ${describe(close)}`, close.at);
      return { type: 'in', field: f, values, negated };
    }
    if (isWord(t, 'like')) {
      const p = next();
      if (p.kind !== 'string')
        throw new QuerySyntaxError(`expected a 'quoted pattern' after 'like', found ${describe(p)}`, p.at);
      return { type: 'like', field: f, pattern: p.text, negated };
    }
    if (t.kind !== 'op')
      throw new QuerySyntaxError(
        `expected a comparison (=, !=, <, <=, >, >=, in, like) after the field, found ${describe(t)}`,
        t.at,
      );
    return { type: 'cmp', field: f, op: t.text, value: value() };
  };

  const primary = (): QueryNode => {
    if (isWord(peek(), 'not')) {
      next();
      return { type: 'not', expr: primary() };
    }
    if (peek().kind === 'punct' && (peek() as { text: string }).text === '(') {
      next();
      const inner = or();
      const close = next();
      if (close.kind !== 'punct' || close.text !== ')')
        throw new QuerySyntaxError(`expected ')' to close the '(', found ${describe(close)}`, close.at);
      return inner;
    }
    return comparison();
  };

  const and = (): QueryNode => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      next();
      left = { type: 'and', left, right: primary() };
    }
    return left;
  };

  const or = (): QueryNode => {
    let left = and();
    while (isWord(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: and() };
    }
    return left;
  };

  const tree = or();
  const rest = peek();
  if (rest.kind !== 'end')
    throw new QuerySyntaxError(`expected 'and', 'or' or the end of the query, found ${describe(rest)}`, rest.at);
  return tree;
}
