// Runs in: main (core). Pointer files (`data/train.csv.bt`): the small YAML file committed to git in
// place of the data, naming its content in the cache. Read strictly: a pointer is trusted to find
// and overwrite data, so a malformed one is refused with its file and line, never half-used.
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { BenchtopError } from '../../../shared/contract/errors';
import { dataPointer, tableSchema, type DataPointer, type TableSchema } from '../../../shared/contract/schemas';
import { writeFileAtomic } from '../util/atomic-write';
import { BENCHTOP_DIR, POINTER_SUFFIX } from '../util/layout';

export { dataPointer, tableSchema, type DataPointer, type TableSchema };

export function pointerPathOf(dataRel: string): string {
  return `${dataRel}${POINTER_SUFFIX}`;
}

export function dataPathOf(pointerRel: string): string {
  if (!pointerRel.endsWith(POINTER_SUFFIX))
    throw new BenchtopError('INVALID_INPUT', `${pointerRel} is not a pointer file (.bt).`, { field: 'path' });
  return pointerRel.slice(0, -POINTER_SUFFIX.length);
}

/** Parses pointer text; `file` names it in errors. */
export function parsePointer(text: string, file: string): DataPointer {
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined): number | null =>
    offset === undefined ? null : text.slice(0, offset).split('\n').length;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lineOf(e.pos[0]);
    throw new BenchtopError(
      'BAD_FILE',
      `${file}${line ? `:${line}` : ''}: not valid YAML (${e.message.split('\n')[0]}).`,
      {
        field: 'path',
        hint: 'Restore the pointer from git (`git checkout -- FILE`) or run `benchtop data add` on the data again.',
      },
    );
  }
  const parsed = dataPointer.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = issue.path.length
      ? (doc.getIn(issue.path, true) as { range?: [number, number, number] } | undefined)
      : undefined;
    const line = lineOf(node?.range?.[0]);
    const where = issue.path.length ? issue.path.join('.') : 'the pointer';
    throw new BenchtopError('BAD_FILE', `${file}${line ? `:${line}` : ''}: ${where} ${issue.message}.`, {
      field: 'path',
      hint: 'Restore the pointer from git (`git checkout -- FILE`) or run `benchtop data add` on the data again.',
    });
  }
  return parsed.data;
}

export function readPointer(projectDir: string, pointerRel: string): DataPointer {
  let text: string;
  try {
    text = readFileSync(path.join(projectDir, pointerRel), 'utf8');
  } catch {
    throw new BenchtopError('NOT_FOUND', `There is no pointer file ${pointerRel}.`, {
      field: 'path',
      hint: 'Track the data first with `benchtop data add PATH`.',
    });
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

const SKIP = new Set(['.git', BENCHTOP_DIR, 'node_modules']);

/** Each folder's entries, by project-relative path ('' for the project), as one walk read them. */
export type FolderListings = Map<string, Dirent[]>;

/**
 * Every pointer file in the project, relative and sorted. `listings`, when given, keeps each
 * folder's entries, so that listing a tracked folder next does not read it a second time.
 */
export function findPointers(projectDir: string, listings?: FolderListings): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(path.join(projectDir, dir), { withFileTypes: true });
    listings?.set(dir, entries);
    for (const e of entries) {
      const child = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIP.has(e.name)) walk(child);
      else if (e.isFile() && e.name.endsWith(POINTER_SUFFIX)) out.push(child);
    }
  };
  walk('');
  return out.sort();
}
