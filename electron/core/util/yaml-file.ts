// Runs in: main (core). Reading YAML files with errors that name the file, line and fix.
import { readFileSync } from 'node:fs';
import { parseDocument, YAMLError } from 'yaml';
import type { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import type { FileProblem } from '../../../shared/contract/schemas';

export class FileProblemError extends BenchtopError {
  readonly problem: FileProblem;
  constructor(problem: FileProblem) {
    const where = problem.line ? `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}` : problem.file;
    super('BAD_FILE', `${where}: ${problem.message}`, { hint: problem.hint });
    this.problem = problem;
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

/**
 * Parses YAML text and validates it with `schema`. `displayName` is how the file is named in
 * errors (relative to the project). Throws FileProblemError with line and column.
 */
export function parseYaml<T extends z.ZodType>(text: string, displayName: string, schema: T, hint: string): z.output<T> {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
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
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 }) ?? {};
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
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Point at the offending node or, for a missing key, at the nearest enclosing one.
  let line: number | null = null;
  let column: number | null = null;
  const keys = issue.path as (string | number)[];
  for (let n = keys.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true)) as { range?: [number, number, number] } | null | undefined;
    if (node && typeof node === 'object' && node.range) {
      ({ line, column } = lineOf(text, node.range[0]));
      break;
    }
  }
  const key = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  throw new FileProblemError({ file: displayName, line, column, message: `${key}: ${issue.message}`, hint });
}

export function readYamlFile<T extends z.ZodType>(file: string, displayName: string, schema: T, hint: string): z.output<T> {
  return parseYaml(readFileSync(file, 'utf8'), displayName, schema, hint);
}
