// Runs in: main (core) and CLI. Writes a report file atomically and never over an existing file
// unless asked: the temp file is hard-linked to its name, which fails if the name is taken.
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { moveIntoPlace, writeTempBeside } from '../util/atomic-write';
import { linkExclusive } from '../util/exclusive-file';
import { REPORTS_DIR } from '../util/layout';

export interface Written {
  /** Absolute path of the file written. */
  file: string;
  size: number;
}

/** Writes `data` to `file`; an existing file is an error unless `overwrite`. */
export function writeReportFile(
  file: string,
  data: string | Uint8Array,
  options: { overwrite?: boolean } = {},
): Written {
  const abs = path.resolve(file);
  const tmp = writeTempBeside(abs, data);
  try {
    if (options.overwrite) moveIntoPlace(tmp, abs);
    else if (!linkExclusive(tmp, abs)) {
      throw new BenchtopError('ALREADY_EXISTS', `${abs} exists already; Benchtop does not overwrite files.`, {
        field: 'file',
        hint: 'Choose another file name, or move the file away first.',
      });
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  return { file: abs, size: statSync(abs).size };
}

/** A file name from a title: lower case, dashes, nothing a file system could object to. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'report';
}

export type ReportFormat = 'html' | 'pdf' | 'json';

/**
 * Writes a report into the project's reports/ folder. With `name`, exactly that file (refused if it
 * exists, unless `overwrite`); without, `<slug>-<date>.<ext>`, or -2, -3… when that is taken.
 * `ext` (html unless given) is the only ending a given name may have.
 */
export function writeProjectReport(
  projectDir: string,
  html: string | Uint8Array,
  options: { slug: string; name?: string | undefined; overwrite?: boolean; now?: Date; ext?: ReportFormat },
): Written & { path: string } {
  const dir = path.join(projectDir, REPORTS_DIR);
  const ext = options.ext ?? 'html';
  if (options.name !== undefined) {
    const fileName = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._ -]{0,150}\\.${ext}$`);
    if (!fileName.test(options.name) || options.name.includes('..')) {
      throw new BenchtopError('INVALID_INPUT', `"${options.name}" cannot be a report file name.`, {
        field: 'file',
        hint: `Give a plain file name ending in .${ext} (letters, digits, . _ - and spaces), without folders.`,
      });
    }
    const w = writeReportFile(path.join(dir, options.name), html, { overwrite: options.overwrite ?? false });
    return { ...w, path: `${REPORTS_DIR}/${options.name}` };
  }
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  const base = `${slugify(options.slug)}-${date}`;
  const tmp = writeTempBeside(path.join(dir, base), html);
  try {
    for (let i = 1; i < 10_000; i++) {
      const name = i === 1 ? `${base}.${ext}` : `${base}-${i}.${ext}`;
      const file = path.join(dir, name);
      if (linkExclusive(tmp, file)) return { file, size: statSync(file).size, path: `${REPORTS_DIR}/${name}` };
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  throw new BenchtopError('CONFLICT', `Could not find a free file name for ${base}.${ext} in ${REPORTS_DIR}/.`, {
    hint: 'Clear out old reports, or name the file.',
  });
}
