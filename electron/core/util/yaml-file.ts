// Runs in: main (core). Reading YAML files with errors that name the file, line and fix.
import { readFileSync } from 'node:fs';
import { parseDocument, YAMLError, type Document } from 'yaml';
import type { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import type { FileProblem } from '../../../shared/contract/schemas';
import { closestKey } from './did-you-mean';

/** `file:line:column: message.` — a full stop ends the message, so a hint printed after it reads as its own sentence. */
function problemLine(p: FileProblem): string {
  const where = p.line ? `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}` : p.file;
  return `${where}: ${p.message}${/[.?!]$/.test(p.message) ? '' : '.'}`;
}

/**
 * One or more problems in one file. One problem is the message, its fix the hint; several are one
 * line each with its own fix (the contract error carries a single message), so none hides behind another.
 */
export class FileProblemError extends BenchtopError {
  readonly problem: FileProblem;
  readonly problems: FileProblem[];
  constructor(problems: FileProblem | FileProblem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    const first = list[0]!;
    if (list.length === 1) super('BAD_FILE', problemLine(first), { hint: first.hint });
    else super('BAD_FILE', list.map((p, i) => `${i ? '  ' : ''}${problemLine(p)} ${p.hint}`).join('\n'));
    this.problem = first;
    this.problems = list;
  }
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

export type YamlPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  data: unknown;
  /** Line and column of the node at `path`, or of its nearest enclosing node (a missing key). */
  locate(path: YamlPath): { line: number | null; column: number | null };
  /** Line and column of the key at the end of `path` (falls back to locate). */
  locateKey(path: YamlPath): { line: number | null; column: number | null };
  problem(path: YamlPath, message: string, hint: string, at?: 'key' | 'value'): FileProblem;
}

// One command often reads a file twice (`benchtop run` reads benchtop.yaml for its stage names, then
// the run reads it again), and parsing YAML is most of reading a large pipeline. The same text parses
// to the same values, so the values of the last parse of each file are kept, keyed by its exact text,
// and each caller gets its own copy. The parsed document (several times the text's size) is not
// kept: positions, needed only to report a problem, parse the text again. A few files only.
const recent = new Map<string, { text: string; uniqueKeys: boolean; data: unknown }>();
const RECENT_FILES = 8;

/** Parses YAML text into plain values, keeping positions for error messages. */
export function loadYaml(text: string, displayName: string, options: { uniqueKeys?: boolean } = {}): YamlSource {
  const uniqueKeys = options.uniqueKeys ?? true;
  const hit = recent.get(displayName);
  if (hit && hit.text === text && hit.uniqueKeys === uniqueKeys) {
    let doc: Document | undefined;
    return yamlSource(text, displayName, structuredClone(hit.data), () => {
      doc ??= parseYamlText(text, displayName, uniqueKeys).doc;
      return doc;
    });
  }
  const { doc, data } = parseYamlText(text, displayName, uniqueKeys);
  recent.delete(displayName);
  recent.set(displayName, { text, uniqueKeys, data: structuredClone(data) });
  if (recent.size > RECENT_FILES) recent.delete(recent.keys().next().value!);
  return yamlSource(text, displayName, data, () => doc);
}

function parseYamlText(text: string, displayName: string, uniqueKeys: boolean): { doc: Document; data: unknown } {
  // Duplicate keys are an error in files people write; files Benchtop writes skip the O(n²) check.
  const doc: Document = parseDocument(text, { prettyErrors: false, uniqueKeys });
  const first = doc.errors[0];
  if (first) {
    const pos = first instanceof YAMLError ? lineOf(text, first.pos[0]) : undefined;
    throw new FileProblemError({
      file: displayName,
      line: pos?.line ?? null,
      column: pos?.column ?? null,
      message: `is not valid YAML (${first.message.split('\n')[0]})`,
      hint: 'Fix the YAML syntax at that line (indentation, a missing colon or an unclosed quote are the usual causes).',
    });
  }
  try {
    return { doc, data: doc.toJS({ maxAliasCount: 1000 }) ?? {} };
  } catch (err) {
    // Unresolved aliases and alias bombs surface only when the document is turned into values.
    throw new FileProblemError({
      file: displayName,
      line: null,
      column: null,
      message: `cannot be read (${err instanceof Error ? err.message : String(err)})`,
      hint: 'Define every anchor (&name) before its alias (*name), or write the value out in full.',
    });
  }
}

function yamlSource(text: string, displayName: string, data: unknown, docOf: () => Document): YamlSource {
  const locate = (path: YamlPath): { line: number | null; column: number | null } => {
    const doc = docOf();
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as
        | { range?: [number, number, number] }
        | null
        | undefined;
      if (node && typeof node === 'object' && node.range) return lineOf(text, node.range[0]);
    }
    return { line: null, column: null };
  };
  const locateKey = (path: YamlPath): { line: number | null; column: number | null } => {
    const doc = docOf();
    const parent = (path.length <= 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)) as {
      items?: { key?: { value?: unknown; range?: [number, number, number] } }[];
    } | null;
    const last = path[path.length - 1];
    const pair =
      parent && typeof parent === 'object' && Array.isArray(parent.items)
        ? parent.items.find((i) => i.key && i.key.value === last)
        : undefined;
    return pair?.key?.range ? lineOf(text, pair.key.range[0]) : locate(path);
  };
  return {
    file: displayName,
    data,
    locate,
    locateKey,
    problem: (path, message, hint, at = 'value') => ({
      file: displayName,
      ...(at === 'key' ? locateKey(path) : locate(path)),
      message,
      hint,
    }),
  };
}

/**
 * Turns zod issues into problems located in the YAML source: one per unknown key, pointing at it
 * and naming the key it was likely meant to be when `knownKeys` (given the issue's path, relative
 * to the schema) lists a close one.
 */
export function zodProblems(
  source: YamlSource,
  error: z.ZodError,
  hint: string,
  base: YamlPath = [],
  knownKeys: (path: YamlPath) => readonly string[] = () => [],
): FileProblem[] {
  const dotted = (at: YamlPath): string => (at.length ? at.map(String).join('.') : '(top level)');
  return error.issues.flatMap((issue) => {
    const rel = issue.path as (string | number)[];
    const path = [...base, ...rel];
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((k) => {
        const guess = closestKey(k, knownKeys(rel));
        return unknownKey(
          source.problem(
            [...path, k],
            `${dotted([...path, k])}: unknown key`,
            guess ? `Did you mean ${guess}? ${hint}` : hint,
            'key',
          ),
        );
      });
    return [source.problem(path, `${dotted(path)}: ${issue.message}`, hint)];
  });
}

// Problems stay plain contract values; which ones are unknown keys is remembered beside them.
const unknownKeys = new WeakSet<FileProblem>();
function unknownKey(p: FileProblem): FileProblem {
  unknownKeys.add(p);
  return p;
}

/**
 * Unknown keys of the file's structure (from zodProblems) first, then by line: a misspelt key is
 * usually why a required one looks missing, so it is the problem to read first.
 */
export function unknownKeysFirst(problems: FileProblem[]): FileProblem[] {
  const rank = (p: FileProblem): number => (unknownKeys.has(p) ? 0 : 1);
  return [...problems].sort((a, b) => rank(a) - rank(b) || (a.line ?? Infinity) - (b.line ?? Infinity));
}

/**
 * Parses YAML text and validates it with `schema`. `displayName` is how the file is named in
 * errors (relative to the project). Throws FileProblemError with line and column.
 */
export function parseYaml<T extends z.ZodType>(
  text: string,
  displayName: string,
  schema: T,
  hint: string,
): z.output<T> {
  const source = loadYaml(text, displayName);
  const parsed = schema.safeParse(source.data);
  if (parsed.success) return parsed.data;
  throw new FileProblemError(zodProblems(source, parsed.error, hint).slice(0, 1));
}

export function readYamlFile<T extends z.ZodType>(
  file: string,
  displayName: string,
  schema: T,
  hint: string,
): z.output<T> {
  return parseYaml(readFileSync(file, 'utf8'), displayName, schema, hint);
}
