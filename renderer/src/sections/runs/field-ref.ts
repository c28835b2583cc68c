// Runs in: renderer (and unit tests). A param, metric or tag key written as query text: plain when
// every dotted part reads as one word to the tokenizer (params.train.lr), else in backticks
// (metrics.`val acc`, metrics.`A.-`), so what the table sends always parses back to the same key.
const PREFIX = { metric: 'metrics', param: 'params', tag: 'tags' } as const;
const WORD = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function fieldRef(kind: 'metric' | 'param' | 'tag', key: string): string {
  const plain = key.split('.').every((part) => WORD.test(part));
  return `${PREFIX[kind]}.${plain ? key : `\`${key.replace(/`/g, '``')}\``}`;
}
