// Runs in: main (browser-mode server). JSON as MLflow clients write and read it. Python's json
// module writes NaN and ±Infinity as bare NaN / Infinity / -Infinity tokens, which strict JSON
// refuses; protobuf's JSON mapping, which MLflow's server answers with, writes them as the strings
// "NaN", "Infinity" and "-Infinity". Both are read here; answers use the strings.
import { fromWire } from '../../../shared/contract/wire';

const TOKENS: Record<string, string> = { NaN: 'NaN', Infinity: 'Infinity', '-Infinity': '-Infinity' };

/** Parses JSON that may hold bare NaN / Infinity / -Infinity tokens outside strings. */
export function parseLenientJson(text: string): unknown {
  // Most bodies have no such token anywhere: no need to walk them character by character.
  if (!text.includes('NaN') && !text.includes('Infinity')) return fromWire(text);
  let out = '';
  let i = 0;
  let start = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      // Skip the whole string, escapes included, so a "NaN" inside one stays text.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === 'N' || c === 'I' || c === '-') {
      const word = c === 'N' ? 'NaN' : c === 'I' ? 'Infinity' : '-Infinity';
      if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? '')) {
        out += `${text.slice(start, i)}{"$nonFinite":"${TOKENS[word]}"}`;
        i += word.length;
        start = i;
        continue;
      }
    }
    i++;
  }
  return fromWire(out + text.slice(start));
}

/** JSON text for an answer: non-finite numbers as protobuf's strings. */
export function stringifyMlflow(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}
