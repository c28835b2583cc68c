// Runs in: main (core). Pointer files (`data/train.csv.bt`): the small YAML file committed to git in
// place of the data, naming its content in the cache. Read strictly: a pointer is trusted to find
// and overwrite data, so a malformed one is refused with its file and line, never half-used.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeFileAtomic } from '../util/atomic-write';

export const POINTER_SUFFIX = '.bt';

const columnType = z.enum(['integer', 'number', 'boolean', 'string', 'datetime', 'empty']);

export const tableSchema = z
  .object({
    format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
    rows: z.number().int().min(0),
    columns: z.array(z.object({ name: z.string(), type: columnType }).strict()),
  })
  .strict();
export type TableSchema = z.infer<typeof tableSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hash (64 hex digits)');

export const dataPointer = z
  .object({
    version: z.literal(1),
    kind: z.enum(['file', 'folder']),
    /** The file's sha256; for a folder, the sha256 of its manifest (itself an object in the cache). */
    hash: sha256,
    size: z.number().int().min(0),
    files: z.number().int().min(0),
    schema: tableSchema.optional(),
  })
  .strict();
export type DataPointer = z.infer<typeof dataPointer>;

export function pointerPathOf(dataRel: string): string {
  return `${dataRel}${POINTER_SUFFIX}`;
}

export function dataPathOf(pointerRel: string): string {
  if (!pointerRel.endsWith(POINTER_SUFFIX)) throw new BenchtopError('INVALID_INPUT', `${pointerRel} is not a pointer file (.bt).`, { field: 'path' });
  return pointerRel.slice(0, -POINTER_SUFFIX.length);
}

/** Parses pointer text; `file` names it in errors. */
export function parsePointer(text: string, file: string): DataPointer {
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined): number | null => (offset === undefined ? null : text.slice(0, offset).split('\n').length);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lineOf(e.pos[0]);
    throw new BenchtopError('BAD_FILE', `${file}${line ? `:${line}` : ''}: not valid YAML (${e.message.split('\n')[0]}).`, { field: 'path', hint: 'Restore the pointer from git (`git checkout -- FILE`) or run `benchtop data add` on the data again.' });
  }
  const parsed = dataPointer.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = issue.path.length ? (doc.getIn(issue.path, true) as { range?: [number, number, number] } | undefined) : undefined;
    const line = lineOf(node?.range?.[0]);
    const where = issue.path.length ? issue.path.join('.') : 'the pointer';
    throw new BenchtopError('BAD_FILE', `${file}${line ? `:${line}` : ''}: ${where} ${issue.message}.`, { field: 'path', hint: 'Restore the pointer from git (`git checkout -- FILE`) or run `benchtop data add` on the data again.' });
  }
  return parsed.data;
}

export function readPointer(projectDir: string, pointerRel: string): DataPointer {
  let text: string;
  try {
    text = readFileSync(path.join(projectDir, pointerRel), 'utf8');
  } catch {
    throw new BenchtopError('NOT_FOUND', `There is no pointer file ${pointerRel}.`, { field: 'path', hint: 'Track the data first with `benchtop data add PATH`.' });
  }
  return parsePointer(text, pointerRel);
}

export function formatPointer(dataRel: string, p: DataPointer): string {
  const header = `# Benchtop data pointer for ${path.posix.basename(dataRel)}: the data itself is in .benchtop/cache.\n# Commit this file; \`benchtop data checkout\` or \`benchtop data pull\` brings the data back.\n`;
  return header + stringify(p, { lineWidth: 0 });
}

export function writePointer(projectDir: string, dataRel: string, p: DataPointer): void {
  writeFileAtomic(path.join(projectDir, pointerPathOf(dataRel)), formatPointer(dataRel, p));
}
