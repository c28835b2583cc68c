// Runs in: renderer (and unit tests). Completion for the filter box: what may come at the cursor
// of a partial query (a field: params./metrics./tags. keys or an attribute; an operator after a
// field; and/or after a value), from the keys the project's runs use.
import type { RunKeys } from '../../../../shared/contract/schemas';
import { ATTRIBUTES } from '../../../../shared/query/ast';
import { fieldRef } from './field-ref';

export interface CompletionOption {
  /** What the list shows. */
  label: string;
  /** What replaces the word at the cursor. */
  insert: string;
  /** Kind shown beside the label: param, metric, tag, field, operator, keyword. */
  detail: string;
}

export interface Completion {
  /** The range [from, to) of the text the chosen option replaces. */
  from: number;
  to: number;
  options: CompletionOption[];
}

const WORD = /[A-Za-z0-9_.-]/;
const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'like', 'not like'];
const PREFIXES: CompletionOption[] = [
  { label: 'params.', insert: 'params.', detail: 'params' },
  { label: 'metrics.', insert: 'metrics.', detail: 'metrics' },
  { label: 'tags.', insert: 'tags.', detail: 'tags' },
];

/** True when the cursor sits inside a quoted string or a quoted key, where nothing is completed. */
function insideQuotes(text: string, cursor: number): boolean {
  let quote: string | null = null;
  for (let i = 0; i < cursor; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
  }
  return quote !== null;
}

type Before = 'start' | 'field' | 'value' | 'operator' | 'other';

/** What the text before the word at the cursor ends with. */
function contextBefore(prefix: string): Before {
  const t = prefix.trimEnd();
  if (t === '' || t.endsWith('(')) return 'start';
  const last = /([A-Za-z0-9_.`-]+|'(?:[^']|'')*'|"(?:[^"]|"")*"|!=|<>|<=|>=|[=<>),])$/.exec(t)?.[1] ?? '';
  if (/^(and|or|not)$/i.test(last)) return 'start';
  if (/^(in|like)$/i.test(last) || /^(!=|<>|<=|>=|[=<>])$/.test(last)) return 'operator';
  if (last === ')' || /^['"]/.test(last) || /^-?[\d.]+([eE][+-]?\d+)?$/.test(last)) return 'value';
  if (
    /^(params|metrics|tags|param|metric|tag)\.|`$/i.test(last) ||
    (ATTRIBUTES as readonly string[]).includes(last.toLowerCase())
  )
    return 'field';
  return 'other';
}

function fieldOptions(keys: RunKeys): CompletionOption[] {
  return [
    ...ATTRIBUTES.map((a) => ({ label: a, insert: a, detail: 'field' })),
    ...keys.params.map((k) => ({ label: `params.${k}`, insert: fieldRef('param', k), detail: 'param' })),
    ...keys.metrics.map((k) => ({ label: `metrics.${k}`, insert: fieldRef('metric', k), detail: 'metric' })),
    ...keys.tags.map((k) => ({ label: `tags.${k}`, insert: fieldRef('tag', k), detail: 'tag' })),
  ];
}

/** The options for the word at `cursor` in `text`, or null when nothing fits there. */
export function complete(text: string, cursor: number, keys: RunKeys, limit = 50): Completion | null {
  if (cursor < 0 || cursor > text.length || insideQuotes(text, cursor)) return null;
  let from = cursor;
  while (from > 0 && WORD.test(text[from - 1]!)) from--;
  let to = cursor;
  while (to < text.length && WORD.test(text[to]!)) to++;
  const partial = text.slice(from, cursor).toLowerCase();
  const before = contextBefore(text.slice(0, from));
  let options: CompletionOption[];
  if (before === 'start') {
    const all = [...PREFIXES, ...fieldOptions(keys)];
    // Exact starts first (metrics.acc…), then keys that merely contain the word (acc → metrics.accuracy).
    const starts = all.filter((o) => o.label.toLowerCase().startsWith(partial));
    const contains =
      partial === '' || partial.includes('.')
        ? []
        : all.filter((o) => !o.label.toLowerCase().startsWith(partial) && o.label.toLowerCase().includes(partial));
    options = [...starts, ...contains];
  } else if (before === 'field' && partial === '') {
    options = OPERATORS.map((op) => ({ label: op, insert: op, detail: 'operator' }));
  } else if (before === 'field') {
    options = ['in', 'not', 'like']
      .filter((w) => w.startsWith(partial))
      .map((w) => ({ label: w, insert: w, detail: 'operator' }));
  } else if (before === 'value') {
    options = ['and', 'or']
      .filter((w) => w.startsWith(partial))
      .map((w) => ({ label: w, insert: w, detail: 'keyword' }));
  } else {
    return null;
  }
  const typed = text.slice(from, to).toLowerCase();
  options = options.filter((o) => o.insert.toLowerCase() !== typed).slice(0, limit);
  return options.length === 0 ? null : { from, to, options };
}

/** The text after choosing `option`, and where the cursor goes: after it, past a space unless it opens a key. */
export function applyCompletion(
  text: string,
  completion: Completion,
  option: CompletionOption,
): { text: string; cursor: number } {
  const head = text.slice(0, completion.from) + option.insert;
  const tail = text.slice(completion.to);
  const space = option.insert.endsWith('.') || tail.startsWith(' ') ? '' : ' ';
  const cursor = head.length + (option.insert.endsWith('.') ? 0 : 1);
  return { text: head + space + tail, cursor: Math.min(cursor, head.length + space.length + tail.length) };
}

/** The 1-based column a core error message points at ("… (at column 19)."), if any. */
export function errorColumn(message: string): number | null {
  const m = /at column (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}
