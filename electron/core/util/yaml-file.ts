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
    const pos = first instanceof YAMLError && first.linePos ? first.linePos[0] : undefined;
    throw new FileProblemError({
      file: displayName,
      line: pos?.line ?? null,
      column: pos?.col ?? null,
      message: `is not valid YAML (${first.message.split('\n')[0]})`,
      hint: 'Fix the YAML syntax at that line (indentation, a missing colon or an unclosed quote are the usual causes).',
    });
  }
  const data: unknown = doc.toJS() ?? {};
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Point at the offending node when the document has one for that path.
  let line: number | null = null;
  let column: number | null = null;
  const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
  const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
  if (range) ({ line, column } = lineOf(text, range[0]));
  const key = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  throw new FileProblemError({ file: displayName, line, column, message: `${key}: ${issue.message}`, hint });
}

export function readYamlFile<T extends z.ZodType>(file: string, displayName: string, schema: T, hint: string): z.output<T> {
  return parseYaml(readFileSync(file, 'utf8'), displayName, schema, hint);
}
