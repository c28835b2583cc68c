// Shared by the serving tests: a strict reader of the Prometheus text exposition format (0.0.4), so
// a test fails on anything a scraper would reject or misread: a sample before its TYPE, a family
// declared twice, bad label syntax, a histogram whose buckets are not cumulative or lack +Inf.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  type(family: string): string | undefined;
  help(family: string): string | undefined;
  /** The value of the one sample with exactly these labels; throws when there is none or several. */
  sample(name: string, labels: Record<string, string>): number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
    throw new Error(`line ${line}: "${text}" is not a sample value`);
  return Number(text);
}

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`line ${line}: ${why} in labels {${text}`);
  };
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf('=', i);
    if (eq < 0) fail('no =');
    const name = text.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) fail(`bad label name "${name}"`);
    if (name in labels) fail(`label ${name} twice`);
    if (text[eq + 1] !== '"') fail('a label value must be quoted');
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else fail(`bad escape \\${next}`);
      } else value += text[j];
    }
    if (j >= text.length) fail('unterminated label value');
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail('expected , or }');
  }
}

export function parsePrometheus(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  const familyOf = (name: string): string | undefined => {
    if (types.has(name)) return name;
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : null;
      if (base && (types.get(base) === 'histogram' || types.get(base) === 'summary')) return base;
    }
    return undefined;
  };
  text
    .slice(0, -1)
    .split('\n')
    .forEach((raw, k) => {
      const line = k + 1;
      if (raw.trim() === '') return;
      if (raw.startsWith('#')) {
        const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
        if (!m) return; // a plain comment
        const [, kind, name, rest] = m as unknown as [string, string, string, string];
        if (!NAME.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
        if (kind === 'TYPE') {
          if (types.has(name)) throw new Error(`line ${line}: TYPE of ${name} given twice`);
          if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
          if (samples.some((s) => familyOf(s.name) === name || s.name === name))
            throw new Error(`line ${line}: TYPE of ${name} after its samples`);
          types.set(name, rest);
        } else {
          if (helps.has(name)) throw new Error(`line ${line}: HELP of ${name} given twice`);
          helps.set(name, rest);
        }
        return;
      }
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*(?=[{ ])/.exec(raw);
      if (!m) throw new Error(`line ${line}: not a sample: ${raw}`);
      const name = m[0];
      let rest = raw.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest.slice(1), line));
      const parts = rest.trim().split(/\s+/);
      if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2)
        throw new Error(`line ${line}: expected " value [timestamp]" after ${name}`);
      if (parts.length === 2 && !/^-?\d+$/.test(parts[1]!)) throw new Error(`line ${line}: bad timestamp ${parts[1]}`);
      const family = familyOf(name);
      if (!family) throw new Error(`line ${line}: sample ${name} has no TYPE before it`);
      if (types.get(family) === 'histogram' && name === family)
        throw new Error(`line ${line}: a histogram has only _bucket, _sum and _count samples`);
      const key = JSON.stringify([name, Object.entries(labels).sort()]);
      if (samples.some((s) => JSON.stringify([s.name, Object.entries(s.labels).sort()]) === key))
        throw new Error(`line ${line}: sample ${name} repeated with the same labels`);
      samples.push({ name, labels, value: parseValue(parts[0]!, line) });
    });
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const groups = new Map<string, Sample[]>();
    for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
      if (!('le' in s.labels)) throw new Error(`${family}_bucket without le`);
      const { le: _le, ...others } = s.labels;
      const key = JSON.stringify(Object.entries(others).sort());
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    if (groups.size === 0) throw new Error(`histogram ${family} has no buckets`);
    for (const [key, buckets] of groups) {
      const bounds = buckets.map((b) => parseValue(b.labels.le!, 0));
      for (let i = 1; i < buckets.length; i++) {
        if (!(bounds[i]! > bounds[i - 1]!)) throw new Error(`histogram ${family}: bucket bounds not increasing`);
        if (buckets[i]!.value < buckets[i - 1]!.value)
          throw new Error(`histogram ${family}: buckets not cumulative at le=${buckets[i]!.labels.le}`);
      }
      if (buckets.at(-1)!.labels.le !== '+Inf') throw new Error(`histogram ${family}: the last bucket is not +Inf`);
      const others = Object.fromEntries(JSON.parse(key) as [string, string][]);
      const find = (suffix: string): Sample | undefined =>
        samples.find(
          (s) =>
            s.name === family + suffix &&
            JSON.stringify(Object.entries(s.labels).sort()) === JSON.stringify(Object.entries(others).sort()),
        );
      const count = find('_count');
      if (!count || !find('_sum')) throw new Error(`histogram ${family}: _sum or _count missing`);
      if (count.value !== buckets.at(-1)!.value)
        throw new Error(`histogram ${family}: _count differs from the +Inf bucket`);
    }
  }
  return {
    samples,
    type: (f) => types.get(f),
    help: (f) => helps.get(f),
    sample(name, labels) {
      const want = JSON.stringify(Object.entries(labels).sort());
      const found = samples.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want);
      if (found.length !== 1) throw new Error(`${found.length} samples ${name}${JSON.stringify(labels)}`);
      return found[0]!.value;
    },
  };
}
